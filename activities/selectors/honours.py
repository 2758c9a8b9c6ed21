"""Reads for honours: the members reaching 50 years in the party, political
birthdays."""

import datetime

from django.db.models import Prefetch, QuerySet

from members.dates import DatePrecision, latest_birth_date_for_age
from members.models import Cadre, CadreStatus, FamilyContact, MemberStatus


def fifty_year_members(cadres: QuerySet[Cadre], year: int) -> list[Cadre]:
    """Living full members on the roster with 50 years or more in the party by
    1 July of `year` (the 七一 invitations), with their first family contact."""
    by = latest_birth_date_for_age(50, datetime.date(year, 7, 1))
    return list(
        cadres.filter(
            status=CadreStatus.ACTIVE, is_party_member=True,
            member_status=MemberStatus.FULL, full_member_on__lte=by,
        )
        .select_related("branch", "residence_unit")
        .prefetch_related(
            Prefetch("family_contacts", queryset=FamilyContact.objects.order_by("position", "pk"))
        )
        .order_by("branch__lft", "name_initials", "pk")
    )  # fmt: skip


def political_birthdays(cadres: QuerySet[Cadre], month: int) -> list[Cadre]:
    """Members on the roster whose 入党 falls in `month` (dates known to the month or
    the day; known only to the year: not listed)."""
    return list(
        cadres.filter(
            status=CadreStatus.ACTIVE, is_party_member=True,
            joined_party_on__month=month,
            joined_party_precision__in=[DatePrecision.DAY, DatePrecision.MONTH],
        )
        .select_related("branch")
        .order_by("branch__lft", "joined_party_on__day", "name_initials", "pk")
    )  # fmt: skip
