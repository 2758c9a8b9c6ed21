"""Patrol writes (issue 20): logging a patrol (sent once, whatever the network does)
with its photos, and following a finding up until closed."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Campaign
from grids.uploads import store_image
from members.models import Cadre

from ..models import FindingKind, FindingStatus, Patrol, PatrolPhoto
from ..patrols import may_follow_up, team_loggable_by
from ..photos import check_photo


def _sent_before(client_key, by) -> Patrol | None:
    earlier = Patrol.objects.filter(client_key=client_key).first()
    if earlier is not None and earlier.recorded_by_id != by.pk:
        raise ValidationError(_("This form was already used by someone else."))
    return earlier


@transaction.atomic
def patrol_log(*, by, campaign: Campaign, patrolled_at: datetime.datetime, place: str,
               members: list[Cadre], finding_kind: str = FindingKind.NONE, notes: str = "",
               passed_to: str = "", client_key=None, photos=()) -> Patrol:  # fmt: skip
    """A patrol by team members the user may log for; a finding opens a follow-up.
    The same form sent twice (its `client_key`) records one patrol."""
    if client_key is not None and (earlier := _sent_before(client_key, by)):
        return earlier
    team = {c.pk for c in team_loggable_by(by, campaign)}
    if not team:
        raise PermissionDenied
    if not members:
        raise ValidationError({"members": _("Choose who went on the patrol.")})
    if any(m.pk not in team for m in members):
        raise ValidationError(
            {"members": _("Only members of the patrol team can be chosen.")}
        )
    if patrolled_at > timezone.now() + datetime.timedelta(minutes=10):
        raise ValidationError({"patrolled_at": _("The time is in the future.")})
    if timezone.localtime(patrolled_at).date() < campaign.start_on or (
        campaign.end_on and timezone.localtime(patrolled_at).date() > campaign.end_on
    ):
        raise ValidationError({"patrolled_at": _("The date is outside the campaign.")})
    for upload in photos:
        check_photo(upload)
    found = finding_kind != FindingKind.NONE
    if found and not notes.strip():
        raise ValidationError({"notes": _("Say what was found.")})
    patrol = Patrol(
        campaign=campaign, patrolled_at=patrolled_at, place=place.strip(),
        finding_kind=finding_kind, notes=notes.strip(), passed_to=passed_to.strip(),
        status=FindingStatus.OPEN if found else FindingStatus.NONE,
        recorded_by=by, client_key=client_key,
    )  # fmt: skip
    patrol.full_clean(exclude=["members"])
    patrol.save()
    patrol.members.set(members)
    for upload in photos:
        stored = store_image(upload, settings.VISIT_PHOTO_DIR)
        PatrolPhoto.objects.create(
            patrol=patrol, stored_file=stored.name, content_type=stored.content_type,
            size=stored.size, width=stored.width, height=stored.height,
        )  # fmt: skip
    return patrol


@transaction.atomic
def finding_update(*, by, patrol: Patrol, passed_to: str | None = None,
                   resolution: str = "", close: bool = False,
                   closed_on: datetime.date | None = None) -> Patrol:  # fmt: skip
    """Follow a finding up: say to whom it was passed on, and close it (how it was
    resolved, when)."""
    patrol = Patrol.objects.select_for_update().get(pk=patrol.pk)
    if not may_follow_up(by, patrol):
        raise PermissionDenied
    if patrol.status != FindingStatus.OPEN:
        raise ValidationError(_("This finding is not open."))
    if passed_to is not None:
        patrol.passed_to = passed_to.strip()
    if close:
        if not resolution.strip():
            raise ValidationError({"resolution": _("Say how it was resolved.")})
        patrol.status = FindingStatus.CLOSED
        patrol.closed_on = closed_on or timezone.localdate()
        patrol.closed_by = by
        patrol.resolution = resolution.strip()
        if patrol.closed_on < timezone.localtime(patrol.patrolled_at).date():
            raise ValidationError(
                {"closed_on": _("A finding is closed after it was found.")}
            )
    patrol.full_clean(exclude=["members"])
    patrol.save()
    return patrol
