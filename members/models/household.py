"""Households: cadres sharing one home, visited together."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Household(models.Model):
    """Cadres sharing one home (a couple, say): visited together."""

    address = models.CharField(_("address"), max_length=200, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.address or str(_("Household %(pk)s") % {"pk": self.pk})
