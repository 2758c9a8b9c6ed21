"""Issue 19's sensitive dossier fields: medical insurance, designated hospitals and
long-term medicines join the health reveal group; the monthly pension has its own
(REVEAL_ROLES["pension"]: the office and the branch secretary). Each follows the
per-field rule on the profile, the edit form, the export and the import."""

import decimal
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grids.models import AccessLog
from members.models import Cadre
from members.roster.importer import import_roster
from members.roster.parsing import CellError, parse_money
from members.services import cadre_update

from .roster_files import write_roster

MEDICAL = {
    "medical_insurance": "城镇职工医保",
    "designated_hospital": "区中心医院",
    "designated_hospital2": "镇卫生院",
    "long_term_medicines": "硝苯地平缓释片",
}


@pytest.fixture
def dossier(cast):
    for cadre in (cast.cadre_a, cast.cadre_b):
        cadre_update(cadre=cadre, monthly_pension=decimal.Decimal("5230.50"), **MEDICAL)
    return cast


def _page(client, user, cadre) -> str:
    client.force_login(user)
    response = client.get(reverse("members:cadre_detail", args=[cadre.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _reveal(client, user, cadre, field):
    client.force_login(user)
    return client.post(reverse("members:cadre_reveal", args=[cadre.pk]), {"field": field})


def test_the_profile_hides_medical_care_and_pension_until_revealed(client, dossier):
    cast = dossier
    # A grid worker: neither group; no button to press.
    page = _page(client, cast.grid_a, cast.cadre_a)
    assert "区中心医院" not in page and "硝苯地平" not in page and "5230" not in page
    assert 'value="pension"' not in page and 'value="health"' not in page
    assert _reveal(client, cast.grid_a, cast.cadre_a, "pension").status_code == 403
    # A community worker: may open the medical care (送医送药), not the pension.
    page = _page(client, cast.community_b, cast.cadre_b)
    assert "区中心医院" not in page and 'value="health"' in page
    assert 'value="pension"' not in page
    page = _reveal(client, cast.community_b, cast.cadre_b, "health").content.decode()
    assert "区中心医院" in page and "镇卫生院" in page and "硝苯地平缓释片" in page
    assert "城镇职工医保" in page and "5230" not in page
    assert _reveal(client, cast.community_b, cast.cadre_b, "pension").status_code == 403
    # The branch secretary reckons dues from the pension: may open it, logged.
    page = _reveal(client, cast.secretary, cast.cadre_a, "pension").content.decode()
    assert "5230.50" in page
    log = AccessLog.objects.filter(user=cast.secretary, action="reveal").get()
    assert log.fields == "pension"


def _edit(client, user, cadre):
    client.force_login(user)
    return client.get(reverse("members:cadre_edit", args=[cadre.pk]))


def test_the_edit_form_locks_the_groups_the_role_may_not_reveal(client, dossier):
    cast = dossier
    form = _edit(client, cast.community_b, cast.cadre_b).context["form"]
    assert "designated_hospital" in form.fields and "monthly_pension" not in form.fields
    assert ("月离退休费（元）", "已隐藏") in [(str(a), str(b)) for a, b in form.locked]
    response = _edit(client, cast.grid_a, cast.cadre_a)
    form, page = response.context["form"], response.content.decode()
    assert not {"medical_insurance", "designated_hospital", "designated_hospital2",
                "long_term_medicines", "monthly_pension"} & set(form.fields)  # fmt: skip
    assert "区中心医院" not in page and "5230" not in page
    form = _edit(client, cast.officer, cast.cadre_a).context["form"]
    assert form["monthly_pension"].value() == decimal.Decimal("5230.50")


def test_a_blind_pension_change_by_a_community_worker_is_ignored(client, dossier):
    cast = dossier
    form = _edit(client, cast.community_b, cast.cadre_b).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in data.items()}  # fmt: skip
    for name in (
        "critically_ill",
        "disabled_or_cognitive",
        "in_hardship",
        "is_party_member",
    ):
        if data.get(name) in (False, "False", ""):
            data.pop(name, None)
    data.update(monthly_pension="1", designated_hospital="市第一人民医院",
                **{"contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"})  # fmt: skip
    response = client.post(reverse("members:cadre_edit", args=[cast.cadre_b.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    stored = Cadre.objects.get(pk=cast.cadre_b.pk)
    assert stored.designated_hospital == "市第一人民医院"  # a health role: may change
    assert stored.monthly_pension == decimal.Decimal("5230.50")  # locked: unchanged


def _export(client, user) -> dict[str, dict]:
    client.force_login(user)
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("members:cadre_export")).content)
    ).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    return {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}


@pytest.mark.parametrize(
    ("role", "health_full", "pension_full"),
    [
        ("officer", True, True),
        ("secretary", True, True),
        ("grid_a", False, False),
        ("leader", False, False),
    ],
)
def test_the_export_follows_the_same_rule(
    client, dossier, role, health_full, pension_full
):
    row = _export(client, getattr(dossier, role))["张三丰"]
    for name, header in (("designated_hospital", "定点医院"), ("designated_hospital2", "定点医院二"),
                         ("long_term_medicines", "长期用药"), ("medical_insurance", "医保类别")):  # fmt: skip
        assert row[header] == (MEDICAL[name] if health_full else "（无权查看）")
    assert row["月离退休费"] == (5230.5 if pension_full else "（无权查看）")
    log = AccessLog.objects.get(user=getattr(dossier, role), action="export")
    assert ("pension:" in log.fields) is pension_full


def test_a_township_that_does_not_keep_the_pension_leaves_it_out(client, cast, settings,
                                                                tmp_path):  # fmt: skip
    settings.DOSSIER_HIDDEN_FIELDS = ["monthly_pension"]
    client.force_login(cast.officer)
    template = load_workbook(
        io.BytesIO(client.get(reverse("members:roster_template")).content)
    )
    assert "月离退休费" not in [c.value for c in template.active[1]]
    assert "月离退休费" not in _export(client, cast.officer)["张三丰"]
    assert (
        "monthly_pension"
        not in _edit(client, cast.officer, cast.cadre_a).context["form"].fields
    )
    # An office's roster that carries it: the column is reported as not used.
    path = write_roster(tmp_path / "r.xlsx", ["姓名", "身份证号", "所属支部", "月离退休费（元）"],
                        [["新人", "110105194912310021", "社区A党支部", 4800]])  # fmt: skip
    result = import_roster(path, user=cast.officer, dry_run=True)
    assert "月离退休费（元）" in " ".join(
        w.value for w in result.warnings if not w.column
    )


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        (4850.5, "4850.50"),
        (5200, "5200.00"),
        ("4,850.50", "4850.50"),
        ("￥4850", "4850.00"),
        ("4850元", "4850.00"),
        ("４８５０．５元/月", "4850.50"),
        ("3210.555", "3210.56"),
    ],
)
def test_pension_amounts_as_offices_write_them(cell, amount):
    assert parse_money(cell) == decimal.Decimal(amount)


@pytest.mark.parametrize("cell", ["约五千", "-100", "4850.5.1", "2000000"])
def test_a_pension_that_is_not_an_amount_is_refused_in_chinese(cell):
    with pytest.raises(CellError) as caught:
        parse_money(cell)
    assert cell in str(caught.value)


def test_an_update_import_changes_the_pension_once_with_history(tmp_path, cast):
    from grids.models import BulkChangeRow

    from .roster_files import id_number

    number = id_number()
    header = ["姓名", "身份证号", "所属支部", "月离退休费（元）", "定点医院"]
    first = write_roster(tmp_path / "a.xlsx", header,
                         [["钱八", number, "社区A党支部", 4800, "区中心医院"]])  # fmt: skip
    assert import_roster(first, user=cast.officer).created == 1
    second = write_roster(tmp_path / "b.xlsx", header,
                          [["钱八", number, "社区A党支部", "5,012.30元", "区中心医院"]])  # fmt: skip
    assert import_roster(second, user=cast.officer, mode="update").updated == 1
    cadre = Cadre.objects.get(id_number=number)
    assert cadre.monthly_pension == decimal.Decimal("5012.30")
    change = BulkChangeRow.objects.get(object_id=str(cadre.pk), action="update").changes
    assert set(change) == {"monthly_pension"}
    assert import_roster(second, user=cast.officer, mode="update").unchanged == 1
