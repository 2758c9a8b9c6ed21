"""The organization tree: township → grid → community/village → branch → group."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey

from .base import Stamped


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
