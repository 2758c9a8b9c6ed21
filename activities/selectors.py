"""Reads of organizational life, already scoped to the user."""

from django.db.models import QuerySet

from members.selectors import cadres_visible_to

from .models import Honour, HonourKind


def honours_visible_to(user) -> QuerySet[Honour]:
    """Honours of the cadres the user sees."""
    return Honour.objects.filter(cadre__in=cadres_visible_to(user).values("pk"))


def honours_50_list(user, year: int) -> QuerySet[Honour]:
    """The year's 光荣在党50年 list within the user's scope, by branch and name."""
    return (
        honours_visible_to(user)
        .filter(kind=HonourKind.PARTY_50_YEARS, year=year)
        .select_related("cadre", "cadre__branch")
        .order_by("cadre__branch__name", "cadre__name")
    )
