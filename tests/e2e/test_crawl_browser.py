"""Issue 18: every demo login opens, in a browser, every page the crawl reaches from its
home page (tests/project/crawl.py) — on a phone and at a desk: no console error, no
error page; on the phone the menu is one button until it is opened, and each entry a
finger's width."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from gridparty.demo import DEMO_PASSWORD, USERS
from tests.project.crawl import crawl

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("width", [375, 1280])
def test_every_login_opens_every_page_without_an_error(browser, live_server, width):
    call_command("load_demo", verbosity=0)
    problems = []
    for username in USERS:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        statuses, _problems = crawl(client)
        pages = [url for url, status in statuses.items() if status == 200]
        context = browser.new_context(viewport={"width": width, "height": 800},
                                      is_mobile=width < 760, has_touch=width < 760)  # fmt: skip
        page = context.new_page()
        page.set_default_timeout(20_000)
        errors = []
        page.on(
            "console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None
        )
        page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
        _login(page, live_server.url, username)
        menu = page.locator("#main-menu")
        if width < 760:
            # Folded: one button in the bar; a tap opens the whole menu.
            assert not menu.is_visible(), username
            page.click("label.menu-button")
            assert menu.is_visible(), username
            box = page.locator("#main-menu a").first.bounding_box()
            assert box["height"] >= 40 and box["width"] >= 300, box
        entries = [a.get_attribute("href") for a in page.locator("#main-menu a").all()]
        assert len(entries) >= 6, (username, entries)
        for href in dict.fromkeys([*entries, *pages]):
            before = len(errors)
            response = page.goto(live_server.url + href, wait_until="load")
            if response.status >= 400:
                problems.append(
                    f"{username} {width}px: {href} answered {response.status}"
                )
            problems += [
                f"{username} {width}px {href}: console: {e}" for e in errors[before:]
            ]
        context.close()
    assert problems == [], "\n".join(problems)
