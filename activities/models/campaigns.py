"""Campaigns and the roles cadres play in them (作用发挥)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound
from grids.models import OrgUnit
from members.models import Cadre


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
