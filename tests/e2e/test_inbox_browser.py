"""The reminders inbox and bell in a browser (issue 10)."""

import datetime

import pytest

from services.reminders import reminders_deliver, reminders_scan
from tests.factories import make_cadre

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_bell_counts_and_the_inbox_marks_read(
    browser, live_server, cast, screenshot_dir
):
    make_cadre(
        branch=cast.tree["branch_A"], name="寿星甲", birth=datetime.date(1946, 6, 3)
    )
    make_cadre(
        branch=cast.tree["branch_A"], name="寿星乙", birth=datetime.date(1950, 6, 5)
    )
    reminders_scan(today=datetime.date(2026, 6, 1))
    reminders_deliver()
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.set_default_timeout(20_000)
    url = live_server.url
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", "grid_a")
    page.fill("input[name=password]", "Test-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    # On a phone the bell stays in the bar beside the folded menu.
    count = int(page.locator("#bell-phone-count").inner_text())
    assert count >= 3  # two birthdays and the 80th milestone
    assert page.locator("#bell").is_hidden()
    page.click("#bell-phone")
    page.wait_for_url(f"{url}/reminders/")
    assert "寿星甲" in page.locator("#inbox").inner_text()
    page.screenshot(path=screenshot_dir / "phone-inbox.png", full_page=True)
    page.select_option("select[name=rule]", "milestone_birthday")
    page.wait_for_url("**/reminders/?rule=milestone_birthday")
    assert "寿星乙" not in page.locator("#inbox").inner_text()
    page.goto(f"{url}/reminders/")
    page.click("#read-all")
    page.wait_for_url(f"{url}/reminders/")
    assert page.locator("#bell-count").count() == 0
    assert page.locator("#bell-phone-count").count() == 0
    page.close()
