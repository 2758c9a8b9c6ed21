"""Supervision patrols (issue 20): the team, logging a patrol (sent once, whatever the
network does), its photos, following a finding until closed, and what the patrol
page reads — monthly counts and the open findings over what the user may see."""

import datetime

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from activities.models import Campaign, CampaignService, RoleKind
from grids.selectors import scope_of
from grids.uploads import private_dir, stored_path
from members.models import Cadre, CadreStatus
from members.selectors import cadres_visible_to, can_edit_cadre

from .models import FindingKind, FindingStatus, Patrol, PatrolPhoto


def patrol_team(campaign: Campaign) -> QuerySet[Cadre]:
    """The cadres serving now in the campaign's patrol roles (督导巡查)."""
    serving = CampaignService.objects.filter(
        role__campaign=campaign, role__kind=RoleKind.PATROL, end_on__isnull=True
    ).values("cadre_id")
    return Cadre.objects.filter(pk__in=serving, status=CadreStatus.ACTIVE).select_related(
        "branch", "residence_unit"
    )


def team_loggable_by(user, campaign: Campaign) -> list[Cadre]:
    """The team members whose patrols the user may log (a writing role over them)."""
    visible = cadres_visible_to(user).values("pk")
    return [c for c in patrol_team(campaign).filter(pk__in=visible).order_by("name_initials")
            if can_edit_cadre(user, c)]  # fmt: skip


def may_follow_up(user, patrol: Patrol) -> bool:
    """A worker who may change one of the cadres who went (or the campaign's unit)."""
    if scope_of(user).writable().contains(patrol.campaign.unit):
        return True
    return any(can_edit_cadre(user, m) for m in patrol.members.all())


def patrols_visible_to(user, campaign: Campaign) -> QuerySet[Patrol]:
    """The campaign's patrols with at least one member the user may see."""
    visible = cadres_visible_to(user).values("pk")
    return Patrol.objects.filter(
        campaign=campaign, pk__in=Patrol.members.through.objects.filter(
            cadre_id__in=visible
        ).values("patrol_id"),
    )  # fmt: skip


def patrols_visible(user) -> QuerySet[Patrol]:
    """The patrols of the campaigns the user sees, with a member the user may see."""
    from activities.selectors.campaigns import campaigns_visible_to

    visible = cadres_visible_to(user).values("pk")
    return Patrol.objects.filter(
        campaign__in=campaigns_visible_to(user).values("pk"),
        pk__in=Patrol.members.through.objects.filter(cadre_id__in=visible).values("patrol_id"),
    ).select_related("campaign", "campaign__unit")  # fmt: skip


def patrol_overview(campaign: Campaign, user) -> dict:
    """Monthly patrol counts and the open findings, over what the user may see."""
    patrols = patrols_visible_to(user, campaign)
    by_month = [
        (row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"],
         row["n"], row["found"])
        for row in patrols.annotate(month=TruncMonth("patrolled_at"))
        .values("month").annotate(
            n=Count("pk"), found=Count("pk", filter=~Q(finding_kind=FindingKind.NONE)),
        ).order_by("month")
    ]  # fmt: skip
    open_findings = list(
        patrols.filter(status=FindingStatus.OPEN)
        .prefetch_related("members", "photos")
        .order_by("patrolled_at")
    )
    recent = list(
        patrols.select_related("recorded_by").prefetch_related("members", "photos")[:30]
    )
    return {"by_month": by_month, "open": open_findings, "recent": recent}


def patrol_photo_path(photo: PatrolPhoto):
    private_dir(settings.VISIT_PHOTO_DIR)
    return stored_path(settings.VISIT_PHOTO_DIR, photo.stored_file)


def patrol_figures(campaign_ids: list[int], user) -> dict[int, dict[str, int]]:
    """Campaign id → patrols, problems found and findings closed, over the patrols
    the user may see (registered with activities.hooks): one query."""
    visible = cadres_visible_to(user).values("pk")
    seen = Patrol.members.through.objects.filter(cadre_id__in=visible).values("patrol_id")
    rows = (
        Patrol.objects.filter(campaign_id__in=campaign_ids, pk__in=seen)
        .values("campaign_id")
        .annotate(
            n=Count("pk"),
            found=Count("pk", filter=~Q(finding_kind=FindingKind.NONE)),
            closed=Count("pk", filter=Q(status=FindingStatus.CLOSED)),
        )
        .order_by()
    )
    labels = (_("number of patrols"), _("problems found"), _("findings closed"))
    return {
        row["campaign_id"]: dict(
            zip(labels, (row["n"], row["found"], row["closed"]), strict=True)
        )
        for row in rows
    }


def patrols_by_team(campaign: Campaign, user) -> tuple[list, list[datetime.date], list]:
    """The campaign's patrol teams (its 督导巡查 roles), the months, and per team
    [(month, patrols)]: a patrol counts for each team one of its members serves in.
    One query for the counts."""
    teams = list(campaign.roles.filter(kind=RoleKind.PATROL))
    counts = {
        (row["role"], _month(row["month"])): row["n"]
        for row in patrols_visible_to(user, campaign)
        .filter(
            members__campaign_services__role__in=teams,
        )
        .annotate(
            month=TruncMonth("patrolled_at"), role=F("members__campaign_services__role")
        )
        .values("role", "month")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    }
    months = sorted({month for _role, month in counts})
    return (
        teams,
        months,
        [(team, [(m, counts.get((team.pk, m), 0)) for m in months]) for team in teams],
    )


def _month(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value
