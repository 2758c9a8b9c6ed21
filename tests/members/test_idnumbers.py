import datetime

import pytest
from django.core.exceptions import ValidationError

from members.idnumbers import (
    check_character,
    mask_id_number,
    mask_phone,
    parse_id_number,
)


def message(raw: str) -> str:
    with pytest.raises(ValidationError) as exc:
        parse_id_number(raw)
    return exc.value.messages[0]


def test_it_accepts_the_domain_examples():
    info = parse_id_number("11010519491231002X")
    assert info.number == "11010519491231002X"
    assert info.birth_date == datetime.date(1949, 12, 31)
    assert info.sex == "F"  # sequence 002 is even
    info = parse_id_number("440524188001010014")
    assert info.birth_date == datetime.date(1880, 1, 1)
    assert info.sex == "M"  # sequence 001 is odd


def test_it_uppercases_a_lowercase_x():
    assert parse_id_number("11010519491231002x").number == "11010519491231002X"


def test_it_turns_full_width_digits_into_ascii():
    assert (
        parse_id_number("１１０１０５１９４９１２３１００２Ｘ").number
        == "11010519491231002X"
    )
    assert (
        parse_id_number("１１０１０５１９４９１２３１００２ｘ").number
        == "11010519491231002X"
    )


def test_it_strips_surrounding_and_inner_spaces():
    assert parse_id_number("  11010519491231002X \n").number == "11010519491231002X"
    assert parse_id_number("110105 19491231 002X").number == "11010519491231002X"
    assert (
        parse_id_number("\u300011010519491231002X\u3000").number == "11010519491231002X"
    )


def test_it_upgrades_a_15_digit_number():
    # 110105 491231 002 -> 110105 19491231 002 + check character
    info = parse_id_number("110105491231002")
    assert info.number == "11010519491231002X"
    assert info.upgraded_from_15
    assert info.birth_date == datetime.date(1949, 12, 31)
    assert info.sex == "F"


def test_it_refuses_a_wrong_check_character_in_chinese():
    text = message("110105194912310021")
    assert "校验位" in text and "应为 X" in text and "110105194912310021" in text


def test_it_refuses_an_impossible_date_in_chinese():
    first17 = "11010519490230002"  # 30 February
    text = message(first17 + check_character(first17))
    assert "出生日期" in text and "19490230" in text


def test_it_refuses_a_future_birth_date():
    first17 = "11010521990101002"
    text = message(first17 + check_character(first17))
    assert "出生日期" in text


def test_it_refuses_bad_length_and_characters_in_chinese():
    assert "18" in message("1101051949")
    assert "X" in message("1101051949123100AX")
    assert "15" in message("11010549123100A")
    assert "为空" in message("   ")


def test_it_masks_id_numbers_and_phones():
    assert mask_id_number("310101194505060012") == "**************0012"
    assert mask_phone("13812348000") == "138****8000"
