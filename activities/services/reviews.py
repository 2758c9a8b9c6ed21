"""The yearly review (民主评议党员 / 年检评议, issue 17) of a branch: started with a
sheet per member, the steps and the grade entered by the secretary, submitted —
which locks the year's points and counts as the year's 民主评议党员 — and unlocked by
an officer with a reason (kept in the history)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.models import OrgUnit, StaffRole, UnitKind
from grids.selectors import has_role_over

from ..models import BranchReview, Grade, MemberReview, ReviewStatus
from ..selectors.points import branch_members_in_year
from .points import points_recompute

MEMBER_FIELDS = ("self_mark", "peer_excellent", "peer_pass", "peer_basic", "peer_fail",
                 "vote_excellent", "vote_pass", "vote_basic", "vote_fail", "grade",
                 "follow_up")  # fmt: skip
OFFICERS = (StaffRole.TOWNSHIP_OFFICER, StaffRole.ADMINISTRATOR)


def grades_in_use() -> list[str]:
    """Four grades, or three where the township drops 基本合格 (REVIEW_BASIC_PASS)."""
    return [g for g in Grade.values if settings.REVIEW_BASIC_PASS or g != Grade.BASIC]


@transaction.atomic
def review_start(*, branch: OrgUnit, year: int) -> BranchReview:
    """The review with a sheet for each member on the roster during the year; started
    again, it adds the members who joined since (never removes a sheet)."""
    if branch.kind != UnitKind.BRANCH:
        raise ValidationError(_("A review is held by a party branch."))
    review, _created = BranchReview.objects.get_or_create(branch=branch, year=year)
    if review.locked:
        return review
    have = set(review.members.values_list("cadre_id", flat=True))
    MemberReview.objects.bulk_create(
        MemberReview(review=review, cadre=c)
        for c in branch_members_in_year(branch, year)
        if c.pk not in have
    )
    return review


def _check_excellent(review: BranchReview, changing: dict[int, str]) -> None:
    """优秀 for at most one third of the members reviewed."""
    grades = dict(review.members.values_list("pk", "grade"))
    grades.update(changing)
    reviewed = len(grades)
    excellent = sum(1 for g in grades.values() if g == Grade.EXCELLENT)
    if reviewed and excellent * 3 > reviewed:
        raise ValidationError(
            _("优秀 may go to at most one third of the members reviewed: %(n)d of %(total)d "
              "is too many.") % {"n": excellent, "total": reviewed}
        )  # fmt: skip


@transaction.atomic
def review_members_update(*, review: BranchReview, changes: dict[int, dict]) -> int:
    """Set the steps and grades of several sheets (member review id → fields)."""
    review = BranchReview.objects.select_for_update().get(pk=review.pk)
    if review.locked:
        raise ValidationError(_("The review is submitted and locked."))
    sheets = {m.pk: m for m in review.members.all()}
    unknown = [pk for pk in changes if pk not in sheets]
    if unknown:
        raise ValidationError(_("These sheets are not in this review."))
    allowed = set(grades_in_use()) | {""}
    problems = []
    for pk, fields in changes.items():
        sheet = sheets[pk]
        for name, value in fields.items():
            if name not in MEMBER_FIELDS:
                raise ValueError(name)
            setattr(sheet, name, value)
        if sheet.grade not in allowed or sheet.self_mark not in allowed:
            problems.append(_("%s: choose one of the grades in use.") % sheet.cadre.name)
        if sheet.grade == Grade.FAIL and not sheet.follow_up.strip():
            problems.append(
                _("%s: a fail needs the follow-up (education first, then organizational "
                  "handling).") % sheet.cadre.name
            )  # fmt: skip
    if problems:
        raise ValidationError(problems)
    _check_excellent(review, {pk: sheets[pk].grade for pk in changes})
    for pk in changes:
        sheets[pk].full_clean(exclude=["review", "cadre"])
        sheets[pk].save()
    return len(changes)


@transaction.atomic
def review_submit(*, review: BranchReview) -> BranchReview:
    review = BranchReview.objects.select_for_update().get(pk=review.pk)
    if review.locked:
        return review
    missing = [
        m.cadre.name for m in review.members.select_related("cadre") if not m.grade
    ]
    if missing:
        raise ValidationError(
            _("Every member needs a grade before the review is submitted: %s")
            % "、".join(missing[:20])
        )
    _check_excellent(review, {})
    # The points are final before the year is locked.
    points_recompute(review.members.values_list("cadre_id", flat=True), review.year)
    review.status, review.submitted_at = ReviewStatus.SUBMITTED, timezone.now()
    review.save(update_fields=["status", "submitted_at", "updated_at"])
    return review


@transaction.atomic
def review_unlock(*, review: BranchReview, reason: str, by) -> BranchReview:
    if not has_role_over(by, [review.branch], OFFICERS):
        raise ValidationError(_("Only a township officer may unlock a submitted review."))
    if not reason.strip():
        raise ValidationError({"unlock_reason": _("Give the reason for unlocking.")})
    review.status, review.unlock_reason = ReviewStatus.IN_PROGRESS, reason.strip()[:200]
    review.save(update_fields=["status", "unlock_reason", "updated_at"])
    return review
