"""Meetings announced ahead (会议预告) and the leave requested for them (请假):
recorded meetings lie in the past (their date is an event), so a coming meeting is
announced on its own; a leave request for it becomes the member's "on leave" in the
attendance proposed when the meeting is recorded (issue 23)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound
from grids.models import OrgUnit
from members.models import Cadre

from .kinds import MeetingKind


class MeetingNotice(models.Model):
    branch = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("party branch"))  # fmt: skip
    kind = models.ForeignKey(MeetingKind, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("kind"))  # fmt: skip
    starts_at = models.DateTimeField(
        _("date and time"), validators=[DateBound("planned")]
    )
    topic = models.CharField(_("topic"), max_length=200)
    place = models.CharField(_("place"), max_length=150, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting announced")
        verbose_name_plural = _("meetings announced")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["branch", "starts_at"], name="meetingnotice_branch")
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d} {self.topic}"


class LeaveRequest(models.Model):
    notice = models.ForeignKey(MeetingNotice, on_delete=models.CASCADE, related_name="leaves",
                               verbose_name=_("meeting"))  # fmt: skip
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("cadre"))  # fmt: skip
    reason = models.CharField(_("reason"), max_length=200)
    # Who asked: the cadre on their own pages, a family contact for them, or staff.
    asked_by = models.CharField(_("asked by"), max_length=60, blank=True)
    requested_at = models.DateTimeField(_("requested at"))

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "cadre"], name="leave_once_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.notice}"
