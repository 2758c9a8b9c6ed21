"""Reads of organizational life, already scoped to the user."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from members.selectors import cadres_visible_to

from ..models import BranchCommittee, Honour, HonourKind, HonourStatus


def honours_visible_to(user) -> QuerySet[Honour]:
    """Honours of the cadres the user sees."""
    return Honour.objects.filter(cadre__in=cadres_visible_to(user).values("pk"))


def honours_50_list(user, year: int) -> QuerySet[Honour]:
    """The year's 光荣在党50年 list within the user's scope, by branch and name: the
    year's rows, and those of earlier years not yet awarded nor declined (the medal
    is given once in a life: they carry over, with the year first eligible)."""
    waiting = (HonourStatus.ELIGIBLE, HonourStatus.RECOMMENDED, HonourStatus.APPROVED)
    return (
        honours_visible_to(user)
        .filter(
            Q(year=year) | Q(year__lt=year, status__in=waiting),
            kind=HonourKind.PARTY_50_YEARS,
        )  # fmt: skip
        .select_related("cadre", "cadre__branch")
        .order_by("cadre__branch__name", "cadre__name")
    )


def committee_of(branch, on: datetime.date | None = None) -> BranchCommittee | None:
    """The branch's committee in office on a date (today by default): the latest
    elected on or before it, if its term has not ended; with its members and posts."""
    on = on or timezone.localdate()
    committee = (
        BranchCommittee.objects.filter(branch=branch, elected_on__lte=on)
        .prefetch_related("members__cadre")
        .order_by("-elected_on")
        .first()
    )
    if committee is None or committee.term_ends_on <= on:
        return None
    return committee


def meeting_history(activity, limit: int = 200):
    """The change history of a meeting record and of its attendance rows, newest
    first (auditlog)."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from ..models import Activity, Attendance

    types = ContentType.objects.get_for_models(Activity, Attendance)
    rows = [str(pk) for pk in activity.attendances.values_list("pk", flat=True)]
    return (
        LogEntry.objects.filter(
            Q(content_type=types[Activity], object_pk=str(activity.pk))
            | Q(content_type=types[Attendance], object_pk__in=rows)
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")[:limit]
    )
