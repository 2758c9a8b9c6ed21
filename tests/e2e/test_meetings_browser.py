"""Issue 16 on a 375-px phone: a branch secretary records a 主题党日 with a few taps,
and the compliance page shows it."""

import pytest
from django.utils import timezone

from activities.models import Activity
from activities.models import AttendanceStatus as S
from activities.standard import ensure_standard_kinds
from members.models import Mobility
from tests.factories import make_cadre

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_secretary_records_a_themed_party_day_on_a_phone(
    phone, live_server, cast, screenshot_dir
):
    ensure_standard_kinds()  # a transactional test starts from an emptied database
    frail = make_cadre(
        branch=cast.tree["branch_A"], name="卧床甲", mobility=Mobility.HOME
    )
    (_context, page), url = phone, live_server.url
    today = timezone.localdate()
    page.goto(f"{url}/accounts/login/?next=/meetings/")
    page.fill("input[name=username]", "secretary_a")
    page.fill("input[name=password]", "Test-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/meetings/")

    page.get_by_role("link", name="记录会议").click()
    page.select_option("select[name=branch]", label="社区A党支部")
    page.select_option("select[name=kind]", label="主题党日")
    page.fill("input[name=day]", today.isoformat())
    page.get_by_role("button", name="下一步：考勤").click()
    page.wait_for_selector("#roll")
    roll = page.locator("#roll").inner_text()
    assert "张三丰" in roll and "卧床甲" in roll and "只能在家" in roll
    page.screenshot(path=screenshot_dir / "phone-meeting-roll.png", full_page=True)

    # One tap: 张三丰 is on leave; everyone else stays as proposed.
    member = page.locator(f"#member-{cast.cadre_a.pk}")
    leave = member.locator("label").filter(has_text="请假")
    leave.tap()
    assert leave.bounding_box()["height"] >= 44  # a thumb's target
    page.get_by_role("button", name="提交记录").tap()
    page.wait_for_selector("#meeting-counts")
    assert "应到 2 人，实参 1 人" in page.locator("#meeting-counts").inner_text()
    meeting = Activity.objects.get()
    statuses = dict(meeting.attendances.values_list("cadre_id", "status"))
    assert statuses == {cast.cadre_a.pk: S.ON_LEAVE, cast.cross.pk: S.PRESENT,
                        frail.pk: S.UNABLE}  # fmt: skip

    page.goto(f"{url}/compliance/?unit={cast.tree['branch_A'].pk}&period={today:%Y-%m}")
    row = page.locator("#compliance-branches tbody tr").first.inner_text()
    assert "社区A党支部" in row and "达标" in row and "未达标" not in row
    assert "主题党日" in page.locator("#branch-meetings").inner_text()
    page.screenshot(path=screenshot_dir / "phone-compliance.png", full_page=True)
    # Nothing overflows the phone's width.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1
