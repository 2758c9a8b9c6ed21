"""The yearly review pages (issue 17): the township's progress and grade
distribution; a branch's review with each member's sheet, the steps and the grade,
submission, and an officer's unlock with a reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.models import UnitKind
from grids.params import int_from, year_from, year_or_refuse
from grids.selectors import is_officer, scope_of, units_visible_to

from .models import BranchReview, Grade, MemberReview
from .selectors.reviews import NOT_STARTED, review_progress, review_sheets
from .services import (
    grades_in_use,
    review_members_update,
    review_start,
    review_submit,
    review_unlock,
)
from .services.reviews import MEMBER_FIELDS

TALLIES = [f for f in MEMBER_FIELDS if f.startswith(("peer_", "vote_"))]


@login_required
def progress(request):
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    units = (
        units_visible_to(request.user)
        .exclude(kind=UnitKind.PARTY_GROUP)
        .order_by("tree_id", "lft")
    )
    year = year_from(request.GET.get("year"), default=timezone.localdate().year)
    chosen = int_from(request.GET.get("unit"), default=0)
    unit = units.filter(pk=chosen).first() if chosen else units.first()
    if unit is None:
        raise PermissionDenied
    rows = review_progress(unit, year)
    grades = [(g, label) for g, label in Grade.choices if g in grades_in_use()]
    for row in rows:
        row["counts"] = [row["grades"].get(g, 0) for g, _label in grades]
    return render(request, "activities/review_progress.html", {
        "unit": unit, "units": units, "year": year, "rows": rows, "grades": grades,
        "not_started": NOT_STARTED, "nav": "meetings",
        "done": sum(r["status"] == "submitted" for r in rows),
    })  # fmt: skip


def _sheet_changes(post, sheets) -> dict[int, dict]:
    changes = {}
    for sheet in sheets:
        fields = {}
        for name in ("self_mark", "grade", "follow_up"):
            if f"{name}_{sheet.pk}" in post:
                fields[name] = post.get(f"{name}_{sheet.pk}", "").strip()[:300]
        for name in TALLIES:
            value = int_from(post.get(f"{name}_{sheet.pk}"), default=None, lo=0, hi=999)
            if value is not None:
                fields[name] = value
        changed = {k: v for k, v in fields.items() if getattr(sheet, k) != v}
        if changed:
            changes[sheet.pk] = changed
    return changes


@login_required
def branch_review(request, branch_pk, year):
    branch = get_object_or_404(
        units_visible_to(request.user).filter(kind=UnitKind.BRANCH), pk=branch_pk
    )
    year_or_refuse(year)
    may_write = scope_of(request.user).writable().contains(branch)
    review = BranchReview.objects.filter(branch=branch, year=year).first()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "unlock":
                if review is None:
                    raise PermissionDenied
                review_unlock(
                    review=review, reason=request.POST.get("reason", ""), by=request.user
                )
                messages.success(request, _("The review is unlocked."))
            elif not may_write:
                raise PermissionDenied
            elif action == "start":
                review = review_start(branch=branch, year=year)
                messages.success(request, _("The review is started."))
            elif review is not None and action in ("save", "submit"):
                changes = _sheet_changes(
                    request.POST, review.members.select_related("cadre")
                )
                if changes:
                    review_members_update(review=review, changes=changes)
                if action == "submit":
                    review_submit(review=review)
                    messages.success(
                        request,
                        _("The review is submitted: the year's points are locked."),
                    )
                else:
                    messages.success(request, _("Saved."))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            return redirect("reviews:branch", branch_pk=branch.pk, year=year)
    sheets = review_sheets(review) if review else []
    labels = {f: MemberReview._meta.get_field(f).verbose_name for f in TALLIES}
    for sheet in sheets:
        sheet.tally_fields = [(f, labels[f], getattr(sheet, f)) for f in TALLIES]
    return render(request, "activities/review_branch.html", {
        "branch": branch, "year": year, "review": review, "sheets": sheets,
        "may_write": may_write and (review is None or not review.locked),
        "may_unlock": review is not None and review.locked and is_officer(request.user),
        "grades": [(g, label) for g, label in Grade.choices if g in grades_in_use()],
        "nav": "meetings",
    })  # fmt: skip
