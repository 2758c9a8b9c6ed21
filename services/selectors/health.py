"""Health check-ups (issue 9): the series per cadre, when the next is due, the list of
cadres due or overdue. Health data is sensitive (PIPL art. 28): lists say only "due"
or "overdue"; the full record is for the roles of REVEAL_ROLES["health"], and every
view of it is written to the access log."""

import datetime

from django.conf import settings
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone

from grids.datebounds import shift
from members.models import Cadre, CadreStatus
from members.selectors import cadres_visible_to

from ..models import HealthCheck


def check_interval() -> datetime.timedelta:
    return datetime.timedelta(days=settings.HEALTH_CHECK_INTERVAL_DAYS)


def next_check_due(last: datetime.date | None, today: datetime.date) -> datetime.date:
    """One interval (a year by default) after the last check-up; now if never."""
    return shift(last, settings.HEALTH_CHECK_INTERVAL_DAYS) if last else today


def health_due(user, today: datetime.date | None = None):
    """The visible active cadres whose check-up is overdue or due within
    HEALTH_DUE_WINDOW_DAYS, with their last check-up date, by unit then due date.
    One query (a correlated MAX per cadre on the (cadre, checked_on) index)."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.HEALTH_DUE_WINDOW_DAYS)
    latest = Subquery(
        HealthCheck.objects.filter(cadre_id=OuterRef("pk"))
        .order_by("-checked_on")
        .values("checked_on")[:1]
    )
    return (
        cadres_visible_to(user)
        .filter(status=CadreStatus.ACTIVE)
        .annotate(last_check=latest)
        .filter(
            Q(last_check__isnull=True) | Q(last_check__lte=horizon - check_interval())
        )
        .select_related("residence_unit")
        .only("name", "residence_unit__name", "residence_unit__lft")
        .order_by("residence_unit__tree_id", "residence_unit__lft", "last_check", "pk")
    )


def label_due(cadres, today: datetime.date) -> None:
    for cadre in cadres:
        cadre.check_due = next_check_due(cadre.last_check, today)
        cadre.check_overdue = cadre.check_due < today


def health_series(cadre: Cadre) -> list[HealthCheck]:
    return list(
        cadre.health_checks.select_related("partner").order_by("checked_on", "pk")
    )


def last_check_of(cadre: Cadre) -> datetime.date | None:
    return cadre.health_checks.aggregate(last=Max("checked_on"))["last"]


def pressure_chart(
    series: list[HealthCheck], width: int = 320, height: int = 120
) -> dict:
    """Points of a small blood-pressure trend chart (server-rendered SVG)."""
    points = [c for c in series if c.systolic and c.diastolic]
    if len(points) < 2:
        return {}
    low, high = 40, 220
    pad = 10

    def y(value: int) -> float:
        return round(height - pad - (value - low) * (height - 2 * pad) / (high - low), 1)

    step = (width - 2 * pad) / (len(points) - 1)
    xs = [round(pad + i * step, 1) for i in range(len(points))]
    return {
        "width": width,
        "height": height,
        "systolic": " ".join(
            f"{x},{y(c.systolic)}" for x, c in zip(xs, points, strict=True)
        ),
        "diastolic": " ".join(
            f"{x},{y(c.diastolic)}" for x, c in zip(xs, points, strict=True)
        ),
        "line140": y(140),
        "line90": y(90),
        "labels": [(x, c.checked_on.year) for x, c in zip(xs, points, strict=True)],
    }
