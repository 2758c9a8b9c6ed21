"""The organization tree, co-building partners, staff scopes and the access log."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey

from .datebounds import DateBound

# ---- what many models share ---------------------------------------------------------


class Created(models.Model):
    """When the row was made."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True


class Stamped(Created):
    """When the row was made and last changed."""

    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class RecordedBy(models.Model):
    """Who recorded it (kept if the account goes: PROTECT; the admin stamps it with
    `grids.admin_scope.RecordedByAdmin`, the services take `by=`)."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        abstract = True


class UnitKind(models.TextChoices):
    DISTRICT = "district", _("District")
    TOWNSHIP = "township", _("Township")
    GRID = "grid", _("Grid")
    COMMUNITY = "community", _("Community")
    VILLAGE = "village", _("Village")
    BRANCH = "branch", _("Party branch")
    PARTY_GROUP = "party_group", _("Party group")


# Which kind may sit directly under which (see DOMAIN.md, "The organization tree").
# `None` in a set means the kind may be a root of its own tree.
ALLOWED_PARENT_KINDS: dict[str, tuple[str | None, ...]] = {
    UnitKind.DISTRICT: (None,),
    UnitKind.TOWNSHIP: (None, UnitKind.DISTRICT),
    UnitKind.GRID: (UnitKind.TOWNSHIP,),
    UnitKind.COMMUNITY: (UnitKind.GRID, UnitKind.TOWNSHIP),
    UnitKind.VILLAGE: (UnitKind.GRID, UnitKind.TOWNSHIP),
    UnitKind.BRANCH: (UnitKind.COMMUNITY, UnitKind.VILLAGE),
    UnitKind.PARTY_GROUP: (UnitKind.BRANCH,),
}

RESIDENCE_KINDS = (UnitKind.COMMUNITY, UnitKind.VILLAGE)


def kind_label(kind: str | None) -> str:
    return str(UnitKind(kind).label) if kind else str(_("the top of the tree"))


def allowed_parent_labels(kind: str) -> str:
    labels = [kind_label(k) for k in ALLOWED_PARENT_KINDS[kind] if k is not None]
    if None in ALLOWED_PARENT_KINDS[kind]:
        labels.insert(0, kind_label(None))
    return "、".join(labels)


class OrgUnit(Stamped, MPTTModel):
    """A unit of the township tree. Written only through grids.services (tree lock)."""

    parent = TreeForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=100)
    # Statistical division code (GB/T 2260 + township + village). Codes change over
    # the years: they are data, never logic (DOMAIN.md).
    code = models.CharField(
        _("official code"),
        max_length=20,
        null=True,
        blank=True,
        unique=True,
        help_text=_("e.g. the 12-digit statistical division code; optional"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organization unit")
        verbose_name_plural = _("organization units")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__isnull=True) | ~Q(code=""),
                name="orgunit_code_null_not_blank",
            ),
            models.UniqueConstraint(
                fields=["parent", "name"], name="orgunit_unique_name_per_parent"
            ),
        ]
        indexes = [models.Index(fields=["tree_id", "lft", "rght"], name="orgunit_range")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.code is not None:
            self.code = self.code.strip() or None
        parent_kind = self.parent.kind if self.parent_id else None
        if self.kind and parent_kind not in ALLOWED_PARENT_KINDS[self.kind]:
            raise ValidationError(
                {
                    "parent": _(
                        "A %(kind)s cannot sit under %(parent)s: a %(kind)s belongs "
                        "under %(allowed)s."
                    )
                    % {
                        "kind": kind_label(self.kind),
                        "parent": (
                            f"{kind_label(parent_kind)}「{self.parent.name}」"
                            if self.parent_id
                            else kind_label(None)
                        ),
                        "allowed": allowed_parent_labels(self.kind),
                    }
                }
            )
        # A unit cannot be moved under itself or one of its descendants.
        if (
            self.parent_id
            and self.pk
            and (
                self.parent.pk == self.pk
                or (
                    self.parent.tree_id == self.tree_id
                    and self.lft < self.parent.lft < self.rght
                )
            )
        ):
            raise ValidationError(
                {"parent": _("A unit cannot be moved under itself or its own subunit.")}
            )

    @property
    def path_names(self) -> str:
        return " / ".join(a.name for a in self.get_ancestors(include_self=True))


class PartnerKind(models.TextChoices):
    # The four kinds of co-building partner from the township report.
    INSTITUTIONAL = "institutional", _("Nearby institutional unit")
    REGIONAL = "regional", _("Regional unit")
    VILLAGE_COMMUNITY = "village_community", _("Village–community pairing")
    NEW_ORGANIZATION = "new_organization", _("New economic or social organization")


class PartnerUnit(models.Model):
    """A co-building unit (共建单位)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=PartnerKind.choices)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("what they offer"), blank=True)
    # For a village–community pairing the partner may itself be a unit of our tree.
    linked_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked unit of the tree"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("co-building partner")
        verbose_name_plural = _("co-building partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


PAIRING_UNIT_KINDS = (UnitKind.GRID, UnitKind.COMMUNITY, UnitKind.VILLAGE)


class Pairing(models.Model):
    """A partner paired with a grid or community for a period, with promised services."""

    partner = models.ForeignKey(
        PartnerUnit,
        on_delete=models.PROTECT,
        related_name="pairings",
        verbose_name=_("partner"),
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="pairings",
        verbose_name=_("grid or community"),
    )
    start_on = models.DateField(_("start date"), validators=[DateBound("planned")])
    end_on = models.DateField(
        _("end date"), null=True, blank=True, validators=[DateBound("planned")]
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                name="pairing_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} ↔ {self.unit}"

    def clean(self) -> None:
        super().clean()
        if self.unit_id and self.unit.kind not in PAIRING_UNIT_KINDS:
            raise ValidationError(
                {"unit": _("A partner pairs with a grid, a community or a village.")}
            )
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("The end date is before the start date.")})


class ServiceKind(models.TextChoices):
    MEDICAL = "medical", _("Medical visit / home check-up")
    MEDICINE = "medicine", _("Medicine delivery")
    GREETINGS = "greetings", _("Greetings (e.g. birthday cake)")
    SERVICE = "service", _("Other service")
    STUDY = "study", _("Study material delivered at home")
    HOME_ROUNDS = "home_rounds", _("Family doctor's home rounds")
    HOME_SAFETY = "home_safety", _("Home safety service")
    CARE_PAIRING = "care_pairing", _("Pairing with a solitary cadre")
    TRAINING = "training", _("Rehabilitation and nursing training")
    JOINT_ACTIVITY = "joint_activity", _("Joint activity")
    OTHER = "other", _("Other")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Every half year")
    YEARLY = "yearly", _("Yearly")
    ON_DEMAND = "on_demand", _("On demand")
    ONCE = "once", _("Once")


class PairingService(models.Model):
    """One promised service of a pairing: what, how often, notes."""

    pairing = models.ForeignKey(
        Pairing,
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("pairing"),
    )
    kind = models.CharField(_("service"), max_length=20, choices=ServiceKind.choices)
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices)
    times_per_period = models.PositiveSmallIntegerField(_("times per period"), default=1)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("promised service")
        verbose_name_plural = _("promised services")
        constraints = [
            models.CheckConstraint(
                condition=Q(times_per_period__gte=1), name="pairingservice_times_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_frequency_display()}）"


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


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    REVEAL = "reveal", _("Revealed a full value")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")
    PRINT = "print", _("Printed")
    REFUSED = "refused", _("Refused")


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
