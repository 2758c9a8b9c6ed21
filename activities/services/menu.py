"""Activity menu writes (活动菜单, issue 20): putting an activity on a branch's, grid's
or township's menu; signing a cadre up in one tap (only for what suits them, within
the capacity, never twice); taking a sign-up back; and recording who came. Each
checks who may."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.datebounds import DateBound
from grids.models import OrgUnit, PartnerUnit
from members.models import Cadre, CadreStatus
from members.selectors import can_edit_cadre

from ..models import (
    Activity,
    Attendance,
    AttendanceStatus,
    MeetingKind,
    SignUp,
    Suits,
)
from ..selectors.menu import may_offer, on_menu_of, suits_cadre
from .meetings import activity_counts_refresh


@transaction.atomic
def menu_offer(*, by, unit: OrgUnit, kind: MeetingKind, topic: str,
               starts_at: datetime.datetime, suits: str, capacity: int | None = None,
               place: str = "", theme: str = "", offered_by: PartnerUnit | None = None,
               duration_minutes: int | None = None) -> Activity:  # fmt: skip
    """An activity on the unit's menu: of a kind that does not count in meeting
    participation, marked for whom it suits."""
    if not may_offer(by, unit):
        raise PermissionDenied
    if kind.counts:
        raise ValidationError(
            {"kind": _("Meetings are recorded on the meetings page, not on the menu.")}
        )
    if suits not in Suits.values:
        raise ValidationError({"suits": _("Choose for whom the activity suits.")})
    if capacity is not None and capacity < 1:
        raise ValidationError({"capacity": _("The capacity is at least 1, or blank.")})
    activity = Activity(
        kind=kind, unit=unit, topic=topic, starts_at=starts_at, place=place,
        suits=suits, capacity=capacity, theme=theme, offered_by=offered_by,
        duration_minutes=duration_minutes, created_by=by,
    )  # fmt: skip
    # A menu is planned ahead: the date is checked as a planned date, not as an
    # event that has happened.
    try:
        DateBound("planned")(timezone.localtime(starts_at).date())
    except ValidationError as exc:
        raise ValidationError({"starts_at": exc.messages}) from None
    activity.full_clean(exclude=["starts_at"])
    activity.save()
    return activity


def menu_sign_up(*, by, activity: Activity, cadre: Cadre) -> SignUp:
    """Sign a cadre up (报名): by someone who may change the cadre, for an activity
    on their menu that has not begun, suits their mobility and has a place left.
    Signing up twice is no second place."""
    if not can_edit_cadre(by, cadre):
        raise PermissionDenied
    return _sign_up(activity, cadre, by)


def menu_sign_up_own(*, activity: Activity, cadre: Cadre) -> SignUp:
    """The cadre signs themselves up on their own pages (issue 23): the same rules."""
    return _sign_up(activity, cadre, None)


def _sign_up(activity: Activity, cadre: Cadre, by) -> SignUp:
    if not on_menu_of(activity, cadre):
        raise ValidationError(
            _("This activity is not on %(name)s's menu.") % {"name": cadre.name}
        )
    if cadre.status != CadreStatus.ACTIVE:
        raise ValidationError(
            _("%(name)s is no longer on the roster.") % {"name": cadre.name}
        )
    if not suits_cadre(activity.suits, cadre.mobility):
        raise ValidationError(
            _("“%(topic)s” does not suit %(name)s (%(mobility)s).")
            % {"topic": activity.topic, "name": cadre.name,
               "mobility": cadre.get_mobility_display()}
        )  # fmt: skip
    if activity.starts_at < timezone.now():
        raise ValidationError(
            _("“%(topic)s” has already begun.") % {"topic": activity.topic}
        )
    with transaction.atomic():
        # The activity's row is the lock: two workers signing up the last place at
        # once take it one after the other.
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        existing = SignUp.objects.filter(activity=locked, cadre=cadre).first()
        if existing is not None:
            return existing
        if locked.capacity is not None and locked.signups.count() >= locked.capacity:
            raise ValidationError(
                _("“%(topic)s” is full: all %(n)d places are taken.")
                % {"topic": locked.topic, "n": locked.capacity}
            )
        try:
            with transaction.atomic():
                return SignUp.objects.create(activity=locked, cadre=cadre, created_by=by)
        except IntegrityError:  # the same tap, sent twice at once
            return SignUp.objects.get(activity=locked, cadre=cadre)


def menu_withdraw(*, by, activity: Activity, cadre: Cadre) -> bool:
    """Take a sign-up back before the activity begins; whether there was one."""
    if not can_edit_cadre(by, cadre):
        raise PermissionDenied
    return menu_withdraw_own(activity=activity, cadre=cadre)


def menu_withdraw_own(*, activity: Activity, cadre: Cadre) -> bool:
    """The cadre cancels their own sign-up on their own pages (issue 23)."""
    if activity.starts_at < timezone.now():
        raise ValidationError(
            _("“%(topic)s” has already begun.") % {"topic": activity.topic}
        )
    deleted, _rows = SignUp.objects.filter(activity=activity, cadre=cadre).delete()
    return bool(deleted)


@transaction.atomic
def menu_attendance(*, by, activity: Activity, came: set[int]) -> int:
    """Record who came, among the signed-up cadres the user may change: those in
    `came` took part (at home, for an at-home activity), the others were absent.
    Returns how many took part."""
    if not activity.suits:
        raise ValidationError(_("This activity is not on a menu."))
    if activity.starts_at > timezone.now():
        raise ValidationError(_("Attendance is recorded once the activity has begun."))
    signed = [
        s.cadre
        for s in activity.signups.select_related("cadre__branch", "cadre__residence_unit")
    ]
    mine = [c for c in signed if can_edit_cadre(by, c)]
    if not mine:
        raise PermissionDenied
    present = (
        AttendanceStatus.AT_HOME
        if activity.suits == Suits.HOME
        else AttendanceStatus.PRESENT
    )
    took = 0
    for cadre in mine:
        status = present if cadre.pk in came else AttendanceStatus.ABSENT
        took += status == present
        Attendance.objects.update_or_create(
            activity=activity, cadre=cadre, defaults={"status": status}
        )
    activity_counts_refresh([activity])
    return took
