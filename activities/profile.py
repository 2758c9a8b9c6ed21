"""The profile's organizational-life section (registered with members.profile):
honours of every kind, the year's participation, points and review grade."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Honour, MemberReview
from .periods import parse_period
from .selectors.partylife import participation_by_member
from .selectors.points import points_ledger


def party_life_section(request, cadre) -> dict | None:
    if not cadre.is_party_member and not cadre.honours.exists():
        return None
    year = timezone.localdate().year
    rate = (
        participation_by_member([cadre.branch_id], parse_period(str(year))).get(cadre.pk)
        if cadre.branch_id
        else None
    )
    return {
        "title": _("Organizational life and honours"),
        "template": "activities/profile_party_life.html",
        "year": year,
        "rate": rate,
        "standing": points_ledger(cadre, year) if cadre.branch_id else None,
        "honours": Honour.objects.filter(cadre=cadre).order_by("-year"),
        "reviews": MemberReview.objects.filter(cadre=cadre)
        .exclude(grade="")
        .select_related("review")
        .order_by("-review__year")[:5],
    }
