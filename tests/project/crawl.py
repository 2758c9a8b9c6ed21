"""The crawl (issue 18's measure of done): every page a demo login reaches by links
from the home page, read as the user reads it."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.urls import Resolver404, resolve

# Words in Latin letters a Chinese user may read: formats, brands, units' and cadres'
# codes are not words. Anything else in English is a page not yet translated.
ALLOWED = {
    "PDF", "Excel", "xlsx", "XX", "ID", "SMS", "WeChat", "CSV", "Q1", "Q2", "Q3", "Q4",
    "IP", "gridparty", "WPS", "A4", "Apache", "ECharts",
    "English",  # the language switch names each language in itself
    "mmHg", "mmol", "kg", "cm",  # units of measurement
    "zsf",  # the example of pinyin initials in the search help
}  # fmt: skip
READ_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
SKIPPED_TAGS = {"script", "style", "noscript"}
# Links that are not pages to read: files, the admin, logging out, the language switch.
NOT_PAGES = re.compile(
    r"^/(admin/|accounts/logout|i18n/|static/|media/)|format=xlsx|\.xlsx(\?|$)|\.pdf(\?|$)|/files?/|"
    r"/photo|/error-file|/download|/template|/export"
)


class PageText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.texts: list[str] = []
        self.links: list[tuple[str, bool]] = []  # (href, inside the menu)
        self.in_menu = 0
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in SKIPPED_TAGS:
            self.skip += 1
        if tag == "nav":
            self.in_menu += 1
        for name in READ_ATTRIBUTES:
            if attrs.get(name):
                self.texts.append(attrs[name])
        if (
            tag == "input"
            and attrs.get("type") in ("submit", "button")
            and attrs.get("value")
        ):
            self.texts.append(attrs["value"])
        if tag == "a" and attrs.get("href"):
            self.links.append((attrs["href"], self.in_menu > 0))
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source"):
            self.tags.append(tag)

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and self.skip:
            self.skip -= 1
        if tag == "nav" and self.in_menu:
            self.in_menu -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.texts.append(data.strip())


WORD = re.compile(r"[A-Za-z][A-Za-z']+")
RAW_KEY = re.compile(
    r"\b[a-z]+(?:_[a-z0-9]+)+\b|\{\{|\}\}|\{%|%\(|\bNone\b|\bTrue\b|\bFalse\b"
)


def problems_in(texts: list[str], names=frozenset()) -> list[str]:
    """English words (other than ALLOWED and `names`: logins, codes) and raw keys."""
    found = []
    for text in texts:
        for key in RAW_KEY.findall(text):
            found.append(f"raw key {key!r} in {text[:80]!r}")
        for word in WORD.findall(text):
            if (
                word not in ALLOWED
                and word not in names
                and not re.fullmatch(r"[A-Z]{1,3}\d*", word)
            ):
                found.append(f"English {word!r} in {text[:80]!r}")
    return found


def page_key(path: str, query: str) -> str:
    """One page of each kind: the URL's name and the names of its parameters (a
    second cadre's dossier reads like the first)."""
    try:
        match = resolve(path)
    except Resolver404:
        return path
    keys = sorted({k for k, _v in parse_qsl(query)} - {"page"})
    return f"{match.view_name}?{'&'.join(keys)}"


def crawl(client, start: str = "/", limit: int = 400, names=frozenset()):
    """Visit every page reachable by links from `start`, once per page kind. Returns
    (pages read: {url: status}, problems: [text])."""
    seen_kinds: set[str] = set()
    queue = deque([(start, True, "")])
    statuses: dict[str, int] = {}
    problems: list[str] = []
    while queue and len(statuses) < limit:
        url, from_menu, source = queue.popleft()
        parts = urlsplit(url)
        kind = page_key(parts.path, parts.query)
        if kind in seen_kinds:
            continue
        seen_kinds.add(kind)
        response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code >= 400:  # a link that leads to an error is a dead end
            where = "the menu" if from_menu else source
            problems.append(
                f"{url} answered {response.status_code} (linked from {where})"
            )
            continue
        if response.status_code in (301, 302):
            target = response.headers["Location"]
            if target.startswith("/") and not NOT_PAGES.search(target):
                queue.append((target, from_menu, url))
            continue
        if response.status_code != 200 or "html" not in response.headers.get(
            "Content-Type", ""
        ):
            continue
        parser = PageText()
        parser.feed(response.content.decode())
        problems += [f"{url}: {p}" for p in problems_in(parser.texts, names)]
        for href, in_menu in parser.links:
            if (
                not href.startswith("/")
                or href.startswith("//")
                or NOT_PAGES.search(href)
            ):
                continue
            href_parts = urlsplit(href)
            clean = href_parts.path + ("?" + urlencode(parse_qsl(href_parts.query))
                                       if href_parts.query else "")  # fmt: skip
            queue.append((clean, in_menu, url))
    return statuses, problems
