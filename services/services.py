"""Writes for care: visits, hospitalizations, check-ups."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Cadre, CadreStatus

from .models import (
    CareVisit,
    CareVisitKind,
    HealthCheck,
    Hospitalization,
    VisitedCadre,
    VisitKind,
    VisitOutcome,
)
from .plans import visit_plans_refresh


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
    **fields: Any,
) -> CareVisit:
    """Record one visit for one or more cadres with one or more kinds, and move their
    visit plans. With `client_key` (the form's idempotency key) the same form sent
    twice records one visit: the second call returns the first visit.

    A fixed number of queries whatever the number of cadres or kinds.
    """
    if client_key is not None:
        earlier = CareVisit.objects.filter(client_key=client_key).first()
        if earlier is not None:
            if by is not None and earlier.recorded_by_id not in (None, by.pk):
                raise ValidationError(_("This form was already used by someone else."))
            return earlier
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
    visit.full_clean()
    visit.save()
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
    visit_plans_refresh(cadres=[c.pk for c in cadres])
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
