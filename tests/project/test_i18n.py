"""Everything a user reads is Chinese: the zh_Hans catalog is complete and compiled."""

import gettext
from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

from grids.models import UnitKind

LOCALE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_has_a_chinese_translation():
    po = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


def test_the_compiled_catalog_matches_the_source():
    po = polib.pofile(str(LOCALE / "django.po"))
    with open(LOCALE / "django.mo", "rb") as fh:
        mo = gettext.GNUTranslations(fh)

    def compiled(entry) -> str:
        if entry.msgid_plural:
            return mo.ngettext(entry.msgid, entry.msgid_plural, 1)
        if entry.msgctxt:  # the same words in another sense (pgettext)
            return mo.pgettext(entry.msgctxt, entry.msgid)
        return mo.gettext(entry.msgid)

    def source(entry) -> str:
        return entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr

    stale = [e.msgid for e in po.translated_entries() if compiled(e) != source(e)]
    assert stale == [], "run `make messages` to recompile locale/"


def test_the_default_language_is_simplified_chinese():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ
    with translation.override(settings.LANGUAGE_CODE):
        assert str(UnitKind.BRANCH.label) == "党支部"
