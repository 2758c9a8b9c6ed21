"""factory_boy factories for every app's models (built through the services)."""

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from activities.models import Activity, ActivityKind, Honour, HonourKind
from activities.services import activity_create, honour_record
from grids.models import StaffAssignment, StaffRole, UnitKind
from grids.services import orgunit_create
from members.idnumbers import check_character
from members.models import Category, MemberStatus
from members.services import cadre_create
from services.models import CareVisit, HealthCheck, VisitOutcome
from services.services import health_check_record, visit_log

_serial = itertools.count(1)


def make_id_number(birth: datetime.date = datetime.date(1945, 5, 6), male=True) -> str:
    """A valid, unique 18-digit ID number for the given birth date and sex."""
    n = next(_serial)
    seq = (n * 2 + (1 if male else 0)) % 1000
    area = 310000 + n // 500
    first17 = f"{area:06d}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


def make_unit(name: str, kind: str, parent=None, code=None):
    return orgunit_create(name=name, kind=kind, parent=parent, code=code)


def make_township_tree(name: str = "测试镇"):
    """A township with two grids, each with a community (+branch) and a village (+branch)."""
    township = make_unit(name, UnitKind.TOWNSHIP)
    tree = {"township": township}
    for g in ("A", "B"):
        grid = make_unit(f"网格{g}", UnitKind.GRID, township)
        community = make_unit(f"社区{g}", UnitKind.COMMUNITY, grid)
        village = make_unit(f"村{g}", UnitKind.VILLAGE, grid)
        tree[f"grid_{g}"] = grid
        tree[f"community_{g}"] = community
        tree[f"village_{g}"] = village
        tree[f"branch_{g}"] = make_unit(f"社区{g}党支部", UnitKind.BRANCH, community)
        tree[f"village_branch_{g}"] = make_unit(f"村{g}党支部", UnitKind.BRANCH, village)
    return tree


def make_cadre(*, branch, residence_unit=None, birth=None, male=True, **fields):
    birth = birth or datetime.date(1945, 5, 6)
    data = {
        "name": "测试干部",
        "id_number": make_id_number(birth, male),
        "category": Category.TUIXIU,
        "is_party_member": True,
        "member_status": MemberStatus.FULL,
        "joined_party_on": datetime.date(1970, 3, 1),
        "full_member_on": datetime.date(1971, 3, 1),
        "branch": branch,
        "residence_unit": residence_unit or branch.parent,
    }
    data.update(fields)
    return cadre_create(**data)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("Test-pass-2026")


def assign(user, unit, role=StaffRole.COMMUNITY_WORKER):
    return StaffAssignment.objects.create(user=user, unit=unit, role=role)


# ---- care and organizational life (built through the services) -----------------------


class _ServiceFactory(factory.Factory):
    """A factory whose objects come from a service (so its rules run), not save()."""

    class Meta:
        abstract = True

    _service = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return cls._service(**kwargs)


class VisitFactory(_ServiceFactory):
    """A visit of one or more cadres: VisitFactory(cadres=[cadre], by=worker)."""

    class Meta:
        model = CareVisit

    _service = staticmethod(visit_log)
    cadres = factory.LazyFunction(list)
    kinds = ("home_visit",)
    visited_on = factory.LazyFunction(timezone.localdate)
    outcome = VisitOutcome.MET


class HealthCheckFactory(_ServiceFactory):
    """A check-up: HealthCheckFactory(cadre=cadre, systolic=130, diastolic=80)."""

    class Meta:
        model = HealthCheck

    _service = staticmethod(health_check_record)
    checked_on = factory.LazyFunction(timezone.localdate)


class ActivityFactory(_ServiceFactory):
    """A meeting or activity of a unit: ActivityFactory(unit=branch)."""

    class Meta:
        model = Activity

    _service = staticmethod(activity_create)
    kind = ActivityKind.GENERAL_MEETING
    topic = factory.Sequence(lambda n: f"学习会 {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class HonourFactory(_ServiceFactory):
    """An honour: HonourFactory(cadre=cadre) is the 50-year medal of this year."""

    class Meta:
        model = Honour

    _service = staticmethod(honour_record)
    kind = HonourKind.PARTY_50_YEARS
    year = factory.LazyFunction(lambda: timezone.localdate().year)
