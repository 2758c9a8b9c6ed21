"""Staff roles and the units they are assigned to (their scopes)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tree import OrgUnit


class StaffRole(models.TextChoices):
    TOWNSHIP_OFFICER = "township_officer", _("Township officer")
    GRID_WORKER = "grid_worker", _("Grid worker")
    COMMUNITY_WORKER = "community_worker", _("Community or village worker")
    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")
    LEADER = "leader", _("Leader (read-only)")
    ADMINISTRATOR = "administrator", _("Administrator")


READ_ONLY_ROLES = (StaffRole.LEADER,)


class StaffAssignment(models.Model):
    """Ties a user to one unit of the tree with a role; a user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("unit"),
    )
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff assignment")
        verbose_name_plural = _("staff assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"], name="staffassignment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


# Which unit kinds each role an officer may grant is held at (administrators grant
# township officers and administrators, in the admin).
GRANTABLE_ROLES: dict[str, tuple[str, ...]] = {
    StaffRole.GRID_WORKER: ("grid",),
    StaffRole.COMMUNITY_WORKER: ("community", "village"),
    StaffRole.BRANCH_SECRETARY: ("branch",),
    StaffRole.LEADER: ("township", "grid"),
}


class StaffProfile(models.Model):
    """What a staff member's account holds beyond Django's user: a phone number."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("user"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return f"{self.user} · {self.phone}"
