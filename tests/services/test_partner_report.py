"""The co-building partners' report (issue 9): counts checked against a small fixed
data set; scope; the export logged."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grids.models import (
    AccessLog,
    Frequency,
    Pairing,
    PairingService,
    PartnerKind,
    PartnerUnit,
    ServiceKind,
)
from services.selectors.partners import partner_report
from services.services import health_check_record, visit_log

D = datetime.date


@pytest.fixture
def partners(cast):
    clinic = PartnerUnit.objects.create(name="镇卫生院", kind=PartnerKind.INSTITUTIONAL)
    firm = PartnerUnit.objects.create(
        name="某物业公司", kind=PartnerKind.NEW_ORGANIZATION
    )
    pairing = Pairing.objects.create(partner=clinic, unit=cast.tree["community_A"],
                                     start_on=D(2025, 1, 1))  # fmt: skip
    PairingService.objects.create(pairing=pairing, kind=ServiceKind.MEDICAL,
                                  frequency=Frequency.MONTHLY)  # fmt: skip
    Pairing.objects.create(
        partner=firm, unit=cast.tree["community_B"], start_on=D(2025, 1, 1)
    )
    # The clinic: two visits in March (one to a couple), one in May, a check-up in May;
    # one visit in 2025 (another year), one visit not at home (still a service).
    visit_log(cadres=[cast.cadre_a, cast.cross], kinds=["medical"], visited_on=D(2026, 3, 2),
              partner=clinic)  # fmt: skip
    visit_log(
        cadres=[cast.cadre_a],
        kinds=["medicine"],
        visited_on=D(2026, 3, 20),
        partner=clinic,
    )
    visit_log(cadres=[cast.cadre_a], kinds=["medical"], visited_on=D(2026, 5, 9), partner=clinic,
              outcome="not_at_home")  # fmt: skip
    visit_log(
        cadres=[cast.cadre_a],
        kinds=["medical"],
        visited_on=D(2025, 12, 30),
        partner=clinic,
    )
    health_check_record(cadre=cast.cadre_b, checked_on=D(2026, 5, 10), partner=clinic)
    # The firm: one home safety service in grid B.
    visit_log(
        cadres=[cast.cadre_b],
        kinds=["home_safety"],
        visited_on=D(2026, 6, 1),
        partner=firm,
    )
    return clinic, firm


def test_counts_per_partner_and_month_with_the_cadres_reached(cast, partners):
    clinic, firm = partners
    report = {
        f.partner.name: f
        for f in partner_report(cast.officer, D(2026, 1, 1), D(2026, 12, 31))
    }
    c = report["镇卫生院"]
    assert (c.visits, c.check_ups, c.cadres) == (3, 1, 3)  # 张三丰, 王五常, 李四光
    assert c.by_month == {D(2026, 3, 1): (2, 0), D(2026, 5, 1): (1, 1)}
    assert [s.get_kind_display() for s in c.promised] == ["送医（上门体检）"]
    f = report["某物业公司"]
    assert (f.visits, f.check_ups, f.cadres) == (1, 0, 1)


def test_a_grid_worker_sees_only_their_partners_and_cadres(client, cast, partners):
    clinic, firm = partners
    report = {
        f.partner.name: f
        for f in partner_report(cast.grid_a, D(2026, 1, 1), D(2026, 12, 31))
    }
    assert set(report) == {"镇卫生院"}
    # The clinic's check-up of 李四光 (grid B) is outside grid A's scope.
    assert (report["镇卫生院"].check_ups, report["镇卫生院"].cadres) == (0, 2)
    client.force_login(cast.grid_a)
    assert client.get(reverse("partners:detail", args=[firm.pk])).status_code == 404
    page = client.get(
        reverse("partners:detail", args=[clinic.pk]), {"year": 2026}
    ).content.decode()
    assert "2026-03" in page and "镇卫生院" in page


def test_the_review_export_is_scoped_and_logged(client, cast, partners):
    client.force_login(cast.officer)
    response = client.get(reverse("partners:list"), {"year": 2026, "format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    rows = [[c.value for c in r] for r in book.active.iter_rows(min_row=2)]
    assert [r[:2] for r in rows] == [["某物业公司", "社区B"], ["镇卫生院", "社区A"]]
    by_name = {r[0]: r for r in rows}
    assert by_name["镇卫生院"][3:] == [3, 1, 3]
    log = AccessLog.objects.get(object_type="partner_review")
    assert log.user == cast.officer and log.action == "export"
    client.force_login(cast.outsider)
    assert client.get(reverse("partners:list")).status_code == 403
