"""Reads for honours: the members reaching 50 years in the party, political
birthdays."""

import datetime

from django.db.models import Prefetch, QuerySet

from members.dates import DatePrecision, latest_birth_date_for_age
from members.models import Cadre, CadreStatus, FamilyContact, MemberStatus


def fifty_years_by_july(cadres: QuerySet[Cadre], year: int) -> QuerySet[Cadre]:
    """Living full members on the roster with 50 years or more in the party by
    1 July of `year` (the 七一 invitations)."""
    by = latest_birth_date_for_age(50, datetime.date(year, 7, 1))
    return cadres.filter(
        status=CadreStatus.ACTIVE, is_party_member=True,
        member_status=MemberStatus.FULL, full_member_on__lte=by,
    )  # fmt: skip


def fifty_year_members(cadres: QuerySet[Cadre], year: int) -> list[Cadre]:
    """fifty_years_by_july, listed with their first family contact."""
    return list(
        fifty_years_by_july(cadres, year)
        .select_related("branch", "residence_unit")
        .prefetch_related(
            Prefetch("family_contacts", queryset=FamilyContact.objects.order_by("position", "pk"))
        )
        .order_by("branch__lft", "name_initials", "pk")
    )  # fmt: skip


def political_birthdays_in(cadres: QuerySet[Cadre], month: int) -> QuerySet[Cadre]:
    """Members on the roster whose 入党 falls in `month` (dates known to the month or
    the day; known only to the year: not listed)."""
    return cadres.filter(
        status=CadreStatus.ACTIVE, is_party_member=True,
        joined_party_on__month=month,
        joined_party_precision__in=[DatePrecision.DAY, DatePrecision.MONTH],
    )  # fmt: skip


def political_birthdays(cadres: QuerySet[Cadre], month: int) -> list[Cadre]:
    """political_birthdays_in, listed by branch and day."""
    return list(
        political_birthdays_in(cadres, month)
        .select_related("branch")
        .order_by("branch__lft", "joined_party_on__day", "name_initials", "pk")
    )  # fmt: skip
