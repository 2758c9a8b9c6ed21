"""Announcing a coming meeting (会议预告) and recording leave asked for it (请假)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.models import OrgUnit, UnitKind
from grids.selectors import scope_of
from members.models import Cadre, CadreStatus

from ..models import LeaveRequest, MeetingKind, MeetingNotice


@transaction.atomic
def meeting_announce(*, by, branch: OrgUnit, kind: MeetingKind, starts_at: datetime.datetime,
                     topic: str, place: str = "") -> MeetingNotice:  # fmt: skip
    """Announce a branch's coming meeting: its members see it on their own pages and
    may ask for leave."""
    if branch.kind != UnitKind.BRANCH or not scope_of(by).writable().contains(branch):
        raise PermissionDenied
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("A meeting announced ahead lies in the "
                                              "future; record a past one as a meeting.")})  # fmt: skip
    notice = MeetingNotice(branch=branch, kind=kind, starts_at=starts_at, topic=topic.strip(),
                           place=place.strip(), created_by=by)  # fmt: skip
    notice.full_clean()
    notice.save()
    return notice


@transaction.atomic
def leave_request_record(*, notice: MeetingNotice, cadre: Cadre, reason: str,
                         asked_by: str = "", now=None) -> LeaveRequest:  # fmt: skip
    """A member of the branch asks for leave from a coming meeting, with a reason;
    asked again, the reason is updated (one request per member and meeting)."""
    now = now or timezone.now()
    if cadre.branch_id != notice.branch_id or cadre.status != CadreStatus.ACTIVE:
        raise PermissionDenied
    if notice.starts_at <= now:
        raise ValidationError(_("This meeting has already begun: tell your branch's "
                                "secretary directly."))  # fmt: skip
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason for the leave.")})
    leave, _created = LeaveRequest.objects.update_or_create(
        notice=notice, cadre=cadre,
        defaults={"reason": reason[:200], "asked_by": asked_by[:60], "requested_at": now},
    )  # fmt: skip
    return leave


def leave_for(branch: OrgUnit, kind: MeetingKind, on: datetime.date) -> dict[int, str]:
    """Leave asked for the branch's meeting of that kind announced for that day:
    cadre id → reason (the attendance proposal marks them on leave)."""
    start = timezone.make_aware(datetime.datetime.combine(on, datetime.time.min))
    return dict(
        LeaveRequest.objects.filter(
            notice__branch=branch,
            notice__kind=kind,
            notice__starts_at__gte=start,
            notice__starts_at__lt=start + datetime.timedelta(days=1),
        ).values_list("cadre_id", "reason")  # fmt: skip
    )
