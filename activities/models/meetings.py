"""Meetings and other activities (三会一课 and the rest), and attendance."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound
from grids.models import OrgUnit, PartnerUnit, Stamped, UnitKind
from members.models import Cadre, Interest

from .kinds import MeetingKind
from .suits import Suits


class ActivityKind:
    """The codes of the standard kinds (rows of MeetingKind, created by a data
    migration; their names, who is expected and the rules are data)."""

    GENERAL_MEETING = "general_meeting"  # 支部党员大会
    COMMITTEE_MEETING = "committee_meeting"  # 支委会
    GROUP_MEETING = "group_meeting"  # 党小组会
    PARTY_LECTURE = "party_lecture"  # 党课
    THEMED_PARTY_DAY = "themed_party_day"  # 主题党日
    ORG_LIFE_MEETING = "org_life_meeting"  # 组织生活会
    DEMOCRATIC_REVIEW = "democratic_review"  # 民主评议党员
    REMOTE_EDUCATION = "remote_education"  # 远教直播课堂
    EDUCATION_FILM = "education_film"  # 电教片观摩
    VOLUNTEER_WORK = "volunteer_work"  # 志愿服务
    COLLECTIVE_BIRTHDAY = "collective_birthday"  # 集体生日
    CEREMONY = "ceremony"  # 仪式
    OTHER = "other"  # 其他


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Activity(Stamped):
    kind = models.ForeignKey(
        MeetingKind,
        on_delete=models.PROTECT,
        to_field="code",
        db_column="kind",
        related_name="activities",
        verbose_name=_("kind"),
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("organizing unit"),
    )
    party_group = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_activities",
        limit_choices_to={"kind": UnitKind.PARTY_GROUP},
        verbose_name=_("party group"),
        help_text=_("For a party group meeting: the group that met."),
    )
    planned_on = models.DateField(
        _("planned date"), null=True, blank=True, validators=[DateBound("planned")]
    )
    starts_at = models.DateTimeField(
        _("date and time"), db_index=True, validators=[DateBound("event")]
    )
    ends_at = models.DateTimeField(
        _("ends at"), null=True, blank=True, validators=[DateBound("event")]
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True
    )
    place = models.CharField(_("place"), max_length=150, blank=True)
    host = models.CharField(_("host"), max_length=50, blank=True)
    recorder = models.CharField(_("recorder"), max_length=50, blank=True)
    topic = models.CharField(_("topic"), max_length=200)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    partners = models.ManyToManyField(
        PartnerUnit,
        blank=True,
        related_name="activities",
        verbose_name=_("partner units taking part"),
    )
    status = models.CharField(
        _("record status"),
        max_length=10,
        choices=RecordStatus.choices,
        default=RecordStatus.SUBMITTED,
    )
    # On the activity menu (活动菜单, issue 20): for whom an open activity suits
    # (the three mobility levels), how many it takes, its theme, and the partner
    # unit that offers it.
    suits = models.CharField(
        _("suits"), max_length=8, choices=Suits.choices, blank=True, default="",
        db_default="",
        help_text=_("Set for an activity on the branch's menu."),
    )  # fmt: skip
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Blank: no limit.")
    )
    theme = models.CharField(
        _("theme"),
        max_length=12,
        choices=Interest.choices,
        blank=True,
        default="",
        db_default="",
    )
    offered_by = models.ForeignKey(
        PartnerUnit, on_delete=models.PROTECT, null=True, blank=True,
        related_name="offered_activities", verbose_name=_("offered by partner unit"),
    )  # fmt: skip
    # Fixed with the record (the attendance rows): later changes to a dossier do
    # not rewrite last year's figures.
    expected_count = models.PositiveIntegerField(_("expected (应到)"), default=0)
    took_part_count = models.PositiveIntegerField(_("took part"), default=0)
    # A form sent twice (double tap, reconnect) is recorded once.
    client_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(
                fields=["unit", "kind", "starts_at"], name="activity_unit_kind_time"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True)
                | Q(duration_minutes__gte=1) & Q(duration_minutes__lte=1440),
                name="activity_duration_range",
                violation_error_message=_("A duration is 1 to 1,440 minutes."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="activity_ends_after_start",
                violation_error_message=_("The activity ends before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d} {self.kind.name}：{self.topic}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ON_LEAVE = "on_leave", _("On leave")
    ABSENT = "absent", _("Absent")
    AT_HOME = "at_home", _("Took part at home (study delivered)")
    REMOTE = "remote", _("Took part remotely")
    UNABLE = "unable", _("Unable (ill or in hospital; not expected)")


# Home delivery counts as taking part (DOMAIN.md, "Participation rate").
TAKING_PART = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.AT_HOME,
    AttendanceStatus.REMOTE,
)


class Attendance(models.Model):
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("activity"),
    )
    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("cadre"),
    )
    status = models.CharField(
        _("attendance"), max_length=10, choices=AttendanceStatus.choices
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "cadre"],
                name="attendance_one_per_cadre",
                violation_error_message=_("This cadre's attendance is already recorded."),
            ),
        ]
        indexes = [models.Index(fields=["cadre", "activity"], name="attendance_cadre")]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.get_status_display()}"

    @property
    def took_part(self) -> bool:
        return self.status in TAKING_PART


class MeetingAttachment(models.Model):
    """A photo or a PDF of a meeting (sign-in sheet, minutes): checked by content,
    stored outside the web root (MEETING_FILE_DIR), served only within scope."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("activity"),
    )
    stored_file = models.CharField(max_length=100, unique=True)
    content_type = models.CharField(max_length=30)
    original_name = models.CharField(_("file name"), max_length=150, blank=True)
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting attachment")
        verbose_name_plural = _("meeting attachments")
        ordering = ["activity", "pk"]

    def __str__(self) -> str:
        return self.original_name or self.stored_file

    @property
    def is_photo(self) -> bool:
        return self.content_type.startswith("image/")
