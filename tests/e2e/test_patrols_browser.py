"""Issue 20 on a 375-px phone: a worker logs a patrol of the 吴淞江 team in a few taps —
once online (sent twice, one patrol), once without network (kept on the phone,
sent when it is back) — and follows the finding up until it is closed."""

import datetime

import pytest
from django.utils import timezone

from activities.services.campaigns import campaign_serve, campaign_start
from services.models import FindingStatus, Patrol

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_patrol_on_a_phone_kept_offline_and_its_finding_closed(
    phone, live_server, cast, screenshot_dir
):
    context, page = phone
    url = live_server.url
    start = timezone.localdate() - datetime.timedelta(days=30)
    campaign = campaign_start(by=cast.officer, name="吴淞江北岸生态环境综合治理",
                              unit=cast.tree["township"], start_on=start)  # fmt: skip
    role = campaign.roles.get(kind="patrol")
    campaign_serve(by=cast.officer, role=role, cadre=cast.cadre_a, start_on=start)
    page.goto(f"{url}/accounts/login/?next=/patrols/campaigns/{campaign.pk}/")
    page.fill("input[name=username]", "grid_a")
    page.fill("input[name=password]", "Test-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/patrols/campaigns/{campaign.pk}/")

    # Online, with a finding: a few taps.
    page.click("#patrol-new")
    page.fill("input[name=place]", "北岸 3 号闸至 5 号闸")
    page.get_by_label("张三丰").check()
    page.get_by_label("垃圾杂物").check()
    box = page.get_by_label("垃圾杂物").locator("xpath=..").bounding_box()
    assert box["height"] >= 44  # a touch target
    page.fill("textarea[name=notes]", "河岸堆放建筑垃圾约两方")
    form_data = page.evaluate(
        "() => Array.from(new FormData(document.querySelector('#patrol-form')))"
        ".filter(p => typeof p[1] === 'string')"
    )
    page.screenshot(path=screenshot_dir / "phone-patrol-form.png", full_page=True)
    page.get_by_role("button", name="提交巡查").click()
    page.wait_for_url(f"**/patrols/campaigns/{campaign.pk}/")
    assert "巡查已记录" in page.locator(".messages").inner_text()
    assert Patrol.objects.count() == 1
    # The same form sent again (a resend after a lost answer): nothing new.
    response = page.request.post(
        f"{url}/patrols/campaigns/{campaign.pk}/new/",
        multipart=dict(form_data),
        headers={"Accept": "application/json", "Referer": f"{url}/patrols/"},
    )
    assert response.ok and Patrol.objects.count() == 1
    finding = Patrol.objects.get()
    assert finding.status == FindingStatus.OPEN
    assert "河岸堆放建筑垃圾" in page.locator("#open-findings").inner_text()

    # Without network: kept on the phone, sent once the connection is back.
    page.click("#patrol-new")
    page.fill("input[name=place]", "南岸步道")
    page.get_by_label("张三丰").check()
    context.set_offline(True)
    page.get_by_role("button", name="提交巡查").click()
    note = page.locator("#offline-note")
    note.wait_for(state="visible")
    assert "保存在本机" in note.inner_text()
    assert Patrol.objects.count() == 1
    context.set_offline(False)
    page.wait_for_url(f"**/patrols/campaigns/{campaign.pk}/")
    assert Patrol.objects.count() == 2
    assert Patrol.objects.latest("pk").place == "南岸步道"

    # The finding followed up until closed.
    item = page.locator(f"#finding-{finding.pk}")
    item.locator("input[name=passed_to]").fill("村委会")
    item.locator("input[name=resolution]").fill("已组织清运")
    item.get_by_label("已办结").check()
    item.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/patrols/campaigns/{campaign.pk}/")
    assert "问题已办结" in page.locator(".messages").inner_text()
    finding.refresh_from_db()
    assert (finding.status, finding.passed_to, finding.resolution) == (
        FindingStatus.CLOSED,
        "村委会",
        "已组织清运",
    )
    assert "没有待办问题" in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1  # nothing wider than the phone
