"""Supervision patrols (督导巡查, issue 20): a campaign's patrol team walks a route or
visits a spot; a worker logs each patrol on a phone — who went, where, what was
found, photos, to whom it was passed on — and follows a found problem until closed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.models import Campaign
from grids.datebounds import DateBound
from members.models import Cadre

from .visits import StoredImage


class FindingKind(models.TextChoices):
    NONE = "none", _("Nothing found")
    GARBAGE = "garbage", _("Rubbish or debris")
    BUILDING = "building", _("Illegal building")
    WATER = "water", _("Water pollution")
    FACILITY = "facility", _("Damaged facility")
    SAFETY = "safety", _("Safety hazard")
    OTHER = "other", _("Other")


class FindingStatus(models.TextChoices):
    NONE = "none", _("No finding")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Patrol(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="patrols",
        verbose_name=_("campaign"),
    )  # fmt: skip
    patrolled_at = models.DateTimeField(_("patrolled at"))
    place = models.CharField(_("route or spot"), max_length=120)
    members = models.ManyToManyField(
        Cadre, related_name="patrols", verbose_name=_("team members who went")
    )
    finding_kind = models.CharField(
        _("what was found"), max_length=10, choices=FindingKind.choices,
        default=FindingKind.NONE,
    )  # fmt: skip
    notes = models.TextField(_("notes"), blank=True)
    passed_to = models.CharField(_("passed on to"), max_length=100, blank=True)
    status = models.CharField(
        _("finding"), max_length=8, choices=FindingStatus.choices,
        default=FindingStatus.NONE,
    )  # fmt: skip
    closed_on = models.DateField(
        _("closed on"), null=True, blank=True, validators=[DateBound("event")]
    )
    resolution = models.CharField(_("how it was resolved"), max_length=200, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("closed by"),
    )  # fmt: skip
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    # The form's idempotency key: a patrol sent twice (a resend once the network is
    # back) is recorded once.
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-patrolled_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(finding_kind="none", status="none")
                | (~Q(finding_kind="none") & ~Q(status="none")),
                name="patrol_finding_has_a_status",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False)
                | (~Q(status="closed") & Q(closed_on__isnull=True)),
                name="patrol_closed_has_a_date",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "patrolled_at"], name="patrol_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.place} · {self.patrolled_at:%Y-%m-%d}"


class PatrolPhoto(StoredImage):
    """A patrol's photo: checked and stored like a visit photo (services.photos)."""

    patrol = models.ForeignKey(
        Patrol, on_delete=models.CASCADE, related_name="photos", verbose_name=_("patrol")
    )

    class Meta:
        verbose_name = _("patrol photo")
        verbose_name_plural = _("patrol photos")

    def __str__(self) -> str:
        return f"{self.patrol} · {self.stored_file}"
