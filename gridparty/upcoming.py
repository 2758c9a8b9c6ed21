"""The dashboard's "coming up" panel (issue 18): birthdays this week, milestone
birthdays this month, 政治生日 this month, and in spring the members reaching fifty
years in the Party by 七一 — each with a count, the first names and the page to act
from. Part of the kept dashboard (gridparty.dashboard)."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from activities.selectors.honours import fifty_years_by_july, political_birthdays_in
from grids.models import UnitKind
from grids.selectors import units_visible_to
from members.dates import whole_years
from members.models import CadreStatus
from members.selectors import cadres_visible_to
from services.reminders.rules import milestone

SHOWN = 8  # names shown per item; the page behind it has them all
SPRING = (3, 4, 5, 6)  # the months before 七一 when the 50-year list is prepared


def _days(today: datetime.date, n: int) -> list[datetime.date]:
    return [today + datetime.timedelta(days=i) for i in range(n)]


def _on_days(days) -> Q:
    q = Q(pk__in=[])
    for day in days:
        q |= Q(birth_date__month=day.month, birth_date__day=day.day)
    return q


def upcoming_for(user, today: datetime.date) -> list[dict]:
    active = cadres_visible_to(user).filter(status=CadreStatus.ACTIVE)
    items = []
    week = list(active.filter(_on_days(_days(today, 7)))
                .order_by("birth_date__month", "birth_date__day", "name_initials")
                .values_list("pk", "name", "birth_date"))  # fmt: skip
    if week:
        items.append({
            "key": "birthdays_week", "label": _("Birthdays in the next seven days"),
            "count": len(week), "url": reverse("members:cadre_list"),
            "names": [f"{name}（{birth:%m-%d}）" for _pk, name, birth in week[:SHOWN]],
        })  # fmt: skip
    # Milestone birthdays this month: 80, 85, 90, 95, 100 and every decade after.
    years = [today.year - age for age in range(80, 121) if milestone(age)]
    month = list(active.filter(birth_date__month=today.month, birth_date__year__in=years)
                 .order_by("birth_date__day", "name_initials")
                 .values_list("name", "birth_date", "residence_unit_id"))  # fmt: skip
    if month:
        end = today.replace(day=28) + datetime.timedelta(days=4)
        place = _collective_place(user)
        items.append({
            "key": "milestones", "label": _("Milestone birthdays this month"),
            "count": len(month),
            "url": reverse("visits:birthdays", args=[place, today.year, today.month])
            if place else reverse("members:cadre_list"),
            "names": [_("%(name)s, %(age)d") % {"name": n, "age": whole_years(b, end)}
                      for n, b, _unit in month[:SHOWN]],
        })  # fmt: skip
    political = list(political_birthdays_in(active, today.month)
                     .order_by("joined_party_on__day", "name_initials")
                     .values_list("name", "joined_party_on"))  # fmt: skip
    if political:
        items.append({
            "key": "political", "label": _("Political birthdays this month"),
            "count": len(political), "url": reverse("political_birthdays"),
            "names": [_("%(name)s, %(years)d years in the Party")
                      % {"name": n, "years": today.year - joined.year}
                      for n, joined in political[:SHOWN]],
        })  # fmt: skip
    if today.month in SPRING:
        fifty = fifty_years_by_july(active, today.year).count()
        if fifty:
            items.append({
                "key": "fifty_years", "label": _("Fifty years in the Party by 1 July"),
                "count": fifty, "url": reverse("honour_invitations", args=[today.year]),
                "names": [],
            })  # fmt: skip
    return items


def _collective_place(user) -> int | None:
    """The first community or village in the user's scope (its collective-birthday
    list); None when the scope holds none."""
    unit = (
        units_visible_to(user)
        .filter(kind__in=[UnitKind.COMMUNITY, UnitKind.VILLAGE])
        .order_by("tree_id", "lft")
        .values_list("pk", flat=True)
        .first()
    )
    return unit
