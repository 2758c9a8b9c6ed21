"""Pinyin initials of Chinese names, for search (`zsf` finds 张三丰).

Computed when a name is saved and stored in `Cadre.name_initials`; never per name at
request time. Characters are looked up once each (the cache holds a few thousand).
"""

import os
from functools import lru_cache

# Only single characters are looked up: pypinyin's phrase dictionary (≈50 MB in every
# process) is never needed. Must be set before pypinyin is first imported.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")

from pypinyin import Style, lazy_pinyin  # noqa: E402

# Surnames read differently from the character's most common reading.
SURNAME_INITIALS = {
    "曾": "z", "单": "s", "仇": "q", "解": "x", "区": "o", "朴": "p", "查": "z",
    "翟": "z", "盖": "g", "乐": "y", "缪": "m", "秘": "b", "尉": "y", "覃": "q",
    "员": "y", "召": "s", "种": "c", "折": "s", "长": "c", "重": "c", "便": "p",
    "褚": "c", "藏": "z", "沈": "s", "薄": "b", "柏": "b", "燕": "y", "纪": "j",
}  # fmt: skip


@lru_cache(maxsize=8192)
def char_initial(char: str) -> str:
    if char.isascii():
        return char.lower() if char.isalnum() else ""
    letters = lazy_pinyin(char, style=Style.FIRST_LETTER, errors="ignore")
    return letters[0][:1].lower() if letters and letters[0] else ""


def name_initials(name: str) -> str:
    name = "".join(name.split())
    if not name:
        return ""
    first = SURNAME_INITIALS.get(name[0]) or char_initial(name[0])
    return first + "".join(char_initial(c) for c in name[1:])
