"""Visits and services delivered: kinds, the cadres visited, photos."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound
from grids.models import PartnerUnit, RecordedBy, Stamped
from members.models import Cadre


class VisitKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    MEDICAL = "medical", _("Medical visit")
    MEDICINE = "medicine", _("Medicine delivery")
    GREETINGS = "greetings", _("Greetings")
    SERVICE = "service", _("Service")
    STUDY = "study", _("Study delivered at home")
    HOME_ROUNDS = "home_rounds", _("Family doctor's rounds")
    HOME_SAFETY = "home_safety", _("Home safety service")
    HOSPITAL_VISIT = "hospital_visit", _("Hospital visit")
    HOLIDAY_VISIT = "holiday_visit", _("Holiday visit")
    PHONE_CALL = "phone_call", _("Phone contact")


class VisitOutcome(models.TextChoices):
    MET = "met", _("Met")
    NOT_AT_HOME = "not_at_home", _("Not at home")


class CareVisit(Stamped, RecordedBy):
    """One visit or service: one or more kinds, one or more cadres (a household)."""

    visited_on = models.DateField(
        _("date"), db_index=True, validators=[DateBound("event")]
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=12,
        choices=VisitOutcome.choices,
        default=VisitOutcome.MET,
    )
    visitors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="care_visits",
        verbose_name=_("visitors"),
    )
    partner_staff = models.CharField(
        _("partner staff"),
        max_length=200,
        blank=True,
        help_text=_("Names of visitors from partner units, separated by commas"),
    )
    partner = models.ForeignKey(
        PartnerUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_visits",
        verbose_name=_("partner unit"),
    )
    notes = models.TextField(_("notes"), blank=True)
    meeting = models.ForeignKey(
        "activities.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="study_visits",
        verbose_name=_("meeting studied"),
        help_text=_("送学上门: the meeting whose study was delivered."),
    )
    follow_up = models.CharField(_("follow-up"), max_length=200, blank=True)
    follow_up_due = models.DateField(
        _("follow-up due"), null=True, blank=True, validators=[DateBound("planned")]
    )
    follow_up_done_on = models.DateField(
        _("follow-up done on"), null=True, blank=True, validators=[DateBound("event")]
    )
    # The form's idempotency key: the same form sent twice (a double tap, a resend
    # after the network came back) records one visit.
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_due__isnull=True) | ~Q(follow_up=""),
                name="carevisit_follow_up_due_needs_text",
                violation_error_message=_(
                    "Say what the follow-up is when giving its due date."
                ),
            ),
        ]
        indexes = [
            models.Index(
                fields=["follow_up_due"],
                condition=Q(follow_up_due__isnull=False, follow_up_done_on__isnull=True),
                name="carevisit_open_follow_ups",
            )
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.get_outcome_display()}"


class CareVisitKind(models.Model):
    """The kinds of one visit (a through table, so the suite also runs on SQLite)."""

    visit = models.ForeignKey(
        CareVisit, on_delete=models.CASCADE, related_name="kinds", verbose_name=_("visit")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=VisitKind.choices)

    class Meta:
        verbose_name = _("visit kind")
        verbose_name_plural = _("visit kinds")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "kind"], name="carevisitkind_unique"
            ),
        ]
        indexes = [models.Index(fields=["kind", "visit"], name="carevisitkind_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()


class VisitedCadre(models.Model):
    """A cadre on a visit. The visit's date and whether it counts (outcome met) are
    copied here, so "last contact per cadre" and coverage read one indexed table."""

    visit = models.ForeignKey(
        CareVisit,
        on_delete=models.CASCADE,
        related_name="visited",
        verbose_name=_("visit"),
    )
    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        related_name="visits_received",
        verbose_name=_("cadre"),
    )
    visited_on = models.DateField(_("date"), validators=[DateBound("event")])
    met = models.BooleanField(_("met"))

    class Meta:
        verbose_name = _("visited cadre")
        verbose_name_plural = _("visited cadres")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "cadre"], name="visitedcadre_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["cadre", "visited_on"], name="visitedcadre_cadre_date"),
            # The contacts that count, per cadre and date: coverage counts them per
            # cadre from this index alone (an index-only scan).
            models.Index(
                fields=["cadre", "visited_on"],
                condition=Q(met=True),
                name="visitedcadre_met",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.visited_on}"


class StoredImage(models.Model):
    """A photo stored outside the web root (VISIT_PHOTO_DIR, grids.uploads) and served
    only through a view that checks the viewer's scope."""

    stored_file = models.CharField(max_length=100, unique=True)
    content_type = models.CharField(max_length=30)
    size = models.PositiveIntegerField(_("size"))
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True


class VisitPhoto(StoredImage):
    """A photo taken on a visit."""

    visit = models.ForeignKey(
        CareVisit,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("visit"),
    )

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self) -> str:
        return f"{self.visit} · {self.stored_file}"
