"""Writes for care: visits, hospitalizations, check-ups."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.services import study_delivered
from grids.selectors import is_officer
from members.models import Cadre, CadreStatus

from ..models import (
    CareVisit,
    CareVisitKind,
    HealthCheck,
    Hospitalization,
    Reminder,
    ReminderChoice,
    VisitedCadre,
    VisitKind,
    VisitOutcome,
    VisitPlan,
    VisitTier,
)
from ..photos import check_photo, store_photo
from ..plans import visit_plans_refresh
from ..reminders import RULES


@transaction.atomic
def visit_log(
    *,
    cadres: Iterable[Cadre],
    kinds: Iterable[str],
    visited_on: datetime.date | None = None,
    outcome: str = VisitOutcome.MET,
    visitors: Iterable = (),
    by=None,
    client_key=None,
    photo=None,
    **fields: Any,
) -> CareVisit:
    """Record one visit for one or more cadres with one or more kinds, and move their
    visit plans. With `client_key` (the form's idempotency key) the same form sent
    twice records one visit: the second call returns the first visit.

    A fixed number of queries whatever the number of cadres or kinds.
    """
    if client_key is not None:
        earlier = _visit_sent_before(client_key, by)
        if earlier is not None:
            return _with_photo(earlier, photo)
    cadres = list({c.pk: c for c in cadres}.values())
    kinds = list(dict.fromkeys(kinds))
    errors: dict[str, list[str]] = {}
    if not cadres:
        errors["cadres"] = [_("Choose at least one cadre who was visited.")]
    if not kinds:
        errors["kinds"] = [_("Choose at least one kind of visit or service.")]
    unknown = [k for k in kinds if k not in VisitKind.values]
    if unknown:
        errors["kinds"] = [_("Unknown kind of visit: %s") % "、".join(unknown)]
    visited_on = visited_on or timezone.localdate()
    if visited_on > timezone.localdate():
        errors["visited_on"] = [_("The visit date lies in the future.")]
    gone = [
        c.name
        for c in cadres
        if c.status == CadreStatus.ARCHIVED
        and c.archived_on
        and c.archived_on < visited_on
    ]
    if gone:
        errors["cadres"] = [
            _("These cadres had left the roster by that date: %s") % "、".join(gone)
        ]
    if errors:
        raise ValidationError(errors)
    visit = CareVisit(
        visited_on=visited_on,
        outcome=outcome,
        recorded_by=by,
        client_key=client_key,
        **fields,
    )
    visit.full_clean(validate_unique=client_key is None)
    try:
        with transaction.atomic():  # a savepoint: a concurrent resend may win the key
            visit.save()
    except IntegrityError:
        earlier = _visit_sent_before(client_key, by) if client_key is not None else None
        if earlier is None:
            raise
        return _with_photo(earlier, photo)
    CareVisitKind.objects.bulk_create(CareVisitKind(visit=visit, kind=k) for k in kinds)
    VisitedCadre.objects.bulk_create(
        VisitedCadre(
            visit=visit,
            cadre=c,
            visited_on=visited_on,
            met=outcome == VisitOutcome.MET,
        )
        for c in cadres
    )
    visitors = list(visitors)
    if visitors:
        visit.visitors.set(visitors)
    if visit.meeting_id and VisitKind.STUDY in kinds and outcome == VisitOutcome.MET:
        # 送学上门 naming the meeting: they took part at home.
        study_delivered(activity=visit.meeting, cadre_ids=[c.pk for c in cadres])
    visit_plans_refresh(cadres=[c.pk for c in cadres])
    return _with_photo(visit, photo)


def _with_photo(visit: CareVisit, photo) -> CareVisit:
    # A resend that carries the photo again stores it once.
    if photo is not None and not visit.photos.exists():
        store_photo(visit=visit, upload=photo)
    return visit


def _visit_sent_before(client_key, by) -> CareVisit | None:
    """The visit recorded earlier with this form's key (a resend), if any."""
    earlier = CareVisit.objects.filter(client_key=client_key).first()
    if (
        earlier is not None
        and by is not None
        and earlier.recorded_by_id not in (None, by.pk)
    ):
        raise ValidationError(_("This form was already used by someone else."))
    return earlier


VISIT_EDIT_FIELDS = ("visited_on", "outcome", "partner", "partner_staff", "notes",
                     "follow_up", "follow_up_due")  # fmt: skip


@transaction.atomic
def visit_update(
    *, visit: CareVisit, by, kinds: Iterable[str], visitors: Iterable = (),
    photo=None, **fields: Any,
) -> CareVisit:  # fmt: skip
    """Correct a visit: its fields, its kinds (added and removed), its fellow visitors
    (the author's own list is replaced; another editor only adds), a photo; the
    cadre links and plans follow. Nothing is written when anything is refused."""
    unknown = set(fields) - set(VISIT_EDIT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    kinds = list(dict.fromkeys(kinds))
    if not kinds:
        raise ValidationError(
            {"kinds": [_("Choose at least one kind of visit or service.")]}
        )
    if photo is not None:
        check_photo(photo)
    for name, value in fields.items():
        setattr(visit, name, value)
    visit.full_clean()
    visit.save()
    visit.kinds.exclude(kind__in=kinds).delete()
    have = set(visit.kinds.values_list("kind", flat=True))
    CareVisitKind.objects.bulk_create(
        CareVisitKind(visit=visit, kind=k) for k in kinds if k not in have
    )
    visitors = set(visitors)
    if not visit.recorded_by_id or visit.recorded_by_id == by.pk:
        visit.visitors.set({by, *visitors})
    else:
        visit.visitors.set({*visit.visitors.all(), *visitors})
    visit_sync_links(visit=visit)
    if photo is not None:
        store_photo(visit=visit, upload=photo)
    return visit


def visit_sync_links(*, visit: CareVisit) -> None:
    """Copy the visit's date and outcome onto its cadre links (after an edit)."""
    VisitedCadre.objects.filter(visit=visit).update(
        visited_on=visit.visited_on, met=visit.outcome == VisitOutcome.MET
    )
    visit_plans_refresh(
        cadres=VisitedCadre.objects.filter(visit=visit).values_list("cadre_id", flat=True)
    )


@transaction.atomic
def follow_up_done(*, visit: CareVisit, on: datetime.date | None = None) -> CareVisit:
    if not visit.follow_up:
        raise ValidationError(_("This visit has no follow-up."))
    visit.follow_up_done_on = on or timezone.localdate()
    visit.save(update_fields=["follow_up_done_on", "updated_at"])
    return visit


@transaction.atomic
def hospitalization_record(
    *, cadre: Cadre, admitted_on: datetime.date, hospital: str, by=None, notes: str = ""
) -> Hospitalization:
    open_stay = (
        Hospitalization.objects.select_for_update()
        .filter(cadre=cadre, discharged_on__isnull=True)
        .first()
    )
    if open_stay:
        raise ValidationError(
            _("%(name)s is still recorded in hospital (%(hospital)s since %(date)s).")
            % {
                "name": cadre.name,
                "hospital": open_stay.hospital,
                "date": open_stay.admitted_on,
            }
        )
    stay = Hospitalization(
        cadre=cadre,
        admitted_on=admitted_on,
        hospital=hospital,
        notes=notes,
        recorded_by=by,
    )
    stay.full_clean()
    stay.save()
    visit_plans_refresh(cadres=[cadre.pk])
    return stay


@transaction.atomic
def hospitalization_discharge(
    *, hospitalization: Hospitalization, discharged_on: datetime.date
) -> Hospitalization:
    hospitalization.discharged_on = discharged_on
    hospitalization.full_clean()
    hospitalization.save(update_fields=["discharged_on"])
    visit_plans_refresh(cadres=[hospitalization.cadre_id])
    return hospitalization


@transaction.atomic
def health_check_record(
    *, cadre: Cadre, checked_on: datetime.date, by=None, **fields
) -> HealthCheck:
    check = HealthCheck(cadre=cadre, checked_on=checked_on, recorded_by=by, **fields)
    check.full_clean()
    check.save()
    return check


@transaction.atomic
def visit_plan_override(*, cadre: Cadre, tier: str, reason: str, by) -> VisitPlan:
    """An officer sets (or, with tier "", clears) a cadre's tier, with the reason; the
    change is in the plan's history (django-auditlog)."""
    if not is_officer(by):
        raise PermissionDenied
    reason = (reason or "").strip()
    if tier and tier not in VisitTier.values:
        raise ValidationError({"tier": _("Unknown tier.")})
    if tier and not reason:
        raise ValidationError(
            {"override_reason": _("Give the reason for setting the tier.")}
        )
    visit_plans_refresh(cadres=[cadre.pk])
    plan = VisitPlan.objects.select_for_update().get(cadre=cadre)
    plan.override_tier = tier
    plan.override_reason = reason if tier else ""
    plan.full_clean()
    plan.save()
    visit_plans_refresh(cadres=[cadre.pk])
    plan.refresh_from_db()
    return plan


def reminders_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own unread reminders read: those with the given ids, or all
    (ids=None). Another user's reminders are never touched. Returns how many."""
    mine = Reminder.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        mine = mine.filter(pk__in=list(ids))
    return mine.update(read_at=timezone.now())


@transaction.atomic
def reminder_email_choices_set(*, user, rules: Iterable[str]) -> set[str]:
    """Which rules come in the user's daily e-mail digest (the inbox gets them all);
    unknown rule keys are ignored. Returns the rules chosen."""
    chosen = set(rules) & {rule.key for rule in RULES}
    for rule in RULES:
        ReminderChoice.objects.update_or_create(
            user=user, rule=rule.key, defaults={"email": rule.key in chosen}
        )
    return chosen
