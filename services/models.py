"""Care: visits and services delivered, hospitalizations, health check-ups (DOMAIN.md,
"Care and services")."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound
from grids.models import PartnerUnit
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


class CareVisit(models.Model):
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
    follow_up = models.CharField(_("follow-up"), max_length=200, blank=True)
    follow_up_due = models.DateField(
        _("follow-up due"), null=True, blank=True, validators=[DateBound("planned")]
    )
    follow_up_done_on = models.DateField(
        _("follow-up done on"), null=True, blank=True, validators=[DateBound("event")]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # The form's idempotency key: the same form sent twice (a double tap, a resend
    # after the network came back) records one visit.
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

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


class Hospitalization(models.Model):
    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        related_name="hospitalizations",
        verbose_name=_("cadre"),
    )
    admitted_on = models.DateField(_("admitted on"), validators=[DateBound("event")])
    discharged_on = models.DateField(
        _("discharged on"), null=True, blank=True, validators=[DateBound("event")]
    )
    hospital = models.CharField(_("hospital"), max_length=100)
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hospitalization")
        verbose_name_plural = _("hospitalizations")
        ordering = ["-admitted_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True)
                | Q(discharged_on__gte=F("admitted_on")),
                name="hospitalization_discharge_not_before_admission",
                violation_error_message=_(
                    "The discharge date is before the admission date."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["cadre", "admitted_on"], name="hosp_cadre_admitted")
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.hospital} · {self.admitted_on}"


class HealthCheck(models.Model):
    """One check-up; the series of them with the profile is the 健康档案."""

    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        related_name="health_checks",
        verbose_name=_("cadre"),
    )
    checked_on = models.DateField(_("date"), validators=[DateBound("event")])
    provider = models.CharField(_("provider"), max_length=100, blank=True)
    partner = models.ForeignKey(
        PartnerUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="health_checks",
        verbose_name=_("partner unit"),
    )
    systolic = models.PositiveSmallIntegerField(
        _("systolic pressure (mmHg)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(300)],
    )
    diastolic = models.PositiveSmallIntegerField(
        _("diastolic pressure (mmHg)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(200)],
    )
    fasting_glucose = models.DecimalField(
        _("fasting glucose (mmol/L)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
    )
    height_cm = models.DecimalField(
        _("height (cm)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(100), MaxValueValidator(230)],
    )
    weight_kg = models.DecimalField(
        _("weight (kg)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(250)],
    )
    findings = models.TextField(_("findings"), blank=True)
    advice = models.TextField(_("advice"), blank=True)
    follow_up = models.CharField(_("follow-up"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("health check-up")
        verbose_name_plural = _("health check-ups")
        ordering = ["-checked_on"]
        indexes = [
            models.Index(fields=["cadre", "checked_on"], name="healthcheck_cadre_date")
        ]
        constraints = [
            # Plausible ranges: a typing error (1300 for 130) is refused, not stored.
            models.CheckConstraint(
                condition=Q(systolic__isnull=True) | Q(systolic__range=(50, 300)),
                name="healthcheck_systolic_range",
            ),
            models.CheckConstraint(
                condition=Q(diastolic__isnull=True) | Q(diastolic__range=(30, 200)),
                name="healthcheck_diastolic_range",
            ),
            models.CheckConstraint(
                condition=Q(systolic__isnull=True)
                | Q(diastolic__isnull=True)
                | Q(systolic__gt=F("diastolic")),
                name="healthcheck_systolic_above_diastolic",
                violation_error_message=_(
                    "The systolic pressure must be higher than the diastolic pressure."
                ),
            ),
            models.CheckConstraint(
                condition=Q(fasting_glucose__isnull=True)
                | Q(fasting_glucose__range=(1, 40)),
                name="healthcheck_glucose_range",
            ),
            models.CheckConstraint(
                condition=Q(height_cm__isnull=True) | Q(height_cm__range=(100, 230)),
                name="healthcheck_height_range",
            ),
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=True) | Q(weight_kg__range=(20, 250)),
                name="healthcheck_weight_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.checked_on}"

    @property
    def blood_pressure(self) -> str:
        if self.systolic and self.diastolic:
            return f"{self.systolic}/{self.diastolic}"
        return ""


# ---- visit plans (DOMAIN.md, "Default visit plan") -----------------------------------


class VisitTier(models.TextChoices):
    HIGH = "high", _("High (weekly)")
    PRIORITY = "priority", _("Priority (monthly)")
    GENERAL = "general", _("General (quarterly)")


class VisitPolicy(models.Model):
    """The visit plan's rules, one row an administrator edits in the admin."""

    high_age = models.PositiveSmallIntegerField(
        _("age from which living alone or empty-nest means high"), default=80
    )
    high_days = models.PositiveSmallIntegerField(_("high: visit every (days)"), default=7)
    priority_days = models.PositiveSmallIntegerField(
        _("priority: visit every (days)"), default=30
    )
    general_days = models.PositiveSmallIntegerField(
        _("general: visit every (days)"), default=91
    )
    after_admission_days = models.PositiveSmallIntegerField(
        _("visit within (days) of a hospital admission"), default=1
    )
    after_discharge_days = models.PositiveSmallIntegerField(
        _("visit within (days) of a discharge"), default=7
    )
    queue_days = models.PositiveSmallIntegerField(
        _("“my visits” shows what is due within (days)"), default=7
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("visit plan rules")
        verbose_name_plural = _("visit plan rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(high_days__gte=1, priority_days__gte=1, general_days__gte=1),
                name="visitpolicy_intervals_positive",
            )
        ]

    def __str__(self) -> str:
        return str(_("visit plan rules"))

    @classmethod
    def current(cls) -> "VisitPolicy":
        policy = cls.objects.order_by("pk").first()
        return policy or cls.objects.create()

    def interval(self, tier: str) -> int:
        return {
            VisitTier.HIGH: self.high_days,
            VisitTier.PRIORITY: self.priority_days,
        }.get(tier, self.general_days)


class VisitPlan(models.Model):
    """Each active cadre's tier and next due visit, stored so that queues and
    reminders read one indexed column (kept current by services.visit_plans_refresh)."""

    cadre = models.OneToOneField(
        Cadre,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="visit_plan",
        verbose_name=_("cadre"),
    )
    tier = models.CharField(_("tier"), max_length=10, choices=VisitTier.choices)
    # An officer's decision beats the rules; the reason is kept with the history.
    override_tier = models.CharField(
        _("tier set by an officer"), max_length=10, choices=VisitTier.choices, blank=True
    )
    override_reason = models.CharField(_("reason"), max_length=200, blank=True)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    next_due_on = models.DateField(_("next visit due"))
    # Since when the cadre has been on a plan: a cadre never visited is due from then.
    since = models.DateField(_("on the plan since"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        indexes = [models.Index(fields=["next_due_on"], name="visitplan_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(override_tier="") | ~Q(override_reason=""),
                name="visitplan_override_has_reason",
                violation_error_message=_("Give the reason for setting the tier."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.get_tier_display()} · {self.next_due_on}"


class VisitPhoto(models.Model):
    """A photo taken on a visit: stored outside the web root (VISIT_PHOTO_DIR) and
    served only through a view that checks the viewer's scope."""

    visit = models.ForeignKey(
        CareVisit,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("visit"),
    )
    stored_file = models.CharField(max_length=100, unique=True)
    content_type = models.CharField(max_length=30)
    size = models.PositiveIntegerField(_("size"))
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self) -> str:
        return f"{self.visit} · {self.stored_file}"


# ---- reminders (issue 10) -------------------------------------------------------------


class Reminder(models.Model):
    """One due reminder for one recipient: made by the daily scan (unique per rule,
    subject, due date and recipient, so a second scan makes none), claimed once when
    delivered (`sent_at` set by one conditional UPDATE), read in the inbox."""

    rule = models.CharField(_("rule"), max_length=30)
    subject_type = models.CharField(max_length=12)  # cadre, unit, visit
    subject_id = models.BigIntegerField()
    due_on = models.DateField(_("due on"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    text = models.CharField(_("text"), max_length=300)
    link = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-due_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_type", "subject_id", "due_on", "recipient"],
                name="reminder_once",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="reminder_inbox"),
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True),
                name="reminder_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class DeliveryAttempt(models.Model):
    """Every attempt of every channel, for the record (and for retries)."""

    channel = models.CharField(_("channel"), max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reminder = models.ForeignKey(
        Reminder, on_delete=models.CASCADE, null=True, blank=True, related_name="attempts"
    )
    digest_day = models.DateField(null=True, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    ok = models.BooleanField(_("succeeded"))
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        constraints = [
            # One successful digest per user and day, whatever runs twice.
            models.UniqueConstraint(
                fields=["channel", "user", "digest_day"],
                condition=Q(ok=True, digest_day__isnull=False),
                name="digest_once_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.user_id} {'ok' if self.ok else self.error}"


class ReminderChoice(models.Model):
    """A user's choice per rule: the daily e-mail digest or not (the inbox always)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_choices",
    )
    rule = models.CharField(_("rule"), max_length=30)
    email = models.BooleanField(_("in the daily e-mail"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "rule"], name="reminderchoice_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.rule} {'e-mail' if self.email else 'inbox'}"
