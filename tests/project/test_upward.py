"""Issue 18, reports upward: the demo township's quarterly report — its printable page
and its workbook — and each sheet's figures equal to the pages that show them."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from activities.periods import parse_period
from grids.models import AccessLog, OrgUnit, PartnerUnit, UnitKind
from services.models import HealthCheck


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel keeps 54.0 as 54
    return "" if value is None else str(value)


def _cells(rows):
    return [[_cell(v) for v in row] for row in rows]


class TheDemoTownshipsQuarterlyReport(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=io.StringIO())
        cls.township = OrgUnit.objects.get(kind=UnitKind.TOWNSHIP, name="XX镇")

    def setUp(self):
        self.client = Client()
        self.client.force_login(get_user_model().objects.get(username="township"))
        today = timezone.localdate()
        # The last full quarter: the demo's year has visits and meetings in it.
        start = datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        previous_end = start - datetime.timedelta(days=1)
        self.quarter = (previous_end.year, (previous_end.month - 1) // 3 + 1)
        self.label = f"{self.quarter[0]}Q{self.quarter[1]}"
        self.period = parse_period(self.label)

    def _page(self, **extra):
        query = {"unit": self.township.pk, "period": self.label, **extra}
        return self.client.get(reverse("upward_report"), query)

    def _workbook(self):
        response = self._page(format="xlsx")
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                                 if response.streaming else response.content))  # fmt: skip
        return {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)][2:]
                for sheet in book.worksheets}  # fmt: skip

    def test_the_workbook_holds_the_printable_pages_tables_sheet_by_sheet(self):
        page = self._page()
        assert page.status_code == 200
        report = page.context["report"]
        html = page.content.decode()
        assert 'id="chart-data"' in html and "XX镇" in html
        sheets = self._workbook()
        assert [s[:31] for s in sheets] == [t.title[:31] for t in report.tables]
        for table in report.tables:
            assert _cells(sheets[table.title[:31]]) == _cells(table.rows), table.key
        assert (
            AccessLog.objects.filter(object_type="report", action="export").count() == 1
        )

    def test_each_sheet_equals_the_page_that_shows_it(self):
        report = self._page().context["report"]
        tables = {t.key: t.rows for t in report.tables}
        sheets = self._workbook()
        by_title = {t.key: sheets[t.title[:31]] for t in report.tables}
        assert _cells(by_title["coverage"]) == _cells(tables["coverage"])

        # Visits and coverage = /coverage/ for the same unit and quarter.
        year, number = self.quarter
        cov = self.client.get(reverse("coverage"), {"unit": self.township.pk, "period": "quarter",
                              "year": year, "number": number, "cut": "all"}).context  # fmt: skip
        expected = [[r["unit"].name, r["tally"].eligible, r["tally"].covered,
                     r["tally"].percent if r["tally"].percent is not None else "—",
                     r["tally"].overdue] for r in cov["rows"]]  # fmt: skip
        total = cov["total"]
        expected.append(["合计", total.eligible, total.covered,
                         total.percent if total.percent is not None else "—", total.overdue])  # fmt: skip
        assert _cells(by_title["coverage"]) == _cells(expected)
        assert total.eligible > 0

        # Organizational life = /compliance/ and /participation/.
        comp = self.client.get(reverse("compliance"),
                               {"unit": self.township.pk, "period": self.label}).context  # fmt: skip
        expected = [
            [r["unit"].name, r["branches"], r["met"], r["percent"]] for r in comp["rows"]
        ]
        assert _cells(by_title["compliance"][:-1]) == _cells(expected)
        assert by_title["compliance"][-1][1:3] == [comp["total"], comp["met"]]
        assert comp["total"] > 0
        part = self.client.get(reverse("participation"),
                               {"unit": self.township.pk, "period": self.label}).context  # fmt: skip
        expected = [[r["unit"].name, r["whole"].expected, r["whole"].took_part, r["whole"].percent]
                    for r in part["rows"]]  # fmt: skip
        assert _cells(by_title["participation"][:-1]) == _cells(expected)
        assert by_title["participation"][-1][1:3] == [part["total"].expected,
                                                       part["total"].took_part]  # fmt: skip
        assert part["total"].expected > 0

        # Honours = the 50-year list of the year, counted by status.
        honours = self.client.get(
            reverse("honours:list", args=[self.period.end.year])
        ).context
        labels = dict(honours["statuses"])
        assert {row[0]: row[1] for row in by_title["honours"]} == {
            str(labels[key]): n for key, n in honours["counts"].items()
        }

        # Partners = each partner's page, its months of the quarter added up.
        for name, visits, checks, _cadres in by_title["partners"]:
            partner = PartnerUnit.objects.get(name=name)
            detail = self.client.get(reverse("partners:detail", args=[partner.pk]),
                                     {"year": self.period.end.year}).context  # fmt: skip
            inside = [m for m in detail["months"]
                      if self.period.start <= m[0] <= self.period.end]  # fmt: skip
            assert [visits, checks] == [
                sum(m[1] for m in inside),
                sum(m[2] for m in inside),
            ], name

        # Roster = the cadre list filtered the same way.
        def listed(**filters):
            page = self.client.get(reverse("members:cadre_list"),
                                   {"unit": self.township.pk, **filters})  # fmt: skip
            return page.context["page"].paginator.count

        category = {row[0]: row[1] for row in by_title["category"]}
        assert category["合计"] == listed() > 0
        assert sum(category.values()) == 2 * listed()
        assert [row[1] for row in by_title["category"][:2]] == [
            listed(category="lixiu"),
            listed(category="tuixiu"),
        ]
        ages = {row[0]: row[1] for row in by_title["age"]}
        assert ages["80–89"] + ages["90–99"] + ages["100岁及以上"] == listed(age="80")
        assert ages["90–99"] + ages["100岁及以上"] == listed(age="90")
        living = {row[0]: row[1] for row in by_title["living"]}
        assert living["独居"] == listed(living="alone")
        assert sum(row[1] for row in by_title["rank"]) == listed()

        # Check-ups: cadres of the township with a check-up in the quarter.
        checked = (HealthCheck.objects.filter(checked_on__gte=self.period.start,
                                              checked_on__lte=self.period.end,
                                              cadre__status="active")
                   .values("cadre").distinct().count())  # fmt: skip
        assert by_title["checkups"][-1][2] == checked


@pytest.mark.parametrize("who", ["community_b", "secretary", "outsider"])
def test_the_report_is_refused_to_those_without_a_township_or_grid(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("upward_report")).status_code == 403


def test_a_grid_worker_reports_on_their_grid_only(client, cast):
    client.force_login(cast.grid_a)
    page = client.get(reverse("upward_report"))
    assert page.status_code == 200 and page.context["report"].unit == cast.tree["grid_A"]
    other = client.get(reverse("upward_report"), {"unit": cast.tree["township"].pk})
    assert other.status_code == 400 and "report" not in other.context
    client.force_login(cast.leader)
    assert (
        client.get(reverse("upward_report")).context["report"].unit
        == cast.tree["township"]
    )
