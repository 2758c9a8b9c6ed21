"""请假 from the cadre's own pages: a leave asked for an announced meeting reaches the
secretary and shows on the meeting's attendance list (issue 23)."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from activities.models import (
    Attendance,
    AttendanceStatus,
    LeaveRequest,
    MeetingKind,
    MeetingNotice,
)
from activities.services import attendance_proposal, meeting_record
from activities.services.upcoming import meeting_announce
from portal.sms import ConsoleSMS
from services.models import Reminder


def _portal_client(client_class, phone):
    client = client_class()
    ConsoleSMS.outbox.clear()
    client.post(reverse("portal:signin"), {"phone": phone})
    code = re.search(r"(\d{6})", ConsoleSMS.outbox[-1][1]).group(1)
    client.post(reverse("portal:code"), {"code": code})
    return client


def _kind():
    return MeetingKind.objects.get(code="themed_party_day")


def test_the_secretary_announces_and_who_may(client, cast):
    tree = cast.tree
    day = timezone.localdate() + datetime.timedelta(days=5)
    client.force_login(cast.secretary)
    page = client.get(reverse("meetings:upcoming")).content.decode()
    offered = re.search(r'<select name="branch".*?</select>', page, re.S).group(0)
    assert f'value="{tree["branch_A"].pk}"' in offered
    assert f'value="{tree["branch_B"].pk}"' not in offered
    response = client.post(reverse("meetings:upcoming"), {
        "branch": tree["branch_A"].pk, "kind": _kind().pk, "day": day.isoformat(),
        "time": "09:00", "topic": "学习党章", "place": "社区活动室"})  # fmt: skip
    assert response.status_code == 302
    assert MeetingNotice.objects.get().branch == tree["branch_A"]
    # Another branch is refused; a past date is a message, not a meeting.
    client.post(reverse("meetings:upcoming"), {
        "branch": tree["branch_B"].pk, "kind": _kind().pk, "day": day.isoformat(),
        "time": "09:00", "topic": "越权"})  # fmt: skip
    response = client.post(reverse("meetings:upcoming"), {
        "branch": tree["branch_A"].pk, "kind": _kind().pk,
        "day": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "time": "09:00", "topic": "过去"})  # fmt: skip
    assert response.status_code == 200 and MeetingNotice.objects.count() == 1
    client.force_login(cast.leader)
    page = client.get(reverse("meetings:upcoming"))
    assert page.status_code == 200 and 'id="announce-form"' not in page.content.decode()
    client.force_login(cast.outsider)
    assert client.get(reverse("meetings:upcoming")).status_code == 403


def test_leave_from_the_phone_reaches_the_secretary_and_the_attendance(client, cast):
    tree = cast.tree
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    notice = meeting_announce(by=cast.secretary, branch=tree["branch_A"], kind=_kind(),
                              starts_at=starts, topic="主题党日：重温入党誓词")  # fmt: skip
    phone = _portal_client(client.__class__, "13812348000")  # 张三丰, branch A
    page = phone.get(reverse("portal:meetings")).content.decode()
    assert "重温入党誓词" in page
    assert (
        phone.post(reverse("portal:leave", args=[notice.pk]), {"reason": " "}).status_code
        == 302
    )
    assert not LeaveRequest.objects.exists()
    phone.post(reverse("portal:leave", args=[notice.pk]), {"reason": "去医院复查"})
    leave = LeaveRequest.objects.get()
    assert (leave.cadre, leave.reason) == (cast.cadre_a, "去医院复查")
    # The branch's secretary is told, and sees it on the announced meetings.
    reminder = Reminder.objects.get(rule="leave_request")
    assert reminder.recipient == cast.secretary and "去医院复查" in reminder.text
    client.force_login(cast.secretary)
    assert "去医院复查" in client.get(reverse("meetings:upcoming")).content.decode()
    # Another branch's member neither sees the meeting nor may ask leave of it.
    other = _portal_client(client.__class__, "13912345678")  # 李四光, branch B
    assert "重温入党誓词" not in other.get(reverse("portal:meetings")).content.decode()
    assert (
        other.post(reverse("portal:leave", args=[notice.pk]), {"reason": "x"}).status_code
        == 404
    )
    # The day comes: recording the meeting proposes 张三丰 on leave, with the reason.
    MeetingNotice.objects.filter(pk=notice.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    held = timezone.now() - datetime.timedelta(minutes=30)
    proposal = {
        p.cadre.pk: p
        for p in attendance_proposal(tree["branch_A"], _kind(), timezone.localdate(held))
    }
    assert proposal[cast.cadre_a.pk].status == AttendanceStatus.ON_LEAVE
    assert proposal[cast.cadre_a.pk].reason == "去医院复查"
    meeting = meeting_record(branch=tree["branch_A"], kind=_kind(), starts_at=held,
                             topic="主题党日：重温入党誓词", by=cast.secretary)  # fmt: skip
    row = Attendance.objects.get(activity=meeting, cadre=cast.cadre_a)
    assert (row.status, row.note) == (AttendanceStatus.ON_LEAVE, "去医院复查")
