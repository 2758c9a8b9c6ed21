"""A cadre's interests (兴趣爱好, issue 20): the themes of the activity menu the cadre
likes, so that the menu for them shows those first."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Interest(models.TextChoices):
    """The themes of a branch's activity menu (活动菜单) and of a cadre's interests."""

    RED_SITES = "red_sites", _("Visits to revolutionary sites")
    HEALTH = "health", _("Health and wellbeing")
    FILM = "film", _("Films")
    HANDICRAFT = "handicraft", _("Handicraft")
    CALLIGRAPHY = "calligraphy", _("Calligraphy and painting")
    ARTS = "arts", _("Singing, dance and sport")
    READING = "reading", _("Reading and study")
    DIGITAL = "digital", _("Smartphones and digital life")
    VOLUNTEERING = "volunteering", _("Volunteering")
    GATHERING = "gathering", _("Gatherings and celebrations")


class CadreInterests(models.Model):
    interests = models.JSONField(
        _("interests"),
        default=list,
        db_default=[],  # bulk loads that do not name it
        blank=True,
        help_text=_("What the cadre likes to take part in: the menu shows it first."),
    )

    class Meta:
        abstract = True

    def interest_labels(self) -> list[str]:
        labels = dict(Interest.choices)
        return [str(labels[code]) for code in self.interests or () if code in labels]
