from dataclasses import dataclass

from django.contrib.auth import get_user_model

from activities.models import Activity, Attendance
from grids.models import OrgUnit, Pairing, PartnerUnit, StaffAssignment
from members.models import Cadre, FamilyContact, RankLevel
from services.models import (
    CareVisit,
    CareVisitKind,
    HealthCheck,
    Hospitalization,
    VisitedCadre,
)

SYNTHETIC_PASSWORD = "Synthetic-2026"
CADRES_PER_TOWNSHIP = 20_000
CADRES_PER_PLACE = 100
PLACES_PER_GRID = 10
VISITS_PER_CADRE = 10
VISIT_DAYS = 730
# One community this size: the benchmark worker's queue.
BENCH_COMMUNITY_SIZE = 500
# Tier intervals in days (DOMAIN.md: weekly / monthly / quarterly).
HIGH, PRIORITY, GENERAL = 7, 30, 91

# The tables with millions of rows, loaded bare (see bulk.bare_tables).
BIG_MODELS = [
    Cadre,
    FamilyContact,
    Activity,
    Attendance,
    CareVisit,
    CareVisit.visitors.through,
    CareVisitKind,
    VisitedCadre,
    HealthCheck,
    Hospitalization,
]
MODELS_WRITTEN = [
    OrgUnit,
    PartnerUnit,
    Pairing,
    get_user_model(),
    StaffAssignment,
    RankLevel,
    *BIG_MODELS,
]


@dataclass
class Place:
    """A community or village with its branch and its worker."""

    pk: int
    branch_pk: int
    township_index: int
    grid_pk: int
    number: int
    worker_pk: int = 0
    size: int = 0
    username: str = ""


def split_evenly(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]
