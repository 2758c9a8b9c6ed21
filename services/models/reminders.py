"""Reminders: one row per rule, subject, due date and recipient; delivery attempts;
each user's e-mail choices."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    """One due reminder for one recipient: made by the daily scan (unique per rule,
    subject, due date and recipient, so a second scan makes none), claimed with a
    lease by one conditional UPDATE (`claim`, `claimed_at`), marked delivered
    (`sent_at`) in the transaction that records its attempts, read in the inbox. A
    claim whose lease expired without delivery (its worker was killed) is taken
    again."""

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
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
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


class ReminderScan(models.Model):
    """One finished daily scan: the readiness check and the dashboard tell an officer
    when the scan has not run (beat or the worker is down)."""

    finished_at = models.DateTimeField(_("finished at"), auto_now_add=True, db_index=True)
    day = models.DateField(_("day"))
    created = models.JSONField(_("reminders made"), default=dict)

    class Meta:
        verbose_name = _("reminder scan")
        verbose_name_plural = _("reminder scans")
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return f"{self.day}"


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
