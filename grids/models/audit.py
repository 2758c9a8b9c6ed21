"""The access log, password records and the bulk-change history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    REVEAL = "reveal", _("Revealed a full value")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")
    PRINT = "print", _("Printed")
    REFUSED = "refused", pgettext_lazy("access", "Refused")


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("Access log entries cannot be changed."))

    def delete(self):
        raise ValidationError(_("Access log entries cannot be deleted."))


class AccessLog(models.Model):
    """Who looked at or exported which sensitive data, when, from where.

    Append-only: rows are never changed or deleted through the application.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.CharField(_("object id"), max_length=50, blank=True)
    fields = models.CharField(_("fields"), max_length=200, blank=True)
    detail = models.TextField(_("detail"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="accesslog_object")
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError(_("Access log entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Access log entries cannot be deleted."))


class PasswordRecord(models.Model):
    """When a user's password was last set (for the optional maximum age)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="password_record",
        verbose_name=_("user"),
    )
    changed_at = models.DateTimeField(_("password changed at"))
    # Set when an officer resets the password: the user must choose a new one at the
    # next login (PasswordAgeMiddleware sends them to the form).
    must_change = models.BooleanField(_("must change at next login"), default=False)

    class Meta:
        verbose_name = _("password record")
        verbose_name_plural = _("password records")

    def __str__(self) -> str:
        return f"{self.user} · {self.changed_at:%Y-%m-%d}"


class BulkChange(models.Model):
    """One event for a bulk operation (an import): its rows' changes are stored
    set-based in BulkChangeRow instead of one history entry per object."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=50)
    description = models.CharField(_("description"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)

    class Meta:
        verbose_name = _("bulk change")
        verbose_name_plural = _("bulk changes")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} ({self.rows})"


class BulkChangeRow(models.Model):
    bulk = models.ForeignKey(
        BulkChange,
        on_delete=models.CASCADE,
        related_name="row_changes",
        verbose_name=_("bulk change"),
    )
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.CharField(_("object id"), max_length=50)
    action = models.CharField(_("action"), max_length=10)
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        verbose_name = _("bulk change row")
        verbose_name_plural = _("bulk change rows")
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="bulkrow_object")
        ]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id} {self.action}"
