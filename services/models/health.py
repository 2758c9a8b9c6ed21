"""Health check-ups: the yearly series with plausible values backed in SQL."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound
from grids.models import Created, PartnerUnit, RecordedBy
from members.models import Cadre


class HealthCheck(Created, RecordedBy):
    """One check-up; the series of them with the profile is the 健康档案."""

    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        related_name="health_checks",
        verbose_name=_("cadre"),
    )
    checked_on = models.DateField(_("date"), validators=[DateBound("event")])
    provider = models.CharField(_("provider"), max_length=100, blank=True)
    partner = models.ForeignKey(
        PartnerUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="health_checks",
        verbose_name=_("partner unit"),
    )
    systolic = models.PositiveSmallIntegerField(
        _("systolic pressure (mmHg)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(300)],
    )
    diastolic = models.PositiveSmallIntegerField(
        _("diastolic pressure (mmHg)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(200)],
    )
    fasting_glucose = models.DecimalField(
        _("fasting glucose (mmol/L)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
    )
    height_cm = models.DecimalField(
        _("height (cm)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(100), MaxValueValidator(230)],
    )
    weight_kg = models.DecimalField(
        _("weight (kg)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(250)],
    )
    findings = models.TextField(_("findings"), blank=True)
    advice = models.TextField(_("advice"), blank=True)
    follow_up = models.CharField(_("follow-up"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("health check-up")
        verbose_name_plural = _("health check-ups")
        ordering = ["-checked_on"]
        indexes = [
            models.Index(fields=["cadre", "checked_on"], name="healthcheck_cadre_date")
        ]
        constraints = [
            # Plausible ranges: a typing error (1300 for 130) is refused, not stored.
            models.CheckConstraint(
                condition=Q(systolic__isnull=True) | Q(systolic__range=(50, 300)),
                name="healthcheck_systolic_range",
            ),
            models.CheckConstraint(
                condition=Q(diastolic__isnull=True) | Q(diastolic__range=(30, 200)),
                name="healthcheck_diastolic_range",
            ),
            models.CheckConstraint(
                condition=Q(systolic__isnull=True)
                | Q(diastolic__isnull=True)
                | Q(systolic__gt=F("diastolic")),
                name="healthcheck_systolic_above_diastolic",
                violation_error_message=_(
                    "The systolic pressure must be higher than the diastolic pressure."
                ),
            ),
            models.CheckConstraint(
                condition=Q(fasting_glucose__isnull=True)
                | Q(fasting_glucose__range=(1, 40)),
                name="healthcheck_glucose_range",
            ),
            models.CheckConstraint(
                condition=Q(height_cm__isnull=True) | Q(height_cm__range=(100, 230)),
                name="healthcheck_height_range",
            ),
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=True) | Q(weight_kg__range=(20, 250)),
                name="healthcheck_weight_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.checked_on}"

    @property
    def blood_pressure(self) -> str:
        if self.systolic and self.diastolic:
            return f"{self.systolic}/{self.diastolic}"
        return ""
