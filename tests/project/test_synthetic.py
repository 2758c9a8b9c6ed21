import datetime
import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gridparty.models import SyntheticDataset
from gridparty.synthetic import seed_synthetic
from gridparty.synthetic.shared import MODELS_WRITTEN
from grids.models import OrgUnit, StaffAssignment, UnitKind
from grids.services import tree_problems
from members.models import Cadre
from services.models import CareVisit, VisitedCadre

ANCHOR = datetime.date(2026, 11, 1)


def digest() -> dict[str, str]:
    """A fingerprint of every row the seeder writes, ids included."""
    result = {}
    for model in MODELS_WRITTEN:
        names = [f.attname for f in model._meta.concrete_fields]
        rows = model.objects.order_by("pk").values_list(*names)
        result[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return result


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_gives_the_same_rows_and_another_seed_does_not():
    seed_synthetic(cadres=800, seed=7, anchor=ANCHOR)
    first = digest()
    assert tree_problems() == []
    call_command("flush", interactive=False, verbosity=0)
    seed_synthetic(cadres=800, seed=7, anchor=ANCHOR)
    assert digest() == first
    call_command("flush", interactive=False, verbosity=0)
    seed_synthetic(cadres=800, seed=8, anchor=ANCHOR)
    other = digest()
    assert other["members.Cadre"] != first["members.Cadre"]


@pytest.mark.django_db(transaction=True)
def test_the_synthetic_district_has_its_shape():
    result = seed_synthetic(cadres=6000, seed=1, anchor=ANCHOR)
    assert Cadre.objects.count() == 6000
    assert CareVisit.objects.count() == 60_000  # exactly 10·N
    assert VisitedCadre.objects.count() == 60_000
    assert not VisitedCadre.objects.filter(visited_on__gt=ANCHOR).exists()
    assert not VisitedCadre.objects.filter(
        visited_on__lt=ANCHOR - datetime.timedelta(days=730)
    ).exists()
    places = OrgUnit.objects.filter(kind__in=[UnitKind.COMMUNITY, UnitKind.VILLAGE])
    assert places.count() == 60
    for place in places:
        assert place.get_children().filter(kind=UnitKind.BRANCH).count() == 1
    # One community worker per place, one grid worker per grid, one officer per township.
    roles = {
        role: StaffAssignment.objects.filter(role=role).count()
        for role in ("community_worker", "grid_worker", "township_officer")
    }
    assert roles == {
        "community_worker": 60,
        "grid_worker": OrgUnit.objects.filter(kind=UnitKind.GRID).count(),
        "township_officer": OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP).count(),
    }
    # The benchmark worker's community holds 500 cadres.
    worker = StaffAssignment.objects.get(user__username=result.bench_worker)
    assert Cadre.objects.filter(residence_unit=worker.unit).count() == 500
    # Each meeting keeps the counts of its rows (the participation figures read them).
    from django.db.models import Sum

    from activities.models import Activity, Attendance

    stored = Activity.objects.aggregate(e=Sum("expected_count"), t=Sum("took_part_count"))
    rows = Attendance.objects.exclude(status="unable")
    assert stored["e"] == rows.count() > 0
    assert stored["t"] == rows.filter(status__in=["present", "at_home", "remote"]).count()
    # The id numbers are valid and the tree is sound.
    sample = Cadre.objects.order_by("?")[:50]
    for cadre in sample:
        cadre.full_clean()
    assert tree_problems() == []
    call_command("check_tree", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_seed_synthetic_refuses_a_database_with_data_and_records_its_run(tree):
    with pytest.raises(CommandError):
        call_command("seed_synthetic", "--cadres", "50", stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "seed_synthetic", "--cadres", "300", "--seed", "2", "--reset", stdout=out
    )
    assert "seeded 300 cadres" in out.getvalue()
    marker = SyntheticDataset.objects.get()
    assert (marker.cadres, marker.seed) == (300, 2)
    assert not OrgUnit.objects.filter(name="测试镇").exists()


@pytest.mark.django_db(transaction=True)
def test_bench_prints_the_seed_figure_and_reuses_the_data_set():
    out = io.StringIO()
    call_command(
        "bench", "--cadres", "300", "--only", "seed_synthetic_figure", stdout=out
    )
    assert "BENCH seed_synthetic_0k_s" in out.getvalue()
    out = io.StringIO()
    call_command(
        "bench", "--cadres", "300", "--only", "seed_synthetic_figure", stdout=out
    )
    assert "reusing" in out.getvalue()
    assert SyntheticDataset.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_bench_will_not_empty_a_database_with_real_data(tree):
    with pytest.raises(CommandError):
        call_command("bench", "--cadres", "300", stdout=io.StringIO())
    assert OrgUnit.objects.filter(name="测试镇").exists()
