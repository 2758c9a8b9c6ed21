"""A synthetic district big enough to keep everything honest about speed.

For N cadres: N/20,000 townships (at least one) under one district, N/100 communities
and villages with a branch each, ten per grid; staff users (a community worker per
community, a grid worker per grid, a township officer per township); 10·N care visits
over 24 months with their cadre links, kinds and visitors; a check-up per cadre per
year for two years; a year of meetings (monthly 主题党日, quarterly 支部党员大会) with
attendance.

Same seed and anchor date → the same rows, ids included: one seeded random stream is
consumed in a fixed order and every id is assigned here. Rows go in with COPY on
PostgreSQL (batched inserts elsewhere) into tables whose foreign keys, unique
constraints and secondary indexes are put back afterwards (`bulk.bare_tables`); the
MPTT columns are computed from the parent links in one pass and verified with
`tree_problems()`.
"""

import datetime
import random
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from activities.standard import ensure_standard_kinds
from grids.bulk import bare_tables, reset_sequences
from grids.models import OrgUnit
from grids.services import tree_problems
from members.models import Cadre

from .care import CareMixin
from .layout import LayoutMixin
from .meetings import MeetingsMixin
from .people import PeopleMixin
from .shared import BENCH_COMMUNITY_SIZE, BIG_MODELS, MODELS_WRITTEN, SYNTHETIC_PASSWORD

# Raised when what the set holds changes (2: cadres carry on_roster_since; 3: and a
# monthly pension), so that a bench database seeded by an older version is seeded
# again rather than reused.
SYNTHETIC_VERSION = 3

__all__ = ["SYNTHETIC_PASSWORD", "SeedResult", "database_is_empty", "seed_synthetic"]


@dataclass
class SeedResult:
    seconds: float
    counts: dict[str, int]
    bench_worker: str
    bench_worker_cadres: int
    timings: dict[str, float] = field(default_factory=dict)


class Generator(LayoutMixin, PeopleMixin, CareMixin, MeetingsMixin):
    def __init__(self, *, cadres: int, seed: int, anchor: datetime.date):
        self.n = cadres
        self.rng = random.Random(seed)
        self.anchor = anchor
        self.anchor_ordinal = anchor.toordinal()
        self.stamp = timezone.make_aware(
            datetime.datetime.combine(anchor, datetime.time(8))
        )
        self.timings: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    def count(self, model, rows: int) -> None:
        name = model._meta.model_name
        self.counts[name] = self.counts.get(name, 0) + rows

    def _timed(self, name: str, step) -> None:
        started = time.perf_counter()
        step()
        self.timings[name] = time.perf_counter() - started

    def run(self) -> SeedResult:
        started = time.perf_counter()
        with transaction.atomic():
            ensure_standard_kinds()  # the meetings refer to them
            self._timed("tree", self.build_tree)
            self._timed("partners_staff", self.build_partners_and_staff)
            with bare_tables(BIG_MODELS):
                self._timed("cadres", self.build_cadres)
                self._timed("visits", self.build_visits)
                self._timed("health", self.build_health)
                self._timed("meetings", self.build_meetings)
                mark = time.perf_counter()
            self.timings["indexes_constraints"] = time.perf_counter() - mark
            reset_sequences(MODELS_WRITTEN)
            mark = time.perf_counter()
        self.timings["commit"] = time.perf_counter() - mark
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        problems = tree_problems()
        if problems:
            raise RuntimeError(f"synthetic tree is inconsistent: {problems[:3]}")
        bench = max(self.places, key=lambda p: (p.size == BENCH_COMMUNITY_SIZE, p.size))
        return SeedResult(
            seconds=time.perf_counter() - started,
            counts=self.counts,
            bench_worker=bench.username,
            bench_worker_cadres=bench.size,
            timings=self.timings,
        )


def database_is_empty() -> bool:
    return not (
        OrgUnit.objects.exists()
        or Cadre.objects.exists()
        or get_user_model().objects.exists()
    )


def seed_synthetic(
    *, cadres: int, seed: int, anchor: datetime.date | None = None
) -> SeedResult:
    if cadres < 1:
        raise ValueError("cadres must be positive")
    return Generator(
        cadres=cadres, seed=seed, anchor=anchor or timezone.localdate()
    ).run()
