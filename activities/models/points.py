"""Points (党员积分, issue 17): a scheme per township or branch and year — its base
score, its items (automatic from the records, or manual with approval), caps and
exemptions — and each member's ledger, recomputed from its sources. The branch's
yearly review locks the year (BranchReview)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grids.models import OrgUnit, Stamped
from members.models import Cadre


class PointsSource(models.TextChoices):
    TOOK_PART = "took_part", _("Taking part in a meeting (at home or remotely too)")
    STUDY_CLASS = (
        "study_class",
        _("Taking part in a study meeting (remote class, film, lecture)"),
    )
    ABSENT = "absent", _("Absence without leave")
    STUDY_HOUR = "study_hour", _("Per study hour")
    CAMPAIGN = "campaign", _("Service in a campaign")
    VOLUNTEER = "volunteer", _("Volunteering: a matched request the cadre did (点单)")
    MANUAL = "manual", _("Manual (proposed and approved)")


AUTOMATIC_SOURCES = [s for s in PointsSource.values if s != PointsSource.MANUAL]


class ExemptMobility(models.TextChoices):
    NONE = "", _("Nobody by mobility")
    HOME = "home", _("Members at home only")
    NEARBY = "nearby", _("Members nearby only or at home only")


class PointsScheme(Stamped):
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="points_schemes",
        verbose_name=_("township or branch"),
        help_text=_("A branch's scheme overrides its township's for that year."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    base_score = models.SmallIntegerField(_("base score"), default=60)
    exempt_age = models.PositiveSmallIntegerField(
        _("exempt from age"), null=True, blank=True,
        help_text=_("Members of this age or older on 1 January are not scored."),
    )  # fmt: skip
    exempt_mobility = models.CharField(
        _("exempt by mobility"), max_length=8, choices=ExemptMobility.choices,
        blank=True, default="",
    )  # fmt: skip
    exempt_cadres = models.ManyToManyField(
        Cadre, blank=True, related_name="points_exemptions",
        verbose_name=_("exempt by name"),
    )  # fmt: skip
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("points scheme")
        verbose_name_plural = _("points schemes")
        ordering = ["-year", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="pointsscheme_one_per_unit_year",
                violation_error_message=_(
                    "This unit already has a scheme for that year."
                ),
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.year}"


class PointsItem(models.Model):
    scheme = models.ForeignKey(
        PointsScheme, on_delete=models.CASCADE, related_name="items",
        verbose_name=_("points scheme"),
    )  # fmt: skip
    name = models.CharField(_("item"), max_length=60)
    source = models.CharField(
        _("counted from"), max_length=12, choices=PointsSource.choices
    )
    points = models.SmallIntegerField(
        _("points"), help_text=_("Per meeting, hour, service or award; negative deducts.")
    )
    cap_per_year = models.PositiveSmallIntegerField(
        _("cap per year"), null=True, blank=True,
        help_text=_("At most this many points (added or deducted) a year from this item."),
    )  # fmt: skip
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("points item")
        verbose_name_plural = _("points items")
        ordering = ["scheme", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "source"],
                condition=~Q(source="manual"),
                name="pointsitem_one_automatic_per_source",
                violation_error_message=_("This scheme already counts that source."),
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.points:+d})"


class AwardStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class PointsAward(Stamped):
    """A manual item for a member: proposed with a reason, decided by someone else."""

    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="points_awards",
        verbose_name=_("cadre"),
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    item = models.ForeignKey(
        PointsItem, on_delete=models.PROTECT, related_name="awards",
        limit_choices_to={"source": PointsSource.MANUAL}, verbose_name=_("item"),
    )  # fmt: skip
    points = models.SmallIntegerField(_("points"))
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=AwardStatus.choices,
        default=AwardStatus.PROPOSED,
    )  # fmt: skip
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("proposed by"),
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        null=True, blank=True, verbose_name=_("decided by"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("points award")
        verbose_name_plural = _("points awards")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | ~Q(decided_by=models.F("proposed_by")),
                name="pointsaward_not_decided_by_proposer",
                violation_error_message=_(
                    "The proposer cannot decide their own proposal."
                ),
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.year} · {self.points:+d}"


class PointsEntry(models.Model):
    """One line of a member's ledger, recomputed from its source (an attendance row,
    a campaign service, an approved award): `source_key` names it."""

    cadre = models.ForeignKey(
        Cadre, on_delete=models.CASCADE, related_name="points_entries",
        verbose_name=_("cadre"),
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    item = models.ForeignKey(
        PointsItem,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("item"),
    )
    source_key = models.CharField(max_length=40)
    on = models.DateField(_("date"))
    points = models.SmallIntegerField(_("points"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["cadre", "year", "on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "item", "source_key"], name="pointsentry_once_per_source"
            ),
        ]
        indexes = [models.Index(fields=["year", "cadre"], name="pointsentry_year_cadre")]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.on} · {self.points:+d}"


class ReviewStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class BranchReview(Stamped):
    """A branch's yearly review (民主评议党员 / 年检评议). Submitted, it locks the
    year's points; an officer may unlock it with a reason (kept in the history)."""

    branch = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="reviews",
        verbose_name=_("party branch"),
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=12, choices=ReviewStatus.choices,
        default=ReviewStatus.IN_PROGRESS,
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    unlock_reason = models.CharField(
        _("reason for unlocking"), max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("yearly review")
        verbose_name_plural = _("yearly reviews")
        ordering = ["-year", "branch"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "year"], name="branchreview_one_per_branch_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.branch} · {self.year}"

    @property
    def locked(self) -> bool:
        return self.status == ReviewStatus.SUBMITTED


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent (优秀)")
    PASS = "pass", _("Pass (合格)")
    BASIC = "basic", _("Basic pass (基本合格)")
    FAIL = "fail", _("Fail (不合格)")


class MemberReview(models.Model):
    """One member's sheet in the branch's review: the steps 个人自评 → 党员互评 →
    民主测评 as marks and tallies entered by the secretary, and the branch's grade."""

    review = models.ForeignKey(
        BranchReview, on_delete=models.CASCADE, related_name="members",
        verbose_name=_("yearly review"),
    )  # fmt: skip
    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("cadre")
    )
    self_mark = models.CharField(
        _("self-assessment"), max_length=10, choices=Grade.choices, blank=True
    )
    peer_excellent = models.PositiveSmallIntegerField(_("peers: excellent"), default=0)
    peer_pass = models.PositiveSmallIntegerField(_("peers: pass"), default=0)
    peer_basic = models.PositiveSmallIntegerField(_("peers: basic pass"), default=0)
    peer_fail = models.PositiveSmallIntegerField(_("peers: fail"), default=0)
    vote_excellent = models.PositiveSmallIntegerField(_("vote: excellent"), default=0)
    vote_pass = models.PositiveSmallIntegerField(_("vote: pass"), default=0)
    vote_basic = models.PositiveSmallIntegerField(_("vote: basic pass"), default=0)
    vote_fail = models.PositiveSmallIntegerField(_("vote: fail"), default=0)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    follow_up = models.CharField(
        _("follow-up"), max_length=300, blank=True,
        help_text=_("For a fail: education first, then organizational handling."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("member review")
        verbose_name_plural = _("member reviews")
        ordering = ["review", "cadre__name_initials", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "cadre"], name="memberreview_once_per_review"
            ),
            models.CheckConstraint(
                condition=~Q(grade="fail") | ~Q(follow_up=""),
                name="memberreview_fail_has_follow_up",
                violation_error_message=_(
                    "A fail needs the follow-up: education first, then organizational handling."
                ),
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.cadre}"
