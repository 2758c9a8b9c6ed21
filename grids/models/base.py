"""What many models share: when a row was made and changed, who recorded it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# ---- what many models share ---------------------------------------------------------


class Created(models.Model):
    """When the row was made."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True


class Stamped(Created):
    """When the row was made and last changed."""

    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class RecordedBy(models.Model):
    """Who recorded it (kept if the account goes: PROTECT; the admin stamps it with
    `grids.admin_scope.RecordedByAdmin`, the services take `by=`)."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        abstract = True
