"""Hospital stays: admission and discharge bring a visit forward."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound
from grids.models import Created, RecordedBy
from members.models import Cadre


class Hospitalization(Created, RecordedBy):
    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        related_name="hospitalizations",
        verbose_name=_("cadre"),
    )
    admitted_on = models.DateField(_("admitted on"), validators=[DateBound("event")])
    discharged_on = models.DateField(
        _("discharged on"), null=True, blank=True, validators=[DateBound("event")]
    )
    hospital = models.CharField(_("hospital"), max_length=100)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("hospitalization")
        verbose_name_plural = _("hospitalizations")
        ordering = ["-admitted_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True)
                | Q(discharged_on__gte=F("admitted_on")),
                name="hospitalization_discharge_not_before_admission",
                violation_error_message=_(
                    "The discharge date is before the admission date."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["cadre", "admitted_on"], name="hosp_cadre_admitted")
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.hospital} · {self.admitted_on}"
