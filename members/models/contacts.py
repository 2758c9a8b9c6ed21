"""Family contacts: up to four per cadre."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..validators import validate_phone
from .cadre import Cadre


class FamilyContact(models.Model):
    """Up to four family contacts per cadre (position 1–4, enforced in SQL)."""

    MAX_PER_CADRE = 4

    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        related_name="family_contacts",
        verbose_name=_("cadre"),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    relation = models.CharField(_("relation"), max_length=20)
    name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=40, validators=[validate_phone])
    phone2 = models.CharField(
        _("second phone"), max_length=40, blank=True, validators=[validate_phone]
    )
    # Registered to sign in to the cadre's own pages and act for them (issue 23).
    # A database default too: the bulk loaders (synthetic district, COPY) name their
    # columns and leave this one out.
    may_act = models.BooleanField(
        _("may sign in for the cadre"), default=False, db_default=False
    )

    class Meta:
        verbose_name = _("family contact")
        verbose_name_plural = _("family contacts")
        ordering = ["cadre", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "position"], name="familycontact_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=4),
                name="familycontact_at_most_four",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relation} {self.name}"

    def get_additional_data(self) -> dict:
        # Lets the cadre's history find its contacts' entries, deleted ones too.
        return {"cadre_id": self.cadre_id}
