"""For whom an activity on the menu suits (issue 20)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Mobility


class Suits(models.TextChoices):
    """The same three levels as a cadre's mobility: SUITABLE_MOBILITY says which
    cadres an activity suits."""

    TRAVEL = Mobility.TRAVEL.value, _("Needs travel (a trip, a visit)")
    NEARBY = Mobility.NEARBY.value, _("Nearby (in the community)")
    HOME = Mobility.HOME.value, _("At home (brought to the door, or by phone or video)")
