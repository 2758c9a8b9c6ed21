import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import Cadre, Category, LixiuPeriod, MemberStatus
from tests.factories import make_cadre, make_id_number

D = datetime.date


def errors_of(exc_info) -> dict[str, list[str]]:
    return exc_info.value.message_dict


def test_it_derives_sex_and_birth_date_from_the_id_number(tree):
    cadre = make_cadre(branch=tree["branch_A"], birth=D(1938, 11, 2), male=False)
    assert cadre.sex == "F"
    assert cadre.birth_date == D(1938, 11, 2)


def test_it_normalizes_the_id_number_on_save(tree):
    number = make_id_number(D(1950, 1, 1), male=False)
    messy = " " + number[:17] + number[17].lower() + " "
    messy = messy.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    cadre = make_cadre(branch=tree["branch_A"], id_number=messy)
    assert Cadre.objects.get(pk=cadre.pk).id_number == number


def test_it_upgrades_a_15_digit_id_number_on_save(tree):
    cadre = make_cadre(branch=tree["branch_A"], id_number="110105491231002")
    assert cadre.id_number == "11010519491231002X"


def test_it_refuses_an_entered_birth_date_that_disagrees(tree):
    with pytest.raises(ValidationError) as exc:
        make_cadre(branch=tree["branch_A"], birth=D(1945, 5, 6), birth_date=D(1945, 5, 7))
    message = errors_of(exc)["birth_date"][0]
    assert "出生日期" in message and "1945-05-07" in message and "1945-05-06" in message


def test_it_refuses_an_entered_sex_that_disagrees(tree):
    with pytest.raises(ValidationError) as exc:
        make_cadre(branch=tree["branch_A"], male=True, sex="F")
    message = errors_of(exc)["sex"][0]
    assert "性别（女）与身份证号码不符" in message and "男" in message


def test_it_refuses_a_wrong_check_character_with_a_chinese_message(tree):
    good = make_id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        make_cadre(branch=tree["branch_A"], id_number=bad)
    assert "校验位错误" in errors_of(exc)["id_number"][0]


def test_it_refuses_a_duplicate_id_number_even_when_typed_differently(tree):
    number = make_id_number(D(1950, 1, 1), male=False)
    make_cadre(branch=tree["branch_A"], id_number=number)
    with pytest.raises(ValidationError) as exc:
        make_cadre(branch=tree["branch_A"], id_number=number.lower() + " ")
    assert "已存在" in errors_of(exc)["id_number"][0]


def test_it_refuses_full_membership_before_admission(tree):
    with pytest.raises(ValidationError) as exc:
        make_cadre(
            branch=tree["branch_A"],
            joined_party_on=D(1971, 1, 1),
            full_member_on=D(1970, 1, 1),
        )
    assert "转正时间不能早于入党时间" in errors_of(exc)["full_member_on"][0]


def test_the_database_refuses_full_membership_before_admission(tree):
    cadre = make_cadre(branch=tree["branch_A"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Cadre.objects.filter(pk=cadre.pk).update(
            joined_party_on=D(1980, 1, 1), full_member_on=D(1979, 1, 1)
        )


def test_the_database_refuses_an_archived_cadre_without_a_date(tree):
    cadre = make_cadre(branch=tree["branch_A"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Cadre.objects.filter(pk=cadre.pk).update(
            status="archived", archive_reason="other"
        )


def test_a_branch_must_be_a_branch_and_a_residence_a_community_or_village(tree):
    with pytest.raises(ValidationError) as exc:
        make_cadre(branch=tree["grid_A"], residence_unit=tree["branch_A"])
    errors = errors_of(exc)
    assert any("党支部" in m for m in errors["branch"])
    assert any("社区或村" in m for m in errors["residence_unit"])


def test_a_non_member_has_no_branch_or_party_dates(tree):
    with pytest.raises(ValidationError) as exc:
        make_cadre(branch=tree["branch_A"], is_party_member=False)
    assert "只有党员" in errors_of(exc)["branch"][0]


def test_a_lixiu_cadre_keeps_the_period_a_retired_one_cannot(tree):
    cadre = make_cadre(
        branch=tree["branch_A"],
        birth=D(1928, 3, 3),
        category=Category.LIXIU,
        lixiu_period=LixiuPeriod.LIBERATION_WAR,
    )
    assert cadre.get_lixiu_period_display() == "解放战争时期"
    with pytest.raises(ValidationError) as exc:
        make_cadre(branch=tree["branch_A"], lixiu_period=LixiuPeriod.LIBERATION_WAR)
    assert "离休" in errors_of(exc)["lixiu_period"][0]


def test_a_probationary_member_cannot_have_a_full_membership_date(tree):
    with pytest.raises(ValidationError) as exc:
        make_cadre(branch=tree["branch_A"], member_status=MemberStatus.PROBATIONARY)
    assert "预备党员" in errors_of(exc)["full_member_on"][0]


def test_an_unknown_rank_is_kept_and_flagged(tree):
    from members.models import RankLevel

    RankLevel.objects.create(name="正处级")
    listed = make_cadre(branch=tree["branch_A"], original_rank="正处级")
    unlisted = make_cadre(
        branch=tree["branch_A"], original_rank="正处级", benefit_level="副处级调研员"
    )
    flags = {
        c.pk: (c.original_rank_listed, c.benefit_level_listed)
        for c in Cadre.objects.with_rank_flags()
    }
    assert flags[listed.pk] == (True, True)
    assert flags[unlisted.pk] == (True, False)
    assert Cadre.objects.get(pk=unlisted.pk).benefit_level == "副处级调研员"


def test_at_most_four_family_contacts(tree):
    from members.services import family_contacts_set

    cadre = make_cadre(branch=tree["branch_A"])
    contacts = [
        {"relation": "儿子", "name": f"子{i}", "phone": "13800000000"} for i in range(5)
    ]
    with pytest.raises(ValidationError) as exc:
        family_contacts_set(cadre=cadre, contacts=contacts)
    assert "最多登记 4 位" in exc.value.messages[0]
    family_contacts_set(cadre=cadre, contacts=contacts[:4])
    assert cadre.family_contacts.count() == 4
