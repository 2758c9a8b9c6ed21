"""The cadres' own pages on a 375-px phone, and at 200 % zoom (issue 23): signing in
by code, the home page; axe-core (vendored: tests/e2e/vendor/axe.min.js, MPL-2.0)
finds no serious or critical violation; text and touch targets are large enough."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from activities.models import LeaveRequest, MeetingKind, SignUp
from activities.services.menu import menu_offer
from activities.services.upcoming import meeting_announce
from members.models import FamilyContact
from portal.models import NoticeRead, Opinion
from portal.services import notice_publish
from portal.sms import ConsoleSMS

AXE = Path(__file__).parent / "vendor" / "axe.min.js"

# 375 px, and the same phone at 200 % zoom (half the CSS pixels across).
SIZES = [(375, 812), (188, 406)]


def _axe(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _check_page(page, label: str) -> None:
    assert _axe(page) == [], label
    # One column, nothing wider than the screen (no sideways scrolling).
    assert page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    ), label
    body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body >= 18, (label, body)
    small = page.evaluate(
        """() => [...document.querySelectorAll('button, input, a')]
            .filter(e => e.offsetParent !== null)
            .map(e => [e.outerHTML.slice(0, 60), e.getBoundingClientRect()])
            .filter(([_, r]) => r.height < 44 || r.width < 44)
            .map(([h]) => h)"""
    )
    assert small == [], (label, small)


@pytest.mark.parametrize("width,height", SIZES)
def test_sign_in_by_code_and_the_home_page(browser, live_server, cast, width, height):
    FamilyContact.objects.create(cadre=cast.cadre_b, relation="女儿", name="李小红",
                                 phone="13900001234", may_act=True)  # fmt: skip
    other = MeetingKind.objects.get_or_create(
        code="other", defaults={"name": "其他活动", "expected": "open"}
    )[0]  # the live server's database starts empty of reference data
    menu_offer(by=cast.officer, unit=cast.tree["branch_B"], kind=other,
               topic="重阳节茶话会", suits="nearby", capacity=20,
               starts_at=timezone.now() + datetime.timedelta(hours=1))  # fmt: skip
    day = MeetingKind.objects.get_or_create(
        code="themed_party_day", defaults={"name": "主题党日", "expected": "branch"}
    )[0]
    meeting_announce(by=cast.officer, branch=cast.tree["branch_B"], kind=day,
                     starts_at=timezone.now() + datetime.timedelta(days=2),
                     topic="重温入党誓词", place="社区活动室")  # fmt: skip
    notice_publish(by=cast.officer, unit=cast.tree["township"], kind="notice",
                   title="重阳节慰问活动安排", body="十月二十九日上午九点，社区活动室。")  # fmt: skip
    ConsoleSMS.outbox.clear()
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=True, has_touch=True,
        bypass_csp=True,  # to inject axe-core; the pages' own CSP is tested elsewhere
    )  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(f"{live_server.url}/my/")
        assert page.url.endswith("/my/signin/")
        _check_page(page, "sign-in")
        page.fill("#id_phone", "021-59991234")
        page.click("button[type=submit]")
        assert "固定电话无法接收验证码" in page.inner_text("main")
        _check_page(page, "sign-in with an error")
        page.fill("#id_phone", "139 0000 1234")
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/my/signin/code/$"))
        _check_page(page, "code")
        code = re.search(r"(\d{6})", ConsoleSMS.outbox[-1][1]).group(1)
        page.fill("#id_code", code)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/my/$"))
        main = page.inner_text("main")
        assert "李四光" in main and "李小红" in main and "张三丰" not in main
        _check_page(page, "home")
        # A notice: listed as new, read, and the staff see the receipt.
        page.click("text=通知与学习")
        page.wait_for_url(re.compile(r"/my/notices/$"))
        _check_page(page, "notices")
        page.click("text=重阳节慰问活动安排")
        assert "社区活动室" in page.inner_text("#notice-text")
        _check_page(page, "a notice")
        assert NoticeRead.objects.filter(cadre=cast.cadre_b).count() == 1
        page.goto(f"{live_server.url}/my/")
        # An activity, signed up for in one tap.
        page.click("text=适合我的活动")
        page.wait_for_url(re.compile(r"/my/activities/$"))
        _check_page(page, "activities")
        page.click("text=我要报名")
        page.wait_for_url(re.compile(r"/my/activities/$"))
        assert "您已报名" in page.inner_text("main")
        assert SignUp.objects.get().cadre == cast.cadre_b
        _check_page(page, "activities, signed up")
        page.goto(f"{live_server.url}/my/")
        # The branch's coming meetings, and leave asked for one.
        page.click("text=支部近期会议")
        page.wait_for_url(re.compile(r"/my/meetings/$"))
        _check_page(page, "meetings")
        page.fill("input[name=reason]", "去医院复查")
        page.click("#meetings button[type=submit]")
        page.wait_for_url(re.compile(r"/my/meetings/$"))
        assert "请假已提交" in page.inner_text("main")
        assert LeaveRequest.objects.get().reason == "去医院复查"
        _check_page(page, "meetings, leave asked")
        page.goto(f"{live_server.url}/my/")
        # My handbook: my own year, on a phone.
        page.click("text=我的手册")
        page.wait_for_url(re.compile(r"/my/handbook/$"))
        assert cast.cadre_b.id_number in page.inner_text("main")
        _check_page(page, "my handbook")
        page.goto(f"{live_server.url}/my/")
        # 我要办事: a ride to hospital, in two taps and a line.
        page.click("text=我要办事")
        page.wait_for_url(re.compile(r"/my/requests/$"))
        _check_page(page, "requests")
        page.click("label.choice >> nth=0")
        page.fill("#id_need", "周三上午去区中心医院复查")
        page.click("#request-form button[type=submit]")
        page.wait_for_url(re.compile(r"/my/requests/$"))
        assert "周三上午去区中心医院复查" in page.inner_text("#requests")
        _check_page(page, "requests, one asked")
        page.goto(f"{live_server.url}/my/")
        # An opinion, sent in a few taps.
        page.click("text=我有话说")
        page.wait_for_url(re.compile(r"/my/opinions/$"))
        _check_page(page, "opinions")
        page.fill("#id_text", "楼道灯坏了，晚上出门不方便。")
        page.click("#opinion-form button[type=submit]")
        page.wait_for_url(re.compile(r"/my/opinions/$"))
        assert "等待答复" in page.inner_text("#opinions")
        assert Opinion.objects.get().cadre == cast.cadre_b
        _check_page(page, "opinions, one sent")
        page.goto(f"{live_server.url}/my/")
        # The "larger text" switch, remembered on the phone.
        before = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        page.click("#text-size")
        page.reload()
        after = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert after > before >= 18
        _check_page(page, "home, larger text")
        page.click("text=退出登录")
        page.wait_for_url(re.compile(r"/my/signin/$"))
        # A printed sheet's page (here with a token that does not work).
        page.goto(f"{live_server.url}/my/link/not-a-token/")
        _check_page(page, "a sign-in sheet's page")
        page.click("button[type=submit]")
        assert "请找社区工作人员重新打印" in page.inner_text("main")
        _check_page(page, "a sign-in sheet that does not work")
    finally:
        context.close()


def test_a_couples_number_and_a_printed_sheet(browser, live_server, cast):
    """The page that asks who is signing in, and a printed sheet's link that works."""
    cast.cross.phone = "13812348000"  # 王五常 shares 张三丰's number
    cast.cross.save()
    ConsoleSMS.outbox.clear()
    context = browser.new_context(viewport={"width": 188, "height": 406}, is_mobile=True,
                                  has_touch=True, bypass_csp=True)  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(f"{live_server.url}/my/signin/")
        page.fill("#id_phone", "13812348000")
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/my/signin/code/$"))
        page.fill("#id_code", re.search(r"(\d{6})", ConsoleSMS.outbox[-1][1]).group(1))
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/my/signin/choose/$"))
        _check_page(page, "who is signing in")
        page.click("text=王五常")
        page.wait_for_url(re.compile(r"/my/$"))
        assert "王五常" in page.inner_text("h1")
        page.click("text=退出登录")
        page.wait_for_url(re.compile(r"/my/signin/$"))
        # A sheet printed by a worker signs in on this phone, once.
        from portal.services import portal_link_create

        token = portal_link_create(cadre=cast.cadre_a, by=cast.officer)
        page.goto(f"{live_server.url}/my/link/{token}/")
        _check_page(page, "a printed sheet's page")
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/my/$"))
        assert "张三丰" in page.inner_text("h1")
    finally:
        context.close()
