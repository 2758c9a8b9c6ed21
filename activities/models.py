"""Organizational life: meetings (三会一课) and other activities, attendance, campaigns
with their roles (作用发挥), and honours (DOMAIN.md)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound, add_years_safe
from grids.models import OrgUnit, PartnerUnit, Stamped
from members.models import Cadre


class ActivityKind(models.TextChoices):
    # 三会一课 and the other forms of party life from the report.
    GENERAL_MEETING = "general_meeting", _("Branch general meeting")
    COMMITTEE_MEETING = "committee_meeting", _("Branch committee meeting")
    GROUP_MEETING = "group_meeting", _("Party group meeting")
    PARTY_LECTURE = "party_lecture", _("Party lecture")
    THEMED_PARTY_DAY = "themed_party_day", _("Themed party day")
    ORG_LIFE_MEETING = "org_life_meeting", _("Organizational-life meeting")
    DEMOCRATIC_REVIEW = "democratic_review", _("Democratic review of members")
    REMOTE_EDUCATION = "remote_education", _("Remote-education live class")
    EDUCATION_FILM = "education_film", _("Party-education film viewing")
    VOLUNTEER_WORK = "volunteer_work", _("Volunteer or campaign work")
    COLLECTIVE_BIRTHDAY = "collective_birthday", _("Collective birthday")
    CEREMONY = "ceremony", _("Ceremony")
    OTHER = "other", _("Other")


# The meeting kinds that make up 三会一课 and the yearly meetings (compliance rules
# reference these; their frequencies are configuration, see DOMAIN.md).
PARTY_LIFE_KINDS = (
    ActivityKind.GENERAL_MEETING,
    ActivityKind.COMMITTEE_MEETING,
    ActivityKind.GROUP_MEETING,
    ActivityKind.PARTY_LECTURE,
    ActivityKind.THEMED_PARTY_DAY,
    ActivityKind.ORG_LIFE_MEETING,
    ActivityKind.DEMOCRATIC_REVIEW,
)


class Activity(Stamped):
    kind = models.CharField(_("kind"), max_length=24, choices=ActivityKind.choices)
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("organizing unit"),
    )
    starts_at = models.DateTimeField(
        _("date and time"), db_index=True, validators=[DateBound("event")]
    )
    ends_at = models.DateTimeField(
        _("ends at"), null=True, blank=True, validators=[DateBound("event")]
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
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="activity_ends_after_start",
                violation_error_message=_("The activity ends before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d} {self.get_kind_display()}：{self.topic}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ON_LEAVE = "on_leave", _("On leave")
    ABSENT = "absent", _("Absent")
    AT_HOME = "at_home", _("Took part at home (study delivered)")
    REMOTE = "remote", _("Took part remotely")


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


class Campaign(models.Model):
    """Township work that cadres join (作用发挥), e.g. 吴淞江北岸生态环境综合治理."""

    name = models.CharField(_("name"), max_length=150)
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("organizing unit"),
    )
    start_on = models.DateField(_("start date"), validators=[DateBound("planned")])
    end_on = models.DateField(
        _("end date"), null=True, blank=True, validators=[DateBound("planned")]
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="campaign_end_not_before_start",
                violation_error_message=_("The end date is before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignRole(models.Model):
    """A role in a campaign: 调查摸底, 宣传发动, 督导巡查 …"""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("campaign"),
    )
    name = models.CharField(_("role"), max_length=50)
    description = models.CharField(_("description"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("campaign role")
        verbose_name_plural = _("campaign roles")
        ordering = ["campaign", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name"], name="campaignrole_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.name}"


class CampaignService(models.Model):
    """A cadre serving in a campaign role, from–to."""

    role = models.ForeignKey(
        CampaignRole,
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("role"),
    )
    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        related_name="campaign_services",
        verbose_name=_("cadre"),
    )
    start_on = models.DateField(_("from"), validators=[DateBound("planned")])
    end_on = models.DateField(
        _("to"), null=True, blank=True, validators=[DateBound("planned")]
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("campaign service")
        verbose_name_plural = _("campaign services")
        ordering = ["role", "start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="campaignservice_end_not_before_start",
                violation_error_message=_("The end date is before the start date."),
            ),
            models.UniqueConstraint(
                fields=["role", "cadre", "start_on"], name="campaignservice_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.role.name}"


class HonourKind(models.TextChoices):
    PARTY_50_YEARS = "party_50_years", _("Medal for 50 years in the party")
    OUTSTANDING_MEMBER = "outstanding_member", _("Outstanding party member")
    OTHER = "other", _("Other honour")


class HonourStatus(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    AWARDED = "awarded", _("Awarded")
    DECLINED = "declined", _("Declined")


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial or municipal")
    DISTRICT = "district", _("District")
    TOWNSHIP = "township", _("Township")
    BRANCH = "branch", _("Branch")


class Honour(models.Model):
    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="honours", verbose_name=_("cadre")
    )
    kind = models.CharField(_("honour"), max_length=20, choices=HonourKind.choices)
    title = models.CharField(
        _("title"), max_length=100, blank=True, help_text=_("For other honours: its name")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    awarding_body = models.CharField(_("awarding body"), max_length=100, blank=True)
    level = models.CharField(
        _("level"), max_length=12, choices=HonourLevel.choices, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=HonourStatus.choices,
        default=HonourStatus.ELIGIBLE,
    )
    awarded_on = models.DateField(
        _("awarded on"), null=True, blank=True, validators=[DateBound("event")]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-year", "cadre"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=HonourStatus.AWARDED) | Q(awarded_on__isnull=False),
                name="honour_awarded_has_date",
                violation_error_message=_("Give the date an awarded honour was awarded."),
            ),
            # The 50-year medal is given once in a lifetime.
            models.UniqueConstraint(
                fields=["cadre"],
                condition=Q(kind=HonourKind.PARTY_50_YEARS),
                name="honour_one_50_year_medal",
                violation_error_message=_(
                    "This cadre already has the medal for 50 years in the party."
                ),
            ),
            models.UniqueConstraint(
                fields=["cadre", "kind", "title", "year"], name="honour_unique_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.year} {self.title or self.get_kind_display()}"


# ---- the branch committee (支部委员会; DOMAIN.md, "Branch administration") --------------


class CommitteePost(models.TextChoices):
    SECRETARY = "secretary", _("Secretary (书记)")
    DEPUTY = "deputy", _("Deputy secretary (副书记)")
    ORGANIZATION = "organization", _("Organization member (组织委员)")
    PUBLICITY = "publicity", _("Publicity member (宣传委员)")
    DISCIPLINE = "discipline", _("Discipline member (纪检委员)")
    MEMBER = "member", _("Committee member (委员)")


# The term of a committee: five years for village and community branches, three for
# other grassroots units (DOMAIN.md).
TERM_YEARS_VILLAGE_COMMUNITY = 5
TERM_YEARS_OTHER = 3


class BranchCommittee(Stamped):
    """A branch's elected committee: when it was elected and for how long (the
    elections of issue 18 are reminded from here)."""

    branch = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="committees",
        verbose_name=_("party branch"),
    )
    elected_on = models.DateField(_("elected on"), validators=[DateBound("event")])
    term_years = models.PositiveSmallIntegerField(_("term (years)"))
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("branch committee")
        verbose_name_plural = _("branch committees")
        ordering = ["branch", "-elected_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "elected_on"], name="branchcommittee_one_per_election"
            ),
            models.CheckConstraint(
                condition=Q(term_years__gte=1) & Q(term_years__lte=10),
                name="branchcommittee_term_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.branch} · {self.elected_on:%Y-%m-%d}"

    @property
    def term_ends_on(self):
        return add_years_safe(self.elected_on, self.term_years)


class CommitteeMember(models.Model):
    committee = models.ForeignKey(
        BranchCommittee,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("branch committee"),
    )
    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        related_name="committee_posts",
        verbose_name=_("cadre"),
    )
    post = models.CharField(_("post"), max_length=16, choices=CommitteePost.choices)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "cadre"], name="committeemember_once_per_committee"
            ),
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(post="secretary"),
                name="committeemember_one_secretary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.get_post_display()}"
