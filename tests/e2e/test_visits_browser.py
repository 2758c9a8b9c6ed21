"""Logging a visit on a phone (issue 8): a household of two, two kinds, sent once, and
kept in the browser while the network is gone."""

import datetime

import pytest
from django.utils import timezone

from members.models import Household
from members.services import cadre_update
from services.models import CareVisit, VisitedCadre, VisitPlan
from tests.factories import make_cadre

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, url, username="grid_a"):
    page.goto(f"{url}/accounts/login/?next=/visits/mine/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Test-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/visits/mine/")


def test_a_household_visit_on_a_phone_sent_once_and_kept_offline(
    phone, live_server, cast, screenshot_dir
):
    context, page = phone
    url = live_server.url
    home = Household.objects.create(address="金桥路 1 号")
    wife = make_cadre(branch=cast.tree["branch_A"], name="张夫人", male=False)
    cadre_update(cadre=cast.cadre_a, household=home)
    cadre_update(cadre=wife, household=home)
    log_in(page, url)
    assert "张三丰" in page.locator("#queue-due").inner_text()
    page.screenshot(path=screenshot_dir / "phone-my-visits.png", full_page=True)

    page.goto(f"{url}/cadres/{cast.cadre_a.pk}/")
    page.click("#log-visit")
    page.wait_for_url(f"**/visits/new/{cast.cadre_a.pk}/")
    page.get_by_role("button", name="全户").click()
    page.get_by_label("走访慰问").check()
    page.get_by_label("送学上门").check()
    box = page.get_by_label("送学上门").locator("xpath=..").bounding_box()
    assert box["height"] >= 44  # a touch target
    page.fill("textarea[name=notes]", "精神很好，送去学习资料")
    page.screenshot(path=screenshot_dir / "phone-visit-form.png", full_page=True)
    form_data = page.evaluate(
        "() => Array.from(new FormData(document.querySelector('form.visit-form')))"
        ".filter(p => typeof p[1] === 'string')"
    )
    page.get_by_role("button", name="提交走访").click()
    page.wait_for_url(f"{url}/cadres/{cast.cadre_a.pk}/")
    # The phone's script sent it: the confirmation shows all the same.
    assert "走访已记录" in page.locator(".messages").inner_text()
    visit = CareVisit.objects.get()
    assert set(visit.kinds.values_list("kind", flat=True)) == {"home_visit", "study"}
    today = timezone.localdate()
    for cadre in (cast.cadre_a, wife):
        assert VisitPlan.objects.get(cadre=cadre).last_contact_on == today
        page.goto(f"{url}/cadres/{cadre.pk}/")
        assert "送学上门" in page.locator("#visit-timeline").inner_text()
        due = today + datetime.timedelta(days=91)
        assert page.locator("#next-due").inner_text() == due.isoformat()

    # The same form sent again (as a resend after a lost answer would): nothing new.
    response = page.request.post(
        f"{url}/visits/new/{cast.cadre_a.pk}/",
        multipart={k: v for k, v in form_data if k not in ("kinds", "cadres")}
        | {"kinds": "home_visit", "cadres": str(cast.cadre_a.pk)},
        headers={"Accept": "application/json", "Referer": f"{url}/visits/new/"},
    )
    assert response.ok and response.json()["visit"] == visit.pk
    assert CareVisit.objects.count() == 1 and VisitedCadre.objects.count() == 2

    # Offline: the submit keeps the content and says so; back online it is sent once.
    page.goto(f"{url}/visits/new/{wife.pk}/")
    page.get_by_label("电话联系").check()
    page.fill("textarea[name=notes]", "断网时填写")
    context.set_offline(True)
    page.get_by_role("button", name="提交走访").click()
    note = page.locator("#offline-note")
    note.wait_for(state="visible")
    assert "保存在本机" in note.inner_text()
    assert CareVisit.objects.count() == 1
    page.screenshot(path=screenshot_dir / "phone-visit-offline.png", full_page=True)
    context.set_offline(False)
    page.wait_for_url(f"{url}/cadres/{wife.pk}/")
    assert CareVisit.objects.count() == 2
    assert CareVisit.objects.latest("pk").notes == "断网时填写"
    assert "断网时填写" in page.locator("#visit-timeline").inner_text()
    assert "走访已记录" in page.locator(".messages").inner_text()
