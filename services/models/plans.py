"""Visit plans (DOMAIN.md, "Default visit plan"): the policy, tiers and each cadre's plan."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Cadre


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
