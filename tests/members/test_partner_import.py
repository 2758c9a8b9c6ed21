"""Importing co-building partners with their pairings and promised services (issue 7)."""

import datetime

from grids.models import BulkChange, Pairing, PairingService, PartnerUnit
from members.imports.partners import import_partners

from .roster_files import write_roster

HEADER = [
    "单位名称",
    "类型",
    "联系人",
    "联系电话",
    "结对网格/社区/村",
    "结对开始日期",
    "承诺服务",
]


def test_partners_with_pairings_and_services(tmp_path, cast):
    rows = [
        ["镇卫生院", "驻区单位", "刘医生", "021-58880000", "社区A、村A", "2026-03-01",
         "送医上门（每月）、送药上门（每月）"],
        ["某某物业公司", "两新组织", "", "", "网格B", "", "居家安全（每季度）"],
    ]  # fmt: skip
    path = write_roster(tmp_path / "p.xlsx", HEADER, rows)
    dry = import_partners(path, user=cast.officer, dry_run=True)
    assert dry.errors == [] and dry.created == 2 and not PartnerUnit.objects.exists()
    result = import_partners(path, user=cast.officer, file_name="p.xlsx")
    assert result.as_dict() == dry.as_dict() and result.written
    clinic = PartnerUnit.objects.get(name="镇卫生院")
    assert (clinic.kind, clinic.contact_person) == ("institutional", "刘医生")
    units = set(
        Pairing.objects.filter(partner=clinic).values_list("unit__name", flat=True)
    )
    assert units == {"社区A", "村A"}
    assert Pairing.objects.get(
        partner=clinic, unit__name="村A"
    ).start_on == datetime.date(2026, 3, 1)
    services = PairingService.objects.filter(pairing__partner=clinic)
    assert sorted(services.values_list("kind", "frequency")) == [
        ("medical", "monthly"),
        ("medical", "monthly"),
        ("medicine", "monthly"),
        ("medicine", "monthly"),
    ]
    assert BulkChange.objects.get(kind="partner_import").rows == 2
    # Importing the same file again: created is skipped, update finds nothing new.
    assert import_partners(path, user=cast.officer).skipped == 2
    again = import_partners(path, user=cast.officer, mode="update")
    assert (again.updated, again.unchanged) == (0, 2)
    assert Pairing.objects.count() == 3


def test_bad_rows_are_refused_with_their_column(tmp_path, cast):
    rows = [
        ["甲单位", "不知道", "", "", "社区A", "", ""],
        ["乙单位", "驻区单位", "", "", "不存在社区", "", ""],
        ["丙单位", "驻区单位", "", "", "社区A", "2026-13-01", "送医上门（每天）"],
        ["甲单位", "驻区单位", "", "", "", "", ""],
        ["丁单位", "驻区单位", "", "", "社区A党支部", "", ""],
    ]
    path = write_roster(tmp_path / "p.xlsx", HEADER, rows)
    result = import_partners(path, user=cast.officer)
    columns = sorted((e.row, e.column) for e in result.errors)
    assert columns == sorted([(2, "类型"), (3, "结对网格/社区/村"), (4, "结对开始日期"),
                       (4, "承诺服务"), (5, "单位名称"), (6, "结对网格/社区/村")])  # fmt: skip
    assert not result.written and not PartnerUnit.objects.exists()


def test_pairings_stay_inside_the_officers_scope(tmp_path, cast):
    from grids.models import UnitKind
    from grids.services import orgunit_create

    other = orgunit_create(name="外镇", kind=UnitKind.TOWNSHIP)
    orgunit_create(name="外网格", kind=UnitKind.GRID, parent=other)
    path = write_roster(
        tmp_path / "p.xlsx", HEADER, [["戊单位", "驻区单位", "", "", "外网格", "", ""]]
    )
    result = import_partners(path, user=cast.officer)
    (error,) = result.errors
    assert "范围" in error.message and not PartnerUnit.objects.exists()
