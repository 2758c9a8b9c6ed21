"""When a member lost contact and when contact came back (失联党员, issue 21): the
secretary decides both (services proposes them from the contacts it sees); the
dossier keeps the dates."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound


class CadreContactStanding(models.Model):
    lost_contact_since = models.DateField(
        _("out of contact since"), null=True, blank=True, validators=[DateBound("event")]
    )
    contact_restored_on = models.DateField(
        _("contact restored on"), null=True, blank=True, validators=[DateBound("event")]
    )

    class Meta:
        abstract = True
