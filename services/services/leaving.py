"""When a cadre dies (issue 21): what followed them stops and what is owed is left
to do — registered with members' archive hooks, run inside the archiving's
transaction. Their open needs are cancelled, the needs they were to do go back to
be assigned, and the secretary and the community's worker are reminded to arrange
the funeral condolence (丧葬慰问)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from members.models import ArchiveReason

from ..models import CareRequest, Reminder, RequestStatus, RequestStep
from ..reminders.recipients import Recipients

S = RequestStatus
OPEN = (S.REQUESTED, S.ASSIGNED, S.ACCEPTED)
CONDOLENCE_RULE = "funeral_condolence"


def care_member_left(cadre, by=None) -> None:
    if cadre.archive_reason != ArchiveReason.DECEASED or cadre.archived_on is None:
        return
    note = _("%(name)s died on %(on)s.") % {"name": cadre.name, "on": cadre.archived_on}
    for request in CareRequest.objects.filter(cadre=cadre, status__in=OPEN):
        request.status = S.CANCELLED
        request.save(update_fields=["status"])
        RequestStep.objects.create(request=request, status=S.CANCELLED,
                                   by=by or request.requested_by, note=note)  # fmt: skip
    for request in CareRequest.objects.filter(assigned_cadre=cadre, status__in=OPEN):
        request.status, request.assigned_cadre = S.REQUESTED, None
        request.save(update_fields=["status", "assigned_cadre"])
        RequestStep.objects.create(request=request, status=S.REQUESTED,
                                   by=by or request.requested_by, note=note)  # fmt: skip
    recipients = Recipients()
    users = dict.fromkeys(
        user
        for unit in (cadre.branch_id, cadre.residence_unit_id)
        if unit
        for user in recipients.of(unit)
    )
    text = _("%(name)s died on %(on)s: arrange the funeral condolence with the family.") % {
        "name": cadre.name, "on": cadre.archived_on,
    }  # fmt: skip
    Reminder.objects.bulk_create(
        [
            Reminder(
                rule=CONDOLENCE_RULE,
                subject_type="cadre",
                subject_id=cadre.pk,
                due_on=cadre.archived_on + datetime.timedelta(days=3),
                recipient_id=user,
                text=text,
                link=reverse("members:cadre_detail", args=[cadre.pk]),
            )  # fmt: skip
            for user in users
        ],
        ignore_conflicts=True,
    )
