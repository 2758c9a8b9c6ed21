"""Reference lists the township configures."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RankLevel(models.Model):
    """Reference list of ranks and benefit levels (configurable by the township)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("rank or benefit level")
        verbose_name_plural = _("ranks and benefit levels")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name
