"""Visit coverage (issue 9): the township's worked example, exactly."""

import datetime

import pytest
from django.utils import timezone

from members.models import ArchiveReason, Cadre
from members.services import cadre_archive
from services.models import VisitKind, VisitOutcome
from services.selectors.coverage import coverage
from services.services import visit_log
from tests.factories import make_cadre

D = datetime.date


@pytest.fixture
def example(tree):
    """Six cadres of one community, on the roster since 2025, and their contacts in
    the first quarter of 2026 (issue 9's table)."""
    branch = tree["branch_A"]
    people = {
        "A": make_cadre(branch=branch, name="甲"),
        "B": make_cadre(branch=branch, name="乙", in_hardship=True),
        "C": make_cadre(branch=branch, name="丙", critically_ill=True),
        "D": make_cadre(branch=branch, name="丁"),
        "E": make_cadre(branch=branch, name="戊"),
        "F": make_cadre(branch=branch, name="己"),
    }
    Cadre.objects.filter(pk__in=[c.pk for c in people.values()]).update(
        created_at=timezone.make_aware(datetime.datetime(2025, 6, 1)),
        on_roster_since=D(2025, 6, 1),
    )

    def met(cadre, *days, outcome=VisitOutcome.MET):
        for day in days:
            visit_log(cadres=[cadre], kinds=[VisitKind.HOME_VISIT], visited_on=day,
                      outcome=outcome)  # fmt: skip

    met(people["A"], D(2026, 2, 10))
    met(people["B"], D(2026, 1, 10), D(2026, 3, 5))
    met(people["C"], *[D(2026, 1, 1) + datetime.timedelta(days=7 * k) for k in range(13)])
    met(people["D"], D(2026, 2, 1), outcome=VisitOutcome.NOT_AT_HOME)
    met(people["E"], D(2026, 1, 20))
    met(people["F"], D(2026, 1, 5), D(2026, 3, 20))
    cadre_archive(cadre=people["E"], reason=ArchiveReason.DECEASED, on=D(2026, 2, 1))
    return people


def test_the_worked_example_gives_60_percent(tree, example):
    result = coverage(
        unit=tree["community_A"],
        start=D(2026, 1, 1),
        end=D(2026, 3, 31),
        every_cadre=True,
    )
    assert result.days == 90
    by_name = {c.name: c for c in result.cadres}
    assert "戊" not in by_name  # archived during the period: excluded
    expected = {"甲": (1, 1, True), "乙": (2, 3, False), "丙": (13, 12, True),
                "丁": (0, 1, False), "己": (2, 1, True)}  # fmt: skip
    assert {
        n: (c.contacts, c.required, c.covered) for n, c in by_name.items()
    } == expected
    total = result.total.cuts["all"]
    assert (total.eligible, total.covered, total.percent) == (5, 3, 60.0)
    assert {c.name for c in result.cadres if not c.covered} == {"乙", "丁"}


def test_a_month_and_a_custom_range(tree, example):
    january = coverage(
        unit=tree["community_A"],
        start=D(2026, 1, 1),
        end=D(2026, 1, 31),
        every_cadre=True,
    )
    # 31 days: high needs 4 (C has 5 in January), priority 1 (B: Jan 10), general 1.
    by_name = {c.name: (c.contacts, c.required) for c in january.cadres}
    assert by_name == {
        "甲": (0, 1),
        "乙": (1, 1),
        "丙": (5, 4),
        "丁": (0, 1),
        "己": (1, 1),
        "戊": (1, 1),  # archived on 1 February: active for the whole of January
    }
    assert january.total.cuts["all"].covered == 4
    # E was still on the roster in January: eligible for a range ending before Feb 1.
    early = coverage(
        unit=tree["community_A"],
        start=D(2026, 1, 15),
        end=D(2026, 1, 25),
        every_cadre=True,
    )
    assert {c.name for c in early.cadres} == {"甲", "乙", "丙", "丁", "戊", "己"}
    assert {c.name for c in early.cadres if c.covered} == {"丙", "戊"}


def test_rows_are_the_child_units_and_cuts_count_each_group(tree, example):
    aged = make_cadre(branch=tree["branch_B"], birth=D(1940, 1, 1),
                      living_situation="alone")  # fmt: skip
    Cadre.objects.filter(pk=aged.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2025, 1, 1)),
        on_roster_since=D(2025, 1, 1),
    )
    result = coverage(unit=tree["grid_A"], start=D(2026, 1, 1), end=D(2026, 3, 31))
    rows = {r.unit.name: r.cuts["all"] for r in result.rows}
    assert rows["社区A"].eligible == 5 and rows["社区A"].covered == 3
    township = coverage(unit=tree["township"], start=D(2026, 1, 1), end=D(2026, 3, 31))
    grid_b = next(r for r in township.rows if r.unit.name == "网格B")
    assert grid_b.cuts["aged80"].eligible == 1 and grid_b.cuts["alone"].eligible == 1
    assert grid_b.cuts["all"].covered == 0
    assert township.total.cuts["all"].eligible == 6


def test_the_page_shows_the_grid_the_table_the_missing_and_exports_logged(
    client, tree, example
):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    from grids.models import AccessLog, StaffRole
    from tests.factories import UserFactory, assign

    officer = UserFactory(username="cov_officer")
    assign(officer, tree["township"], StaffRole.TOWNSHIP_OFFICER)
    client.force_login(officer)
    query = {"unit": tree["grid_A"].pk, "period": "custom", "start": "2026-01-01",
             "end": "2026-03-31", "year": 2026}  # fmt: skip
    page = client.get(reverse("coverage"), query).content.decode()
    assert 'id="coverage-grid"' in page and "社区A" in page and "60.0%" in page
    assert "乙" in page and "丁" in page  # not covered, listed
    drill = client.get(reverse("coverage"), {**query, "unit": tree["community_A"].pk})
    assert "60.0%" in drill.content.decode()
    export = client.get(reverse("coverage"), {**query, "format": "xlsx"})
    book = load_workbook(io.BytesIO(export.content))
    assert [c.value for c in book["走访覆盖率"][3]][:4] == ["社区A", 5, 3, 60.0]
    assert {r[0].value for r in book["未覆盖名单"].iter_rows(min_row=2)} == {"乙", "丁"}
    log = AccessLog.objects.get(object_type="coverage")
    assert log.user == officer and log.action == "export"
    # Quarters and months are chosen by number.
    quarter = client.get(reverse("coverage"), {"unit": tree["community_A"].pk,
                                               "period": "quarter", "year": 2026, "number": 1})  # fmt: skip
    assert "2026-01-01 — 2026-03-31" in quarter.content.decode()


def test_coverage_stays_inside_the_users_scope(client, cast):
    from django.urls import reverse

    client.force_login(cast.grid_b)
    response = client.get(reverse("coverage"), {"unit": cast.tree["grid_A"].pk})
    assert response.status_code == 400 and "社区A" not in response.content.decode()
    response = client.get(
        reverse("coverage"), {"unit": cast.tree["grid_A"].pk, "format": "xlsx"}
    )
    assert response.status_code == 400
    assert "社区B" in client.get(reverse("coverage")).content.decode()
    client.force_login(cast.outsider)
    assert client.get(reverse("coverage")).status_code == 403


def test_the_coverage_and_partner_pages_cost_the_same_queries_for_more_data(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from grids.models import Pairing, PartnerKind, PartnerUnit

    clinic = PartnerUnit.objects.create(name="卫生院", kind=PartnerKind.INSTITUTIONAL)
    Pairing.objects.create(
        partner=clinic, unit=cast.tree["community_A"], start_on=D(2025, 1, 1)
    )
    client.force_login(cast.officer)
    query = {"unit": cast.tree["township"].pk, "period": "year", "year": 2026}
    client.get(reverse("coverage"), query)

    def count(url, params=None):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params).status_code == 200
        return len(queries)

    few = count(reverse("coverage"), query), count(reverse("partners:list"))
    for n in range(25):
        cadre = make_cadre(branch=cast.tree["branch_B"], name=f"多{n}")
        visit_log(cadres=[cadre], kinds=[VisitKind.HOME_VISIT], visited_on=D(2026, 2, 1),
                  partner=clinic)  # fmt: skip
    PartnerUnit.objects.create(name="物业", kind=PartnerKind.NEW_ORGANIZATION)
    Pairing.objects.create(partner=PartnerUnit.objects.get(name="物业"),
                           unit=cast.tree["community_B"], start_on=D(2025, 1, 1))  # fmt: skip
    many = count(reverse("coverage"), query), count(reverse("partners:list"))
    assert many == few


def test_a_cadre_counts_from_the_first_period_after_coming_onto_the_roster(tree, example):
    """Issue 18: like one archived during a period, one who came onto the roster
    during it is not expected to have been visited in it — a roster imported today
    does not make the whole quarter uncovered."""
    today = timezone.localdate()
    newcomer = make_cadre(branch=tree["branch_A"], name="新来")
    assert newcomer.on_roster_since == today
    start = today - datetime.timedelta(days=30)
    during = coverage(unit=tree["community_A"], start=start, end=today, every_cadre=True)
    assert "新来" not in {c.name for c in during.cadres}
    assert during.total.cuts["all"].eligible == 5  # the example's, as before
    after = coverage(unit=tree["community_A"], start=today,
                     end=today + datetime.timedelta(days=30), every_cadre=True)  # fmt: skip
    assert "新来" in {c.name for c in after.cadres}


def test_a_townships_coverage_is_kept_for_minutes_with_its_time_and_a_refresh(
    client, cast, settings
):
    """Issue 22: the report is kept REPORT_CACHE_SECONDS (it reads every cadre of the
    township); the page says when it was made, a refresh recomputes it, and an export
    is always fresh."""
    import re

    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    def covered(page: str) -> str:
        return re.search(r'id="coverage-total">([^<]*)<', page).group(1)

    cache.clear()
    settings.REPORT_CACHE_SECONDS = 120
    Cadre.objects.update(on_roster_since=D(2020, 1, 1))  # all eligible this quarter
    client.force_login(cast.officer)
    first = client.get(reverse("coverage")).content.decode()
    assert 'id="coverage-made"' in first and "立即刷新" in first
    visit_log(cadres=[cast.cadre_a], kinds=[VisitKind.HOME_VISIT], by=cast.grid_a)
    with CaptureQueriesContext(connection) as kept:
        again = client.get(reverse("coverage")).content.decode()
    assert covered(again) == covered(first)  # still as it was made
    fresh = client.get(reverse("coverage"), {"fresh": "1"}).content.decode()
    assert covered(fresh) != covered(first)  # the visit counts now
    with CaptureQueriesContext(connection) as computed:
        client.get(reverse("coverage"), {"fresh": "1"})
    assert len(kept) < len(computed)
