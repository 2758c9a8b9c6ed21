"""A cadre's session reaches their own pages and nothing else: no staff page answers
it, and no portal page takes another cadre's id (issue 23)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.sms import ConsoleSMS

# Pages anyone may open without signing in.
PUBLIC = ("/accounts/login/", "/admin/login/", "/accounts/password_reset", "/healthz/", "/i18n/", "/my/",
          "/jsi18n/", "/favicon.ico", "/robots.txt")  # fmt: skip


def _paths(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _paths(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _concrete(route: str, pk: int) -> str | None:
    if route.startswith("^") or "(?P" in route:
        return None  # regex routes (admin's catch-alls): covered by the admin's login
    path = re.sub(r"<int:[^>]+>", str(pk), route)
    path = re.sub(r"<(?:str|slug|uuid|path):[^>]+>|<[^>]+>", "x", path)
    return "/" + path


@pytest.fixture
def signed_in(client, cast):
    ConsoleSMS.outbox.clear()
    client.post(reverse("portal:signin"), {"phone": "13812348000"})
    code = re.search(r"(\d{6})", ConsoleSMS.outbox[-1][1]).group(1)
    client.post(reverse("portal:code"), {"code": code})
    assert client.get(reverse("portal:home")).status_code == 200
    return client


def test_no_staff_page_answers_a_cadre_session(signed_in, cast):
    answered = []
    for route in sorted(set(_paths())):
        path = _concrete(route, cast.cadre_a.pk)
        if path is None or path.startswith(PUBLIC):
            continue
        response = signed_in.get(path)
        if response.status_code == 200:
            answered.append(path)
        else:
            assert response.status_code in (302, 400, 403, 404, 405), (
                path,
                response.status_code,
            )
            if response.status_code == 302:
                assert response.url.startswith(("/accounts/login/", "/admin/")), path
    assert answered == []


def test_portal_pages_take_no_other_cadres_id(signed_in, cast):
    """The portal's pages carry no cadre id: each shows the session's own cadre. The
    only ids in them are of things offered to the cadre (a notice, a menu activity, a
    meeting of their branch),
    checked against the cadre on each request (tests/portal/test_notices.py,
    test_portal_menu.py)."""
    for route in _paths(get_resolver("portal.urls")):
        assert "int:" not in route or route.startswith(
            ("notices/", "activities/", "meetings/")
        ), route
    page = signed_in.get(reverse("portal:home")).content.decode()
    assert "张三丰" in page
    for other in (cast.cadre_b, cast.cross):
        assert other.name not in page
    # A staff-side action on another cadre with a cadre session: refused.
    response = signed_in.post(reverse("portal_staff:sheet", args=[cast.cadre_b.pk]))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_cadres_pages_are_never_kept_by_a_browser_or_proxy(signed_in, settings):
    settings.PRIVATE_NO_STORE = True
    for name in ("portal:home", "portal:notices", "portal:requests", "my_handbook"):
        assert signed_in.get(reverse(name))["Cache-Control"] == "no-store", name
