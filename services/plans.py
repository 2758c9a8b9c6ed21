"""Visit plans: each active cadre's tier and next due visit (DOMAIN.md, "Default visit
plan"), recomputed for the cadres a change touches and once a day for everyone (an
80th birthday changes a tier overnight).

Tier rules, in order: high — critically ill, or aged `high_age`+ and living alone or
empty-nest; priority — 离休, disabled or cognitively impaired, or in hardship; general
— everyone else. An officer's override beats the rules. Next due: the last contact
that counts (outcome met) plus the tier's interval, or the day the cadre came onto a
plan if never contacted; no later than a day after a hospital admission not yet
visited, nor a week after a discharge not yet visited.
"""

import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from grids.datebounds import shift
from members.dates import latest_birth_date_for_age
from members.models import Cadre, CadreStatus, Category, LivingSituation

from .models import Hospitalization, VisitedCadre, VisitPlan, VisitPolicy, VisitTier

UPDATE_BATCH = 2_000


def tier_for(cadre_values: dict, policy: VisitPolicy, today: datetime.date) -> str:
    """The rules' tier for a cadre (a dict of the cadre's fields)."""
    aged = cadre_values["birth_date"] <= latest_birth_date_for_age(policy.high_age, today)
    alone = cadre_values["living_situation"] in (
        LivingSituation.ALONE,
        LivingSituation.EMPTY_NEST,
    )
    if cadre_values["critically_ill"] or (aged and alone):
        return VisitTier.HIGH
    if (
        cadre_values["category"] == Category.LIXIU
        or cadre_values["disabled_or_cognitive"]
        or cadre_values["in_hardship"]
    ):
        return VisitTier.PRIORITY
    return VisitTier.GENERAL


def next_due(
    *,
    tier: str,
    last_contact: datetime.date | None,
    since: datetime.date,
    admitted: datetime.date | None,
    discharged: datetime.date | None,
    policy: VisitPolicy,
) -> datetime.date:
    due = shift(last_contact, policy.interval(tier)) if last_contact else since
    # An open hospital stay: a visit within a day of admission, unless one came since.
    if admitted and (last_contact is None or last_contact < admitted):
        due = min(due, shift(admitted, policy.after_admission_days))
    # After a discharge: a visit within a week, unless one came since.
    if discharged and (last_contact is None or last_contact < discharged):
        due = min(due, shift(discharged, policy.after_discharge_days))
    return due


FIELDS = ["birth_date", "living_situation", "critically_ill", "category",
          "disabled_or_cognitive", "in_hardship"]  # fmt: skip


@transaction.atomic
def visit_plans_refresh(
    *, cadres: Iterable[int] | None = None, today: datetime.date | None = None
) -> int:
    """Recompute the plans of the given cadre ids (all cadres if None); archived
    cadres lose theirs. A fixed number of queries whatever the number of cadres.
    Returns how many plans were created or changed."""
    today = today or timezone.localdate()
    policy = VisitPolicy.current()
    ids = None if cadres is None else list({int(c) for c in cadres})
    scope = Q() if ids is None else Q(cadre_id__in=ids)
    VisitPlan.objects.filter(scope).exclude(cadre__status=CadreStatus.ACTIVE).delete()
    last_met = VisitedCadre.objects.filter(cadre_id=OuterRef("pk"), met=True).order_by(
        "-visited_on"
    )
    stays = Hospitalization.objects.filter(cadre_id=OuterRef("pk"))
    active = Cadre.objects.filter(status=CadreStatus.ACTIVE)
    if ids is not None:
        active = active.filter(pk__in=ids)
    rows = active.annotate(
        last_met=Subquery(last_met.values("visited_on")[:1]),
        admitted=Subquery(
            stays.filter(discharged_on__isnull=True)
            .order_by("-admitted_on")
            .values("admitted_on")[:1]
        ),
        discharged=Subquery(
            stays.filter(discharged_on__isnull=False)
            .order_by("-discharged_on")
            .values("discharged_on")[:1]
        ),
    ).values("pk", "last_met", "admitted", "discharged", *FIELDS)
    plans = {p.cadre_id: p for p in VisitPlan.objects.filter(scope)}
    created, changed = [], []
    for row in rows.iterator(chunk_size=5_000):
        plan = plans.get(row["pk"])
        fresh = plan is None
        if fresh:
            plan = VisitPlan(cadre_id=row["pk"], since=today)
        tier = plan.override_tier or tier_for(row, policy, today)
        due = next_due(
            tier=tier,
            last_contact=row["last_met"],
            since=plan.since,
            admitted=row["admitted"],
            discharged=row["discharged"],
            policy=policy,
        )
        if fresh:
            plan.tier, plan.last_contact_on, plan.next_due_on = tier, row["last_met"], due
            created.append(plan)
        elif (plan.tier, plan.last_contact_on, plan.next_due_on) != (
            tier,
            row["last_met"],
            due,
        ):
            plan.tier, plan.last_contact_on, plan.next_due_on = tier, row["last_met"], due
            changed.append(plan)
    VisitPlan.objects.bulk_create(created, batch_size=UPDATE_BATCH, ignore_conflicts=True)
    if len(created) > 10_000 and connection.vendor == "postgresql":
        # Fresh statistics for the queues' planner after a mass creation.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {VisitPlan._meta.db_table}")
    VisitPlan.objects.bulk_update(
        changed, ["tier", "last_contact_on", "next_due_on"], batch_size=UPDATE_BATCH
    )
    return len(created) + len(changed)
