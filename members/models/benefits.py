"""The dossier's sensitive benefit and medical fields (issue 19), kept apart from
the rest of the dossier: each belongs to a reveal group (members.selectors.REVEAL_FIELDS):
the medical ones with the health notes, the pension on its own."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CadreBenefits(models.Model):
    """Database defaults, so that bulk loads which do not name them still write a row."""

    medical_insurance = models.CharField(
        _("medical insurance"),
        max_length=30,
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "e.g. employees' insurance, residents' insurance, public health care"
        ),
    )
    designated_hospital = models.CharField(
        _("designated hospital"), max_length=100, blank=True, default="", db_default=""
    )
    designated_hospital2 = models.CharField(
        _("second designated hospital"),
        max_length=100,
        blank=True,
        default="",
        db_default="",
    )
    long_term_medicines = models.CharField(
        _("long-term medicines"), max_length=300, blank=True, default="", db_default=""
    )
    monthly_pension = models.DecimalField(
        _("monthly pension (yuan)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1000000)],
    )

    class Meta:
        abstract = True
