import functools
import hashlib

from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from grids.cache import kept
from grids.models import OrgUnit, StaffAssignment, UnitKind
from grids.selectors import can_write, is_officer, scope_of, units_visible_to
from services.models import Reminder

from .upward import report_units


def _place(user) -> list[str]:
    """The user's place in the tree: one path per assignment (e.g. XX镇 › 第一网格)."""
    assignments = list(
        StaffAssignment.objects.filter(user=user).select_related("unit").order_by("pk")
    )
    if not assignments:
        return []
    units = [a.unit for a in assignments]
    # All ancestors of all assigned units in one query.
    ancestors = OrgUnit.objects.get_queryset_ancestors(
        OrgUnit.objects.filter(pk__in=[u.pk for u in units]), include_self=True
    ).order_by("tree_id", "lft")
    names = {a.pk: a for a in ancestors}
    paths = []
    for assignment in assignments:
        unit = assignment.unit
        chain = [
            a.name
            for a in names.values()
            if a.tree_id == unit.tree_id and a.lft <= unit.lft and a.rght >= unit.rght
        ]
        paths.append(" › ".join(chain) + f"（{assignment.get_role_display()}）")
    return paths


def _frame(user) -> dict:
    """The page frame's place and menu entries: five queries, the same on every page.
    Kept FRAME_CACHE_SECONDS per user, scope and language — the key holds the scope's
    units and tree positions, so a new assignment or a moved unit shows at once; a
    renamed unit shows within the time kept. What a user may open is decided by each
    page itself, never by this menu."""
    scope = scope_of(user)
    signature = repr((scope.everything, scope.ranges, translation.get_language()))
    key = (
        f"gridparty:frame:{user.pk}:{hashlib.sha256(signature.encode()).hexdigest()[:20]}"
    )

    def compute() -> dict:
        return {
            "place": _place(user),
            # Coverage is by place of residence: not for a branch secretary's scope.
            "may_cover": units_visible_to(user)
            .exclude(kind__in=[UnitKind.BRANCH, UnitKind.PARTY_GROUP])
            .exists(),
            # The report upward: for those whose scope holds a township or a grid.
            "may_report": report_units(user).exists(),
        }

    return kept(key, settings.FRAME_CACHE_SECONDS, compute)[0]


def place(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    frame = functools.cache(lambda: _frame(user))
    return {
        "place": SimpleLazyObject(lambda: frame()["place"]),
        "officer": SimpleLazyObject(lambda: is_officer(user)),
        # Rosters may be imported by anyone who may change cadres (members.imports).
        "may_import": SimpleLazyObject(lambda: can_write(user)),
        "may_cover": SimpleLazyObject(lambda: frame()["may_cover"]),
        "may_report": SimpleLazyObject(lambda: frame()["may_report"]),
        # The bell: unread reminders (one indexed count, only when a page shows it).
        "unread_reminders": SimpleLazyObject(lambda: _unread(user)),
    }


def _unread(user) -> int:
    return Reminder.objects.filter(recipient=user, read_at__isnull=True).count()
