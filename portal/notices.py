"""Notices and study material (通知、学习) published to a subtree: who receives them,
what reaches a cadre, what staff see, read receipts (reads; the writes are in
portal.services)."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from grids.models import OrgUnit
from grids.selectors import scope_of, units_visible_to
from members.models import Cadre, CadreStatus

from .models import Notice, NoticeRead


def _reach(unit: OrgUnit, prefix: str) -> Q:
    """Cadres whose `prefix` unit (branch or residence) lies in the unit's subtree."""
    return Q(**{f"{prefix}__tree_id": unit.tree_id, f"{prefix}__lft__gte": unit.lft,
                f"{prefix}__lft__lte": unit.rght})  # fmt: skip


def recipients(notice: Notice) -> QuerySet[Cadre]:
    """The cadres on the roster a notice reaches (the unit read afresh: its subtree's
    bounds move when units are added under it)."""
    unit = OrgUnit.objects.get(pk=notice.unit_id)
    return Cadre.objects.filter(
        _reach(unit, "branch") | _reach(unit, "residence_unit"),
        status=CadreStatus.ACTIVE,
    )


def _above(cadre: Cadre) -> list[int]:
    """The units above (and at) the cadre's branch and residence: where notices that
    reach them are published (one query)."""
    own = [u for u in (cadre.branch, cadre.residence_unit) if u is not None]
    if not own:
        return []
    q = Q()
    for unit in own:
        q |= Q(tree_id=unit.tree_id, lft__lte=unit.lft, rght__gte=unit.rght)
    return list(OrgUnit.objects.filter(q).values_list("pk", flat=True))


def notices_for(cadre: Cadre) -> QuerySet[Notice]:
    """The notices that reach the cadre, newest first, each with `read`."""
    return (
        Notice.objects.filter(unit_id__in=_above(cadre))
        .annotate(
            read=Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), cadre=cadre))
        )
        .order_by("-published_at", "-pk")
    )


def notice_for_cadre(cadre: Cadre, pk) -> Notice | None:
    try:
        return notices_for(cadre).filter(pk=pk).first()
    except (ValueError, TypeError):
        return None


def notices_visible_to(user) -> QuerySet[Notice]:
    """Staff: the notices published to a unit inside the user's scope."""
    return Notice.objects.filter(unit__in=units_visible_to(user)).select_related(
        "unit", "published_by"
    )


def publishable_units(user) -> QuerySet[OrgUnit]:
    """Where the user may publish: the writable part of their scope."""
    scope = scope_of(user).writable()
    if scope.is_empty:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(scope.q(), is_active=True).order_by("tree_id", "lft")


def read_receipts(notice: Notice) -> dict:
    """Who of the recipients has read it: counts, and the names of who has not."""
    cadres = recipients(notice).annotate(
        read=Exists(NoticeRead.objects.filter(notice=notice, cadre=OuterRef("pk")))
    )
    rows = list(cadres.order_by("name_initials", "pk").values("pk", "name", "read"))
    read = sum(1 for r in rows if r["read"])
    return {
        "total": len(rows),
        "read": read,
        "unread": [r for r in rows if not r["read"]],
    }
