"""Reads for care, already scoped: who may log a visit for whom, each worker's queue,
a cadre's visit timeline. Each costs a fixed number of queries."""

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import ngettext

from grids.selectors import WRITE_ROLES, has_role_over, is_officer
from members.models import Cadre, CadreStatus
from members.selectors import cadres_visible_to

from ..models import (
    CareVisit,
    Hospitalization,
    VisitedCadre,
    VisitPlan,
    VisitPolicy,
    VisitTier,
)

# The author may change a visit for this long; afterwards only an officer.
EDIT_WINDOW = datetime.timedelta(hours=24)


def can_visit(user, cadre: Cadre) -> bool:
    """Visits are logged by those who work where the cadre lives or belongs (a
    community worker visits the cadres living in the community, whatever branch)."""
    if cadre.status != CadreStatus.ACTIVE:
        return False
    return has_role_over(user, [cadre.branch, cadre.residence_unit], WRITE_ROLES)


def can_edit_visit(user, visit: CareVisit, now=None) -> bool:
    now = now or timezone.now()
    if is_officer(user):
        return True
    return visit.recorded_by_id == user.pk and now - visit.created_at <= EDIT_WINDOW


def visits_visible_to(user) -> QuerySet[CareVisit]:
    return CareVisit.objects.filter(
        visited__cadre__in=cadres_visible_to(user).values("pk")
    ).distinct()


def visit_timeline(cadre: Cadre, limit: int = 30) -> list[CareVisit]:
    """The cadre's visits, newest first, with kinds, visitors, partner and the other
    cadres of the visit (four queries)."""
    return list(
        CareVisit.objects.filter(visited__cadre=cadre)
        .select_related("partner", "recorded_by")
        .prefetch_related(
            "kinds",
            "visitors",
            "photos",
            Prefetch("visited", queryset=VisitedCadre.objects.select_related("cadre")),
        )
        .order_by("-visited_on", "-pk")[:limit]
    )


def visit_queue(user, today: datetime.date | None = None) -> dict:
    """ "My visits": the cadres in the user's scope overdue or due within the policy's
    window (most overdue first), open follow-ups due in that window, and cadres in
    hospital. The due plans are a queryset, most overdue first, for the page to show
    a page at a time. A fixed number of queries whatever the number of cadres."""
    today = today or timezone.localdate()
    policy = VisitPolicy.current()
    horizon = today + datetime.timedelta(days=policy.queue_days)
    # The ids first (one indexed query): given a list, PostgreSQL looks each plan up
    # by its key, where a subquery tempts it to walk the whole due-date index.
    visible = list(
        cadres_visible_to(user)
        .filter(status=CadreStatus.ACTIVE)
        .values_list("pk", flat=True)
    )
    due = (
        VisitPlan.objects.filter(cadre_id__in=visible, next_due_on__lte=horizon)
        .select_related("cadre", "cadre__residence_unit")
        .only(
            "tier",
            "last_contact_on",
            "next_due_on",
            "cadre__name",
            "cadre__residence_unit__name",
        )
        .order_by("next_due_on", "cadre__name", "cadre_id")
    )
    follow_ups = list(
        CareVisit.objects.filter(
            follow_up_done_on__isnull=True,
            follow_up_due__lte=horizon,
            visited__cadre_id__in=visible,
        )
        .distinct()
        .prefetch_related(
            Prefetch("visited", queryset=VisitedCadre.objects.select_related("cadre"))
        )
        .order_by("follow_up_due", "pk")
    )
    in_hospital = list(
        Hospitalization.objects.filter(discharged_on__isnull=True, cadre_id__in=visible)
        .select_related("cadre")
        .order_by("admitted_on")
    )
    return {
        "today": today,
        "horizon": horizon,
        "due": due,
        "follow_ups": follow_ups,
        "in_hospital": in_hospital,
    }


def label_plans(plans, today: datetime.date) -> None:
    """Tier and overdue labels made once per plan, not per row in the template."""
    labels = dict(VisitTier.choices)
    for plan in plans:
        plan.days_overdue = (today - plan.next_due_on).days
        plan.tier_label = labels[plan.tier]
        plan.overdue_label = (
            ngettext("%(n)s day overdue", "%(n)s days overdue", plan.days_overdue)
            % {"n": plan.days_overdue}
            if plan.days_overdue > 0
            else ""
        )


def household_of(cadre: Cadre) -> list[Cadre]:
    """The others on the roster who share the cadre's home (visited in one tap)."""
    if not cadre.household_id:
        return []
    return list(
        Cadre.objects.filter(household_id=cadre.household_id, status=CadreStatus.ACTIVE)
        .exclude(pk=cadre.pk)
        .order_by("name")
    )


def hospitalized_on(cadre_ids: list[int], on: datetime.date) -> set[int]:
    """The cadres in hospital on a date (admitted on or before it, not discharged
    before it): one query. Registered with activities.hooks for attendance."""
    return set(
        Hospitalization.objects.filter(cadre_id__in=cadre_ids, admitted_on__lte=on)
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gte=on))
        .values_list("cadre_id", flat=True)
    )


def visits_in_year(cadre_ids: list[int], year: int) -> dict[int, dict[str, object]]:
    """Cadre id → the visits and services received in the year (those where they
    were met, and 送学上门 among them): one query. Registered with activities.hooks
    for the review sheet and the handbook."""
    rows = (
        VisitedCadre.objects.filter(
            cadre_id__in=cadre_ids, visited_on__year=year, met=True
        )
        .values("cadre_id")
        .annotate(
            visits=Count("visit", distinct=True),
            study=Count("visit", filter=Q(visit__kinds__kind="study"), distinct=True),
        )
    )
    return {
        r["cadre_id"]: {"visits_received": r["visits"], "study_at_home": r["study"]}
        for r in rows
    }
