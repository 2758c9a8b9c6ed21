"""The demo township's cadres' own pages (issue 23): a notice to the township, study
material for 金桥社区, a meeting 金桥社区党支部 announced for next week with one leave
asked, a family member registered to act for a cadre, and two opinions — one
answered, one waiting in 金桥社区's queue. `demo_portal_phone` names the number to
sign in with (the code is written to the log in development)."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from activities.models import MeetingKind
from activities.services.upcoming import leave_request_record, meeting_announce
from grids.models import OrgUnit
from members.models import Cadre, CadreStatus, FamilyContact
from portal.models import Notice, Opinion
from portal.selectors import mobile
from portal.services import notice_publish, opinion_answer


def demo_portal_cadre() -> Cadre | None:
    """The demo's cadre of 金桥社区党支部 with their own mobile (the first by id)."""
    for cadre in Cadre.objects.filter(
        branch__name="金桥社区党支部", status=CadreStatus.ACTIVE
    ).order_by("pk"):
        if mobile(cadre.phone):
            return cadre
    return None


def load_demo_portal(township: OrgUnit) -> None:
    if Notice.objects.exists():
        return
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["township", "jinqiao", "secretary"])}  # fmt: skip
    township = OrgUnit.objects.get(pk=township.pk)
    community = OrgUnit.objects.get(name="金桥社区")
    branch = OrgUnit.objects.get(name="金桥社区党支部")
    now = timezone.now().replace(second=0, microsecond=0)
    notice_publish(by=users["township"], unit=township, kind="notice",
                   title="重阳节敬老慰问活动安排",
                   body="各位老同志：重阳节前，镇党委将走访慰问全镇离退休干部。\n"
                        "行动不便的老同志，社区工作人员将上门送上节日问候。")  # fmt: skip
    notice_publish(by=users["jinqiao"], unit=community, kind="study",
                   title="学习党章：第一章 党员",
                   body="本月学习党章第一章。看不清文字的老同志，可请社区工作人员上门送学。",
                   link="https://www.12371.cn/")  # fmt: skip
    cadre = demo_portal_cadre()
    notice = meeting_announce(
        by=users["secretary"], branch=branch,
        kind=MeetingKind.objects.get(code="themed_party_day"),
        starts_at=now + datetime.timedelta(days=7), topic="主题党日：重温入党誓词",
        place="金桥社区党群服务站",
    )  # fmt: skip
    members = Cadre.objects.filter(branch=branch, status=CadreStatus.ACTIVE).order_by(
        "pk"
    )
    other = members.exclude(pk=cadre.pk if cadre else None).first()
    if other is not None:
        leave_request_record(notice=notice, cadre=other, reason="去医院复查")
        contact = FamilyContact.objects.filter(cadre=other).order_by("position").first()
        if contact is not None:
            # Registered on the dossier to sign in and act for the cadre.
            FamilyContact.objects.filter(pk=contact.pk).update(may_act=True)
    if cadre is not None and cadre.residence_unit_id:
        answered = Opinion.objects.create(
            cadre=cadre, unit=cadre.residence_unit, text="小区门口的台阶太高，轮椅不好推。",
            sent_at=now - datetime.timedelta(days=6),
        )  # fmt: skip
        opinion_answer(by=users["jinqiao"], opinion=answered,
                       answer="已向居委会反映，下月加装坡道。")  # fmt: skip
        Opinion.objects.create(cadre=cadre, unit=cadre.residence_unit,
                               text="希望多组织几次书法交流活动。",
                               sent_at=now - datetime.timedelta(days=1))  # fmt: skip
