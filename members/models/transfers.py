"""Branch transfers: the history of a member's branch."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound
from grids.models import OrgUnit

from .cadre import Cadre


class BranchTransfer(models.Model):
    """History of a cadre's branch changes, written by members.services.cadre_transfer."""

    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        related_name="transfers",
        verbose_name=_("cadre"),
    )
    from_branch = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from branch"),
    )
    to_branch = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to branch"),
    )
    on = models.DateField(_("date"), validators=[DateBound("event")])
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("branch transfer")
        verbose_name_plural = _("branch transfers")
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_branch=F("to_branch")) | Q(from_branch__isnull=True),
                name="branchtransfer_changes_branch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre}: {self.from_branch or '—'} → {self.to_branch} ({self.on})"
