"""Requests matched (点单 → 派单 → 接单, issue 20): a need recorded by a community
worker — a cadre's own or a community's —, assigned by the township or the grid to a
staff member, a cadre of the talent pool or a partner unit, accepted and done; every
step kept."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound
from grids.models import OrgUnit, PartnerUnit
from members.models import Cadre


class RequestKind(models.TextChoices):
    RIDE = "ride", _("A ride to hospital")
    HOME_HELP = "home_help", _("Help at home")
    LECTURE = "lecture", _("A lecture or talk")
    MEDIATION = "mediation", _("Mediation")
    OTHER = "other", _("Other")


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested (点单)")
    ASSIGNED = "assigned", _("Assigned (派单)")
    ACCEPTED = "accepted", _("Accepted (接单)")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class CareRequest(models.Model):
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="care_requests",
        verbose_name=_("community or village"),
    )  # fmt: skip
    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, null=True, blank=True, related_name="care_requests",
        verbose_name=_("cadre"), help_text=_("Empty for a community's own need"),
    )  # fmt: skip
    kind = models.CharField(_("kind of need"), max_length=10, choices=RequestKind.choices)
    need = models.CharField(_("what is needed"), max_length=200)
    due_on = models.DateField(
        _("needed by"), null=True, blank=True, validators=[DateBound("planned")]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices,
        default=RequestStatus.REQUESTED,
    )  # fmt: skip
    # Who does it: a staff member, a cadre of the talent pool, or a partner unit.
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="assigned_requests", verbose_name=_("staff member"),
    )  # fmt: skip
    assigned_cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, null=True, blank=True, related_name="requests_done",
        verbose_name=_("cadre volunteer"),
    )  # fmt: skip
    assigned_partner = models.ForeignKey(
        PartnerUnit, on_delete=models.PROTECT, null=True, blank=True,
        related_name="care_requests", verbose_name=_("partner unit"),
    )  # fmt: skip
    partner_person = models.CharField(_("who at the partner"), max_length=50, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # None when the cadre asked on their own pages (issue 23).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        null=True, blank=True, verbose_name=_("requested by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(assigned_user__isnull=False, assigned_cadre__isnull=True,
                      assigned_partner__isnull=True)
                    | Q(assigned_user__isnull=True, assigned_cadre__isnull=False,
                        assigned_partner__isnull=True)
                    | Q(assigned_user__isnull=True, assigned_cadre__isnull=True,
                        assigned_partner__isnull=False)
                    | Q(assigned_user__isnull=True, assigned_cadre__isnull=True,
                        assigned_partner__isnull=True, status__in=["requested", "cancelled"])
                ),
                name="carerequest_one_doer",
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["unit", "status"], name="carerequest_unit")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.need}"

    @property
    def doer(self) -> str:
        if self.assigned_user_id:
            return self.assigned_user.first_name or self.assigned_user.username
        if self.assigned_cadre_id:
            return self.assigned_cadre.name
        if self.assigned_partner_id:
            person = f"（{self.partner_person}）" if self.partner_person else ""
            return f"{self.assigned_partner.name}{person}"
        return ""


class RequestStep(models.Model):
    """One step of a request, kept: who moved it to which status, when, with a note."""

    request = models.ForeignKey(
        CareRequest,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("request"),
    )
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices)
    # None for the step a cadre took on their own pages (the note says who).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        null=True, blank=True, verbose_name=_("by"),
    )  # fmt: skip
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("request step")
        verbose_name_plural = _("request steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.status}"
