"""Hardship help and condolence money (困难帮扶 / 慰问金, issue 21): the funds a
township receives each year (from the organization department, the township's own
budget, a partner …) and each gift of money or goods handed to a cadre or their
family — with the visit it was part of. Amounts are sensitive (see services.funds)."""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound
from grids.models import OrgUnit
from members.models import Cadre

from .visits import CareVisit


class CareFund(models.Model):
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="care_funds",
        verbose_name=_("township"),
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(
        _("fund source"), max_length=60,
        help_text=_("e.g. the district organization department's allocation"),
    )  # fmt: skip
    allocated = models.DecimalField(
        _("allocated (yuan)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("care fund")
        verbose_name_plural = _("care funds")
        ordering = ["-year", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "source"], name="carefund_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.source}"


class GiftKind(models.TextChoices):
    SPRING_FESTIVAL = "spring", _("Spring Festival condolence")
    HOLIDAY = "holiday", _("Other holiday condolence")
    HARDSHIP = "hardship", _("Hardship help")
    ILLNESS = "illness", _("Illness condolence")
    FUNERAL = "funeral", _("Funeral condolence")


class CareGift(models.Model):
    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        related_name="care_gifts",
        verbose_name=_("cadre"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=GiftKind.choices)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    goods = models.CharField(_("goods"), max_length=100, blank=True)
    fund = models.ForeignKey(
        CareFund, on_delete=models.PROTECT, null=True, blank=True, related_name="gifts",
        verbose_name=_("fund source"),
    )  # fmt: skip
    given_on = models.DateField(_("date"), validators=[DateBound("event")])
    handed_by = models.CharField(_("handed over by"), max_length=100)
    visit = models.ForeignKey(
        CareVisit, on_delete=models.SET_NULL, null=True, blank=True, related_name="gifts",
        verbose_name=_("visit"),
    )  # fmt: skip
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("condolence or help")
        verbose_name_plural = _("condolences and help")
        ordering = ["-given_on", "-pk"]
        indexes = [
            models.Index(fields=["cadre", "kind", "given_on"], name="caregift_cadre")
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_kind_display()} {self.given_on}"


# 春节 (the first day of the lunar year): the Spring Festival visits of a year run from
# 30 days before to the 15th (元宵).
LUNAR_NEW_YEAR = {
    2024: datetime.date(2024, 2, 10), 2025: datetime.date(2025, 1, 29),
    2026: datetime.date(2026, 2, 17), 2027: datetime.date(2027, 2, 6),
    2028: datetime.date(2028, 1, 26), 2029: datetime.date(2029, 2, 13),
    2030: datetime.date(2030, 2, 3), 2031: datetime.date(2031, 1, 23),
    2032: datetime.date(2032, 2, 11), 2033: datetime.date(2033, 1, 31),
    2034: datetime.date(2034, 2, 19), 2035: datetime.date(2035, 2, 8),
}  # fmt: skip


def spring_festival_season(year: int) -> tuple[datetime.date, datetime.date]:
    new_year = LUNAR_NEW_YEAR.get(year, datetime.date(year, 2, 1))
    return new_year - datetime.timedelta(days=30), new_year + datetime.timedelta(days=14)
