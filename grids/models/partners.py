"""Co-building partners (共建单位), their pairings and the services they promise."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..datebounds import DateBound
from .tree import OrgUnit, UnitKind


class PartnerKind(models.TextChoices):
    # The four kinds of co-building partner from the township report.
    INSTITUTIONAL = "institutional", _("Nearby institutional unit")
    REGIONAL = "regional", _("Regional unit")
    VILLAGE_COMMUNITY = "village_community", _("Village–community pairing")
    NEW_ORGANIZATION = "new_organization", _("New economic or social organization")


class PartnerUnit(models.Model):
    """A co-building unit (共建单位)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=PartnerKind.choices)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("what they offer"), blank=True)
    # For a village–community pairing the partner may itself be a unit of our tree.
    linked_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked unit of the tree"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("co-building partner")
        verbose_name_plural = _("co-building partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


PAIRING_UNIT_KINDS = (UnitKind.GRID, UnitKind.COMMUNITY, UnitKind.VILLAGE)


class Pairing(models.Model):
    """A partner paired with a grid or community for a period, with promised services."""

    partner = models.ForeignKey(
        PartnerUnit,
        on_delete=models.PROTECT,
        related_name="pairings",
        verbose_name=_("partner"),
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="pairings",
        verbose_name=_("grid or community"),
    )
    start_on = models.DateField(_("start date"), validators=[DateBound("planned")])
    end_on = models.DateField(
        _("end date"), null=True, blank=True, validators=[DateBound("planned")]
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                name="pairing_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} ↔ {self.unit}"

    def clean(self) -> None:
        super().clean()
        if self.unit_id and self.unit.kind not in PAIRING_UNIT_KINDS:
            raise ValidationError(
                {"unit": _("A partner pairs with a grid, a community or a village.")}
            )
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("The end date is before the start date.")})


class ServiceKind(models.TextChoices):
    MEDICAL = "medical", _("Medical visit / home check-up")
    MEDICINE = "medicine", _("Medicine delivery")
    GREETINGS = "greetings", _("Greetings (e.g. birthday cake)")
    SERVICE = "service", _("Other service")
    STUDY = "study", _("Study material delivered at home")
    HOME_ROUNDS = "home_rounds", _("Family doctor's home rounds")
    HOME_SAFETY = "home_safety", _("Home safety service")
    CARE_PAIRING = "care_pairing", _("Pairing with a solitary cadre")
    TRAINING = "training", _("Rehabilitation and nursing training")
    JOINT_ACTIVITY = "joint_activity", _("Joint activity")
    OTHER = "other", _("Other")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Every half year")
    YEARLY = "yearly", _("Yearly")
    ON_DEMAND = "on_demand", _("On demand")
    ONCE = "once", _("Once")


class PairingService(models.Model):
    """One promised service of a pairing: what, how often, notes."""

    pairing = models.ForeignKey(
        Pairing,
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("pairing"),
    )
    kind = models.CharField(_("service"), max_length=20, choices=ServiceKind.choices)
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices)
    times_per_period = models.PositiveSmallIntegerField(_("times per period"), default=1)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("promised service")
        verbose_name_plural = _("promised services")
        constraints = [
            models.CheckConstraint(
                condition=Q(times_per_period__gte=1), name="pairingservice_times_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_frequency_display()}）"
