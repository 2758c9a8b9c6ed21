"""The to-do items of organizational life (registered with grids.todo)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from grids.models import OrgUnit
from grids.selectors import can_write, scope_of
from grids.todo import Todo

from .models import HonourStatus
from .periods import parse_period
from .selectors import honours_50_list
from .selectors.partylife import branches_in, compliance


def party_life_todos(user, today):
    scope = scope_of(user).writable()
    if scope.is_empty or not can_write(user):
        return
    tops = (
        OrgUnit.objects.filter(scope.q()).order_by("tree_id", "lft")
        if not scope.everything
        else OrgUnit.objects.filter(parent__isnull=True)
    )
    seen, branches = set(), []
    for top in tops:
        for branch in branches_in(top):
            if branch["pk"] not in seen:
                seen.add(branch["pk"])
                branches.append(branch)
        if len(branches) > 400:
            break  # a district's officer sees the compliance page instead
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
