"""Campaigns and the roles cadres play in them (作用发挥)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound
from grids.models import OrgUnit
from members.models import Cadre, Mobility


class RoleKind(models.TextChoices):
    """The report's three roles (调查摸底, 宣传发动, 督导巡查) and any other."""

    SURVEY = "survey", _("Survey (调查摸底)")
    PUBLICITY = "publicity", _("Publicity (宣传发动)")
    PATROL = "patrol", _("Supervision patrols (督导巡查)")
    OTHER = "other", _("Other")


# Who can serve in a role that needs this much mobility (issue 13's three levels).
SUITABLE_MOBILITY = {
    Mobility.TRAVEL: (Mobility.TRAVEL,),
    Mobility.NEARBY: (Mobility.TRAVEL, Mobility.NEARBY),
    Mobility.HOME: (Mobility.TRAVEL, Mobility.NEARBY, Mobility.HOME),
}


class Campaign(models.Model):
    """Township work that cadres join (作用发挥), e.g. 吴淞江北岸生态环境综合治理."""

    name = models.CharField(_("name"), max_length=150)
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("organizing unit"),
    )
    start_on = models.DateField(_("start date"), validators=[DateBound("planned")])
    end_on = models.DateField(
        _("end date"), null=True, blank=True, validators=[DateBound("planned")]
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="campaign_end_not_before_start",
                violation_error_message=_("The end date is before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignRole(models.Model):
    """A role in a campaign: 调查摸底, 宣传发动, 督导巡查 …"""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("campaign"),
    )
    name = models.CharField(_("role"), max_length=50)
    kind = models.CharField(
        _("kind of role"), max_length=10, choices=RoleKind.choices, default=RoleKind.OTHER
    )
    # The mobility the role needs: a patrol walks the river bank, publicity can be
    # done nearby, some survey work (phone calls) at home.
    needs = models.CharField(
        _("needs"),
        max_length=8,
        choices=Mobility.choices,
        default=Mobility.NEARBY,
        help_text=_("Only cadres who can do this much are offered for the role."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("campaign role")
        verbose_name_plural = _("campaign roles")
        ordering = ["campaign", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name"], name="campaignrole_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.name}"


class CampaignService(models.Model):
    """A cadre serving in a campaign role, from–to."""

    role = models.ForeignKey(
        CampaignRole,
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("role"),
    )
    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        related_name="campaign_services",
        verbose_name=_("cadre"),
    )
    start_on = models.DateField(_("from"), validators=[DateBound("planned")])
    end_on = models.DateField(
        _("to"), null=True, blank=True, validators=[DateBound("planned")]
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("campaign service")
        verbose_name_plural = _("campaign services")
        ordering = ["role", "start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="campaignservice_end_not_before_start",
                violation_error_message=_("The end date is before the start date."),
            ),
            models.UniqueConstraint(
                fields=["role", "cadre", "start_on"], name="campaignservice_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.role.name}"


class CampaignEntry(models.Model):
    """One piece of a cadre's service: the day, the hours, what was done. Hours per
    month are the sum of the month's entries."""

    service = models.ForeignKey(
        CampaignService,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("service"),
    )
    on = models.DateField(_("date"), validators=[DateBound("event")])
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(24)],
    )
    done = models.CharField(_("what was done"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("service entry")
        verbose_name_plural = _("service entries")
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24),
                name="campaignentry_hours_in_a_day",
                violation_error_message=_("Hours must be more than 0 and at most 24."),
            ),
        ]
        indexes = [models.Index(fields=["service", "on"], name="campaignentry_service")]

    def __str__(self) -> str:
        return f"{self.service} · {self.on} · {self.hours}"
