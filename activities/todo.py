"""The to-do items of organizational life (registered with grids.todo)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from grids.models import OrgUnit, UnitKind
from grids.selectors import can_write, scope_of
from grids.todo import Todo

from .models import HonourStatus
from .periods import parse_period
from .selectors import honours_50_list
from .selectors.partylife import compliance


def party_life_todos(user, today):
    scope = scope_of(user).writable()
    if scope.is_empty or not can_write(user):
        return
    branches = list(
        OrgUnit.objects.filter(scope.q(), kind=UnitKind.BRANCH, is_active=True)
        .order_by("tree_id", "lft")
        .values("pk", "name", "parent_id", "parent__kind", "lft", "rght", "tree_id")[
            :2000
        ]
    )
    month = parse_period(f"{today:%Y-%m}")
    due = sum(
        1 for r in compliance(branches, month, today)
        if any(c.rule.per == "month" and any(w.status == "due" for w in c.windows)
               for c in r.checks)
    )  # fmt: skip
    yield Todo("meetings_due", _("Branches with a meeting still due this month"), due,
               reverse("compliance") + f"?period={month.label}")  # fmt: skip
    waiting = (
        honours_50_list(user, today.year)
        .filter(status__in=[HonourStatus.ELIGIBLE, HonourStatus.RECOMMENDED,
                            HonourStatus.APPROVED])
        .count()
    )  # fmt: skip
    yield Todo("honours", _("50-year medals to prepare"), waiting,
               reverse("honours:list", args=[today.year]))  # fmt: skip
