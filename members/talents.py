"""The silver-talent pool (issue 20): who can do what, searched inside the user's
scope, and set on a cadre's dossier by someone who may change it."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from .models import CadreStatus, Skill, Talent
from .selectors import cadres_visible_to

# A talent confirmed longer ago than this is shown as needing a new word with the cadre.
CONFIRM_EVERY_DAYS = 365


def talents_search(user, *, skill: Skill | None = None, place=None,
                   willing_only: bool = True) -> QuerySet[Talent]:  # fmt: skip
    """The talents of active cadres the user may see, by skill and place."""
    found = Talent.objects.filter(
        cadre__in=cadres_visible_to(user).filter(status=CadreStatus.ACTIVE)
    ).select_related("cadre", "cadre__residence_unit", "cadre__branch", "skill")
    if skill is not None:
        found = found.filter(skill=skill)
    if place is not None:
        found = found.filter(cadre__residence_unit=place)
    if willing_only:
        found = found.filter(willing=True)
    return found.order_by("skill__sort_order", "cadre__residence_unit__lft",
                          "cadre__name_initials")  # fmt: skip


def stale_before(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) - datetime.timedelta(days=CONFIRM_EVERY_DAYS)
