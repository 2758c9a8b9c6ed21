"""Honours (光荣在党50年 and the others)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound
from members.models import Cadre


class HonourKind(models.TextChoices):
    PARTY_50_YEARS = "party_50_years", _("Medal for 50 years in the party")
    OUTSTANDING_MEMBER = "outstanding_member", _("Outstanding party member")
    OTHER = "other", _("Other honour")


class HonourStatus(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    RECOMMENDED = "recommended", _("Recommended")
    APPROVED = "approved", _("Approved")
    AWARDED = "awarded", _("Awarded")
    DECLINED = "declined", _("Declined")


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial or municipal")
    DISTRICT = "district", _("District")
    TOWNSHIP = "township", _("Township")
    BRANCH = "branch", _("Branch")


class Honour(models.Model):
    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="honours", verbose_name=_("cadre")
    )
    kind = models.CharField(_("honour"), max_length=20, choices=HonourKind.choices)
    title = models.CharField(
        _("title"), max_length=100, blank=True, help_text=_("For other honours: its name")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    awarding_body = models.CharField(_("awarding body"), max_length=100, blank=True)
    level = models.CharField(
        _("level"), max_length=12, choices=HonourLevel.choices, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=HonourStatus.choices,
        default=HonourStatus.ELIGIBLE,
    )
    awarded_on = models.DateField(
        _("awarded on"), null=True, blank=True, validators=[DateBound("event")]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-year", "cadre"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=HonourStatus.AWARDED) | Q(awarded_on__isnull=False),
                name="honour_awarded_has_date",
                violation_error_message=_("Give the date an awarded honour was awarded."),
            ),
            # The 50-year medal is given once in a lifetime.
            models.UniqueConstraint(
                fields=["cadre"],
                condition=Q(kind=HonourKind.PARTY_50_YEARS),
                name="honour_one_50_year_medal",
                violation_error_message=_(
                    "This cadre already has the medal for 50 years in the party."
                ),
            ),
            models.UniqueConstraint(
                fields=["cadre", "kind", "title", "year"], name="honour_unique_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.year} {self.title or self.get_kind_display()}"
