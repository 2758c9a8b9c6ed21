import datetime

import pytest

from members.dates import DatePrecision
from members.models import Cadre, MemberStatus
from tests.factories import make_cadre

D = datetime.date


@pytest.fixture
def cadre(tree):
    return make_cadre(
        branch=tree["branch_A"],
        birth=D(1946, 7, 1),
        full_member_on=D(1976, 7, 1),
        joined_party_on=D(1975, 7, 1),
    )


def test_it_counts_party_age_in_whole_years_around_the_anniversary(cadre):
    assert cadre.party_age(D(2026, 6, 30)) == 49
    assert cadre.party_age(D(2026, 7, 1)) == 50
    assert cadre.party_age(D(2026, 7, 2)) == 50
    assert cadre.party_50_years_on() == D(2026, 7, 1)


def test_it_counts_age_around_the_birthday(cadre):
    assert cadre.age(D(2026, 6, 30)) == 79
    assert cadre.age(D(2026, 7, 1)) == 80
    assert cadre.age(D(2026, 7, 2)) == 80
    assert not cadre.is_80_plus(D(2026, 6, 30))
    assert cadre.is_80_plus(D(2026, 7, 1))


def test_it_counts_party_age_from_full_membership_not_admission_plus_one(tree):
    # Probation extended: admitted 1970-01-10, full member only 1971-09-01.
    cadre = make_cadre(
        branch=tree["branch_A"],
        joined_party_on=D(1970, 1, 10),
        full_member_on=D(1971, 9, 1),
    )
    assert cadre.party_age(D(2021, 3, 1)) == 49  # admission + 1 year would say 50
    assert cadre.party_age(D(2021, 9, 1)) == 50


def test_it_handles_29_february(tree):
    cadre = make_cadre(
        branch=tree["branch_A"],
        birth=D(1944, 2, 29),
        joined_party_on=D(1963, 2, 1),
        full_member_on=D(1964, 2, 29),
    )
    assert cadre.birth_date == D(1944, 2, 29)
    # Common year: the anniversary falls on 28 February.
    assert cadre.age(D(2025, 2, 27)) == 80
    assert cadre.age(D(2025, 2, 28)) == 81
    assert cadre.age(D(2025, 3, 1)) == 81
    # Leap year: on the day itself.
    assert cadre.age(D(2024, 2, 28)) == 79
    assert cadre.age(D(2024, 2, 29)) == 80
    assert cadre.party_age(D(2014, 2, 27)) == 49
    assert cadre.party_age(D(2014, 2, 28)) == 50
    assert cadre.party_50_years_on() == D(2014, 2, 28)


def test_a_probationary_member_has_no_party_age(tree):
    cadre = make_cadre(
        branch=tree["branch_A"],
        member_status=MemberStatus.PROBATIONARY,
        joined_party_on=D(2026, 3, 1),
        full_member_on=None,
    )
    assert cadre.party_age(D(2030, 1, 1)) is None
    assert cadre.party_50_years_on() is None


def test_a_non_member_has_no_party_age(tree):
    cadre = make_cadre(
        branch=None,
        residence_unit=tree["community_A"],
        is_party_member=False,
        member_status="",
        joined_party_on=None,
        full_member_on=None,
    )
    assert cadre.party_age(D(2026, 1, 1)) is None


def test_a_full_membership_known_only_to_the_month_counts_from_its_first_day(tree):
    cadre = make_cadre(
        branch=tree["branch_A"],
        joined_party_on=D(1969, 2, 17),
        full_member_on=D(1970, 3, 23),  # only "1970年3月" is known
        full_member_precision=DatePrecision.MONTH,
    )
    cadre = Cadre.objects.get(pk=cadre.pk)
    assert cadre.full_member_on == D(1970, 3, 1)
    assert cadre.full_member_precision == DatePrecision.MONTH
    assert cadre.full_member_display == "1970年3月"
    assert cadre.party_age(D(2020, 2, 29)) == 49
    assert cadre.party_age(D(2020, 3, 1)) == 50
    assert cadre.party_50_years_on() == D(2020, 3, 1)


def test_the_birth_date_cutoff_agrees_with_age_on_every_day_around_february():
    from members.dates import latest_birth_date_for_age, whole_years

    births = [
        D(1944, 2, 28),
        D(1944, 2, 29),
        D(1944, 3, 1),
        D(1945, 2, 28),
        D(1945, 3, 1),
    ]
    day = D(2023, 2, 20)
    while day < D(2025, 3, 5):
        for age in (78, 79, 80, 81):
            cutoff = latest_birth_date_for_age(age, day)
            for birth in births:
                assert (birth <= cutoff) == (whole_years(birth, day) >= age), (
                    day,
                    age,
                    birth,
                )
        day += datetime.timedelta(days=1)
