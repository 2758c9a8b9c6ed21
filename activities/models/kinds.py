"""Meeting kinds and their rules are data (issue 16): the standard kinds come from a
data migration; a township adds its own kinds and enters its local rules ("5+7")
in the admin, without code."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Expected(models.TextChoices):
    """Who is expected (应到) at a meeting of a kind."""

    BRANCH = "branch", _("All members of the branch")
    COMMITTEE = "committee", _("The branch committee")
    GROUP = "group", _("The members of one party group")
    OPEN = "open", _("Whoever comes (not counted in participation)")


class MeetingKind(models.Model):
    code = models.SlugField(
        _("code"),
        max_length=24,
        unique=True,
        help_text=_("A short English identifier; never changed once used."),
    )
    name = models.CharField(_("name"), max_length=40, unique=True)
    expected = models.CharField(
        _("who is expected"),
        max_length=10,
        choices=Expected.choices,
        default=Expected.BRANCH,
    )
    study_hours = models.BooleanField(
        _("counts as study hours"),
        default=False,
        help_text=_("Its duration counts toward the members' study hours (学时)."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("meeting kind")
        verbose_name_plural = _("meeting kinds")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def counts(self) -> bool:
        """Whether its meetings count in participation."""
        return self.expected != Expected.OPEN


class Per(models.TextChoices):
    MONTH = "month", _("per month")
    QUARTER = "quarter", _("per quarter")
    YEAR = "year", _("per year")


class AppliesTo(models.TextChoices):
    ALL = "all", _("All branches")
    COMMUNITY = "community", _("Community branches")
    VILLAGE = "village", _("Village branches")


class MeetingRule(models.Model):
    """At least N meetings of a kind per month, quarter or year. A monthly rule means
    every calendar month; a group rule every party group of a branch that has them."""

    kind = models.ForeignKey(
        MeetingKind,
        on_delete=models.PROTECT,
        related_name="rules",
        verbose_name=_("meeting kind"),
    )
    at_least = models.PositiveSmallIntegerField(_("at least"), default=1)
    per = models.CharField(_("per"), max_length=8, choices=Per.choices)
    applies_to = models.CharField(
        _("applies to"), max_length=10, choices=AppliesTo.choices, default=AppliesTo.ALL
    )
    is_active = models.BooleanField(_("in force"), default=True)
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("Where the rule comes from, e.g. the township's 5+7 scheme."),
    )

    class Meta:
        verbose_name = _("meeting rule")
        verbose_name_plural = _("meeting rules")
        ordering = ["kind__sort_order", "per", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(at_least__gte=1) & Q(at_least__lte=31),
                name="meetingrule_at_least_range",
                violation_error_message=_("At least 1 and at most 31 meetings."),
            ),
            models.UniqueConstraint(
                fields=["kind", "per", "applies_to"],
                name="meetingrule_one_per_kind_and_period",
                violation_error_message=_(
                    "This kind already has a rule for this period and these branches."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind.name} ≥{self.at_least} {self.get_per_display()}"
