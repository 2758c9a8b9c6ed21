"""Issue 20 on a 375-px phone: in a cadre's home the worker opens the cadre's
activity menu — what suits them first — and signs them up in one tap; what does not
suit has no button."""

import datetime

import pytest
from django.utils import timezone

from activities.models import MeetingKind, SignUp
from activities.services.menu import menu_offer
from members.models import Mobility
from tests.factories import make_cadre

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_tap_sign_up_on_a_phone(phone, live_server, cast, screenshot_dir):
    context, page = phone
    other = MeetingKind.objects.get_or_create(
        code="other", defaults={"name": "其他活动", "expected": "open"}
    )[0]
    soon = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    quarter = timezone.localtime(soon).date()
    trip = menu_offer(by=cast.officer, unit=cast.tree["branch_A"], kind=other,
                      topic="参观革命历史陈列馆", starts_at=soon, suits="travel")  # fmt: skip
    film = menu_offer(by=cast.officer, unit=cast.tree["grid_A"], kind=other,
                      topic="送电影上门", starts_at=soon, suits="home", capacity=5)  # fmt: skip
    home = make_cadre(branch=cast.tree["branch_A"], name="钱居家", mobility=Mobility.HOME)
    period = f"{quarter.year}Q{(quarter.month - 1) // 3 + 1}"
    url = f"{live_server.url}/menu/cadre/{home.pk}/?period={period}"
    page.goto(
        f"{live_server.url}/accounts/login/?next=/menu/cadre/{home.pk}/%3Fperiod%3D{period}"
    )
    page.fill("input[name=username]", "secretary_a")
    page.fill("input[name=password]", "Test-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/menu/cadre/**")
    items = page.locator("#menu-choices > li")
    assert "送电影上门" in items.nth(0).inner_text()
    assert "不适合" in items.nth(1).inner_text()
    assert items.nth(1).get_by_role("button", name="报名").count() == 0
    button = items.nth(0).get_by_role("button", name="报名")
    assert button.bounding_box()["height"] >= 44  # a touch target
    page.screenshot(path=screenshot_dir / "phone-menu.png", full_page=True)
    button.click()
    page.wait_for_url(url)
    assert "已为钱居家报名" in page.locator(".messages").inner_text()
    assert list(SignUp.objects.values_list("activity", "cadre")) == [(film.pk, home.pk)]
    assert not SignUp.objects.filter(activity=trip).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
