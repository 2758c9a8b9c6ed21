"""Issue 19's first day: the roster a personnel office (人社局 / 老干部局) sends — its
own 离退休人员信息表 of 32 columns, its names for every field, no branch column,
政治面貌 instead of a party flag, death dates and spouses — imported with a default
unit. The columns follow the retiree information sheets of public retirement-
management systems; the unknown ones are listed, not fatal."""

import datetime

from members.models import ArchiveReason, Cadre, CadreStatus, Category, MemberStatus
from members.roster.importer import import_roster

from .roster_files import id_number, write_roster

HEADER = [
    "序号", "姓名", "性别", "民族", "身份号码", "出生日期", "籍贯", "婚姻状况", "最高学历",
    "政治面貌", "入党时间", "参加工作时间", "离退休时间", "离退休类别", "原工作单位", "原职务",
    "原职级", "现享受待遇级别", "月离退休费（元）", "医保类型", "定点医院1", "定点医院2",
    "长期用药", "现居住地址", "手机", "固话", "配偶姓名", "配偶电话", "紧急联系人",
    "紧急联系电话", "去世时间", "备注",
]  # fmt: skip


def _row(n, name, number, politics, joined, address, death="", spouse=("", "")):
    return [
        n, name, "", "汉族", number, "", "江苏南通", "已婚", "大专", politics, joined,
        "1962.09", "2005.10", "退休", "区教育局", "科长", "正科级", "副处级", 5200,
        "城镇职工", "区中心医院", "", "降压药", address, f"138000001{n:02d}", "59990001",
        spouse[0], spouse[1], "", "", death, "",
    ]  # fmt: skip


def test_a_personnel_office_roster_with_a_default_unit(tmp_path, cast):
    ids = [id_number() for _i in range(5)]
    rows = [
        _row(1, "沈一", ids[0], "中共党员", "1972.06", "测试镇社区A幸福路3号",
             spouse=("顾兰", "13900000101")),
        _row(2, "沈二", ids[1], "中共预备党员", "2025.11", "外地某小区"),
        _row(3, "沈三", ids[2], "群众", "", "测试镇村A"),
        _row(4, "沈四", ids[3], "中共党员", "1965.03", "外地", death="2026.02.14"),
        _row(5, "沈五", ids[4], "民盟盟员", "", "本镇", spouse=("陆梅", "021-59990002")),
    ]  # fmt: skip
    path = write_roster(tmp_path / "离退休人员信息表.xlsx", HEADER, rows,
                        titles=[["XX区离退休人员信息表"], ["填报单位：区人社局"]])  # fmt: skip
    assert len(HEADER) >= 30
    result = import_roster(path, user=cast.officer, default_unit=cast.tree["village_A"])
    assert result.errors == [] and result.created == 5 and result.deceased == 1
    people = {c.name: c for c in Cadre.objects.all() if c.name.startswith("沈")}
    one = people["沈一"]
    assert one.is_party_member and one.member_status == MemberStatus.FULL
    assert one.residence_unit == cast.tree["community_A"]  # from the address
    assert one.branch == cast.tree["branch_A"]
    assert (one.phone, one.phone2) == ("13800000101", "59990001")
    assert (one.address, one.benefit_level, one.original_rank) == (
        "测试镇社区A幸福路3号",
        "副处级",
        "正科级",
    )
    assert one.category == Category.TUIXIU and one.retirement_date == datetime.date(
        2005, 10, 1
    )
    assert [(c.relation, c.name, c.phone) for c in one.family_contacts.all()] == [
        ("配偶", "顾兰", "13900000101")
    ]
    assert people["沈二"].member_status == MemberStatus.PROBATIONARY
    assert people["沈二"].residence_unit == cast.tree["village_A"]  # the default
    assert people["沈二"].branch == cast.tree["village_branch_A"]
    assert people["沈三"].residence_unit == cast.tree["village_A"]  # the address: 村A
    assert not people["沈三"].is_party_member and not people["沈五"].is_party_member
    four = people["沈四"]
    assert (four.status, four.archive_reason, four.archived_on) == (
        CadreStatus.ARCHIVED,
        ArchiveReason.DECEASED,
        datetime.date(2026, 2, 14),
    )
    assert people["沈五"].family_contacts.get().phone == "021-59990002"
    from members.models import MaritalStatus

    assert (one.native_place, one.marital_status, one.education, one.work_started_on) == (
        "江苏南通",
        MaritalStatus.MARRIED,
        "大专",
        datetime.date(1962, 9, 1),
    )
    # The sensitive fields (their own reveal groups: test_sensitive_fields.py).
    assert (one.monthly_pension, one.medical_insurance, one.designated_hospital,
            one.designated_hospital2, one.long_term_medicines) == (
        5200, "城镇职工", "区中心医院", "", "降压药")  # fmt: skip
    # The columns the dossier does not hold are named, not fatal.
    ignored = " ".join(w.value for w in result.warnings if not w.column)
    assert "籍贯" not in ignored and "月离退休费（元）" not in ignored
    assert "原职务" in ignored and "序号" in ignored


def test_a_township_hides_the_optional_fields_it_does_not_keep(client, cast, settings):
    settings.DOSSIER_HIDDEN_FIELDS = ["native_place", "education"]
    client.force_login(cast.officer)
    form = client.get(f"/cadres/{cast.cadre_a.pk}/edit/").context["form"]
    assert "native_place" not in form.fields and "education" not in form.fields
    assert "marital_status" in form.fields
    page = client.get(f"/cadres/{cast.cadre_a.pk}/").content.decode()
    assert "籍贯" not in page and "最高学历" not in page and "婚姻状况" in page
