"""Transfers of the organizational relation (组织关系转接, issue 21) across the
township's border: out — a letter of introduction (介绍信) with its number, valid for
a stated period, and its return slip (回执) expected back within a month — and in —
the letter received and the member placed in a branch."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound
from grids.models import OrgUnit

from .cadre import Cadre

RECEIPT_DAYS = 30  # the 回执 is expected back within a month


class Direction(models.TextChoices):
    OUT = "out", _("Transferred out")
    IN = "in", _("Transferred in")


class RelationTransfer(models.Model):
    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="relation_transfers",
        verbose_name=_("member"),
    )  # fmt: skip
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    branch = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("party branch"),
        help_text=_("Out: the branch left; in: the branch the member joins."),
    )  # fmt: skip
    other_organization = models.CharField(
        _("other party organization"), max_length=150,
        help_text=_("Out: where the member goes; in: where the member comes from."),
    )  # fmt: skip
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    on = models.DateField(_("date"), validators=[DateBound("event")])
    # The letter: ours when out (numbered per township and year), theirs when in.
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("letter number"), null=True, blank=True)
    their_number = models.CharField(_("their letter number"), max_length=40, blank=True)
    valid_days = models.PositiveSmallIntegerField(_("valid for (days)"), default=30)
    receipt_due_on = models.DateField(_("return slip due"), null=True, blank=True)
    receipt_on = models.DateField(
        _("return slip received"), null=True, blank=True, validators=[DateBound("event")]
    )
    tree_id = models.PositiveIntegerField(editable=False)  # the township's tree
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("recorded by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("transfer of organizational relation")
        verbose_name_plural = _("transfers of organizational relation")
        ordering = ["-on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tree_id", "year", "number"], name="relationtransfer_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.cadre} {self.on}"

    @property
    def letter_number(self) -> str:
        return f"（{self.year}）第{self.number}号" if self.number else self.their_number

    @property
    def valid_until(self) -> datetime.date:
        return self.on + datetime.timedelta(days=self.valid_days)
