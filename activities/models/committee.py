"""The branch committee (支部委员会; DOMAIN.md, "Branch administration")."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grids.datebounds import DateBound, add_years_safe
from grids.models import OrgUnit, Stamped
from members.models import Cadre


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
