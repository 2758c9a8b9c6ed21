"""Reads of the yearly review: a branch's sheets with what each member's year holds,
and the township's progress with the grade distribution."""

import datetime
from collections import Counter, defaultdict

from django.db.models import Count, Q

from ..hooks import facts_for
from ..models import BranchReview, CampaignService, Honour, MemberReview
from ..periods import parse_period
from .partylife import branches_in, participation_by_member, study_hours_by_member
from .points import points_ranking

NOT_STARTED = "not_started"


def review_sheets(review: BranchReview) -> list[MemberReview]:
    """The sheets, each with `.standing` (points), `.rate` (participation),
    `.hours`, `.honours`, `.campaigns` and `.facts` (visits received …)."""
    year, branch = review.year, review.branch
    sheets = list(review.members.select_related("cadre"))
    ids = [s.cadre_id for s in sheets]
    period = parse_period(str(year))
    _scheme, standings = points_ranking(branch, year)
    by_cadre = {s.cadre.pk: s for s in standings}
    rates = participation_by_member([branch.pk], period)
    hours = study_hours_by_member([branch.pk], period)
    honours = defaultdict(list)
    for h in Honour.objects.filter(cadre_id__in=ids, year=year):
        honours[h.cadre_id].append(h.title or h.get_kind_display())
    campaigns = defaultdict(list)
    for s in CampaignService.objects.filter(
        Q(end_on__isnull=True) | Q(end_on__gte=datetime.date(year, 1, 1)),
        cadre_id__in=ids,
        start_on__lte=datetime.date(year, 12, 31),
    ).select_related("role__campaign"):
        campaigns[s.cadre_id].append(f"{s.role.campaign.name}·{s.role.name}")
    facts = facts_for(ids, year)
    for sheet in sheets:
        pk = sheet.cadre_id
        sheet.standing, sheet.rate = by_cadre.get(pk), rates.get(pk)
        sheet.hours, sheet.honours = hours.get(pk, 0), honours.get(pk, [])
        sheet.campaigns, sheet.facts = campaigns.get(pk, []), facts.get(pk, {})
    return sheets


def review_progress(unit, year: int) -> list[dict]:
    """Each branch of the unit: not started / in progress / submitted, and its
    grades so far. Three queries."""
    branches = branches_in(unit)
    reviews = {
        r.branch_id: r
        for r in BranchReview.objects.filter(
            branch_id__in=[b["pk"] for b in branches], year=year
        )
    }
    grades: dict[int, Counter] = defaultdict(Counter)
    for row in (
        MemberReview.objects.filter(review__in=list(reviews.values()))
        .values("review_id", "grade")
        .annotate(n=Count("pk"))
    ):
        grades[row["review_id"]][row["grade"] or "none"] += row["n"]
    rows = []
    for b in branches:
        review = reviews.get(b["pk"])
        rows.append({
            "branch": b, "review": review,
            "status": review.status if review else NOT_STARTED,
            "grades": grades.get(review.pk, Counter()) if review else Counter(),
        })  # fmt: skip
    return rows
