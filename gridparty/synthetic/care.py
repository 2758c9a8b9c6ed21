"""Care visits (exactly 10·N over 24 months), check-ups and hospital stays."""

import datetime
from array import array
from decimal import Decimal

from grids.bulk import load_model
from services.models import (
    CareVisit,
    CareVisitKind,
    HealthCheck,
    Hospitalization,
    VisitedCadre,
    VisitKind,
    VisitOutcome,
)

from .shared import VISIT_DAYS, VISITS_PER_CADRE

KINDS = list(VisitKind.values)
VISIT_COLUMNS = [
    "id", "visited_on", "outcome", "partner_staff", "partner_id", "notes", "follow_up",
    "follow_up_due", "follow_up_done_on", "recorded_by_id", "created_at", "updated_at",
]  # fmt: skip
CHECK_COLUMNS = [
    "id", "cadre_id", "checked_on", "provider", "partner_id", "systolic", "diastolic",
    "fasting_glucose", "height_cm", "weight_kg", "findings", "advice", "follow_up",
    "recorded_by_id", "created_at",
]  # fmt: skip


class CareMixin:
    def _visit_plan(self) -> list[list[int]]:
        """[cadre index, number of visits, last possible day] per visited cadre.

        Visits are shared out by tier (a high-tier cadre gets 13 times a general one's),
        0.5 % are never visited and 5 % not for the last 2–7 months; the total is then
        made exactly 10·N.
        """
        rng, today = self.rng, self.anchor_ordinal
        first_day = today - VISIT_DAYS
        weights = [1 / tier for tier in self.c_tier]
        total_weight = sum(weights)
        target = VISITS_PER_CADRE * len(weights)
        plan = []
        carry = 0.0
        for i, weight in enumerate(weights):
            share = target * weight / total_weight + carry
            count = int(share)
            carry = share - count
            roll = rng.random()
            if roll < 0.005:
                continue  # never visited
            end = min(self.c_end[i], today)
            if roll < 0.055:
                end -= rng.randint(60, 200)  # long overdue
            if end > first_day:
                plan.append([i, count, end])
        missing = target - sum(p[1] for p in plan)
        by_weight = sorted(range(len(plan)), key=lambda k: -weights[plan[k][0]])
        for k in range(missing):
            plan[by_weight[k % len(by_weight)]][1] += 1
        return plan

    def build_visits(self) -> None:
        rng = self.rng
        first_day = self.anchor_ordinal - VISIT_DAYS
        v_cadre, v_day, v_met = array("i"), array("i"), array("b")
        v_kind1, v_kind2, v_partner = array("b"), array("b"), array("i")
        n_kinds = len(KINDS)
        for i, count, end in self._visit_plan():
            span = end - first_day
            partner = self.partner_of_township[self.c_township[i]]
            for day in sorted(first_day + rng.randrange(span) for _ in range(count)):
                v_cadre.append(i + 1)
                v_day.append(day)
                v_met.append(rng.random() < 0.92)
                k1 = rng.randrange(n_kinds)
                k2 = rng.randrange(n_kinds) if rng.random() < 0.3 else -1
                v_kind1.append(k1)
                v_kind2.append(-1 if k2 == k1 else k2)
                v_partner.append(partner if rng.random() < 0.1 else 0)
        total = len(v_cadre)
        worker, stamp = self.c_worker, self.stamp
        days = {d: datetime.date.fromordinal(d) for d in set(v_day)}
        met, not_home = VisitOutcome.MET, VisitOutcome.NOT_AT_HOME

        self.count(CareVisit, load_model(CareVisit, VISIT_COLUMNS, (
            (v + 1, days[v_day[v]], met if v_met[v] else not_home, "", v_partner[v] or None,
             "", "", None, None, worker[v_cadre[v] - 1], stamp, stamp)
            for v in range(total)
        )))  # fmt: skip
        self.count(VisitedCadre, load_model(
            VisitedCadre,
            ["id", "visit_id", "cadre_id", "visited_on", "met"],
            ((v + 1, v + 1, v_cadre[v], days[v_day[v]], bool(v_met[v])) for v in range(total)),
        ))  # fmt: skip

        def kinds():
            pk = 0
            for v in range(total):
                pk += 1
                yield (pk, v + 1, KINDS[v_kind1[v]])
                if v_kind2[v] >= 0:
                    pk += 1
                    yield (pk, v + 1, KINDS[v_kind2[v]])

        self.count(
            CareVisitKind, load_model(CareVisitKind, ["id", "visit_id", "kind"], kinds())
        )
        through = CareVisit.visitors.through
        self.count(through, load_model(
            through,
            ["id", "carevisit_id", "user_id"],
            ((v + 1, v + 1, worker[v_cadre[v] - 1]) for v in range(total)),
        ))  # fmt: skip

    def build_health(self) -> None:
        """A check-up a year for two years (5 % missed the latest), 1 % in hospital."""
        rng, today, stamp = self.rng, self.anchor_ordinal, self.stamp
        checks, stays = [], []
        for i, end in enumerate(self.c_end):
            latest = today - rng.randint(5, 360)
            if rng.random() < 0.05:
                latest -= 365
            for day in (latest - 365, latest):
                if day > end:
                    continue
                systolic = rng.randint(110, 170)
                checks.append((
                    len(checks) + 1, i + 1, datetime.date.fromordinal(day), "社区卫生服务中心",
                    None, systolic, rng.randint(60, min(100, systolic - 20)),
                    Decimal(rng.randint(45, 100)) / 10, Decimal(rng.randint(148, 180)),
                    Decimal(rng.randint(42, 85)), "", "", "", self.c_worker[i], stamp,
                ))  # fmt: skip
            if end == today and rng.random() < 0.01:
                admitted = today - rng.randint(1, 200)
                discharged = admitted + rng.randint(3, 30)
                stays.append((
                    len(stays) + 1, i + 1, datetime.date.fromordinal(admitted),
                    datetime.date.fromordinal(discharged) if discharged <= today else None,
                    "区中心医院", "", self.c_worker[i], stamp,
                ))  # fmt: skip
        self.count(HealthCheck, load_model(HealthCheck, CHECK_COLUMNS, checks))
        self.count(Hospitalization, load_model(
            Hospitalization,
            ["id", "cadre_id", "admitted_on", "discharged_on", "hospital", "notes",
             "recorded_by_id", "created_at"],
            stays,
        ))  # fmt: skip
