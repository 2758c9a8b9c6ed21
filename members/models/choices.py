"""The choices of a dossier's fields."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Category(models.TextChoices):
    LIXIU = "lixiu", _("Lixiu (veteran cadre, joined by 1949-09-30)")
    TUIXIU = "tuixiu", _("Retired cadre")


class LixiuPeriod(models.TextChoices):
    # Benefits depend on the period they joined the revolution in (DOMAIN.md).
    ANTI_JAPANESE_WAR = "anti_japanese", _("Anti-Japanese War period")
    LIBERATION_WAR = "liberation", _("Liberation War period")


class MemberStatus(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")
    OUT_OF_CONTACT = "out_of_contact", _("Out of contact")
    SUSPENDED = "suspended", _("Membership suspended")


class MaritalStatus(models.TextChoices):
    MARRIED = "married", _("Married")
    WIDOWED = "widowed", _("Widowed")
    DIVORCED = "divorced", _("Divorced")
    SINGLE = "single", _("Never married")


class LivingSituation(models.TextChoices):
    ALONE = "alone", _("Living alone")
    EMPTY_NEST = "empty_nest", _("Empty nest")
    WITH_FAMILY = "with_family", _("With family")


class Mobility(models.TextChoices):
    """Three levels used everywhere (meetings, points, activities; DOMAIN.md)."""

    TRAVEL = "travel", _("Can travel to activities")
    NEARBY = "nearby", _("Nearby only")
    HOME = "home", _("At home only")


class CadreStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")


class ArchiveReason(models.TextChoices):
    DECEASED = "deceased", _("Deceased")
    TRANSFERRED_OUT = "transferred_out", _("Organization relation transferred out")
    OTHER = "other", _("Other")
