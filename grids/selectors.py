"""Who may see which part of the tree: scopes as MPTT subtree ranges.

A user's scope is the union of the subtrees of the units they are assigned to. Every
check is an indexed range predicate on (tree_id, lft, rght): no recursion, no per-row
Python check. Superusers see everything; a user without assignments sees nothing.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import READ_ONLY_ROLES, OrgUnit, PartnerUnit, StaffAssignment, StaffRole

# Roles that may change data in their subtree (leaders only read).
WRITE_ROLES = tuple(r for r in StaffRole.values if r not in READ_ONLY_ROLES)


@dataclass(frozen=True)
class ScopeRange:
    unit_id: int
    tree_id: int
    lft: int
    rght: int
    role: str

    def contains(self, unit: OrgUnit) -> bool:
        return unit.tree_id == self.tree_id and self.lft <= unit.lft <= self.rght


@dataclass(frozen=True)
class Scope:
    everything: bool
    ranges: tuple[ScopeRange, ...]

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.ranges

    def writable(self) -> "Scope":
        return Scope(
            self.everything, tuple(r for r in self.ranges if r.role in WRITE_ROLES)
        )

    def q(self, prefix: str = "") -> Q:
        """A Q selecting units (through `prefix`, e.g. "branch__") inside the scope."""
        if self.everything:
            return Q()
        if not self.ranges:
            return Q(pk__in=[])
        condition = Q()
        for r in self.ranges:
            condition |= Q(
                **{
                    f"{prefix}tree_id": r.tree_id,
                    f"{prefix}lft__gte": r.lft,
                    f"{prefix}rght__lte": r.rght,
                }
            )
        return condition

    def contains(self, unit: OrgUnit | None) -> bool:
        if unit is None:
            return False
        return self.everything or any(r.contains(unit) for r in self.ranges)

    @property
    def roles(self) -> set[str]:
        return {r.role for r in self.ranges}


def scope_of(user) -> Scope:
    """The user's scope, computed once per user object (one query)."""
    cached = getattr(user, "_gridparty_scope", None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        scope = Scope(False, ())
    elif user.is_superuser:
        scope = Scope(True, ())
    else:
        rows = StaffAssignment.objects.filter(
            user=user, unit__is_active=True
        ).values_list("unit_id", "unit__tree_id", "unit__lft", "unit__rght", "role")
        scope = Scope(False, tuple(ScopeRange(*row) for row in rows))
    user._gridparty_scope = scope
    return scope


def units_visible_to(user) -> QuerySet[OrgUnit]:
    scope = scope_of(user)
    return (
        OrgUnit.objects.filter(scope.q())
        if not scope.is_empty
        else OrgUnit.objects.none()
    )


def unit_ids_in(user, *, writable: bool = False) -> list[int]:
    """The ids of the units inside the user's scope (or its writable part), fetched
    once per user object. Filtering other tables by these ids (an IN list) lets
    PostgreSQL use their unit indexes, where a range test through a join cannot."""
    attribute = "_gridparty_writable_unit_ids" if writable else "_gridparty_unit_ids"
    cached = getattr(user, attribute, None)
    if cached is None:
        scope = scope_of(user)
        if writable:
            scope = scope.writable()
        cached = (
            []
            if scope.is_empty
            else list(OrgUnit.objects.filter(scope.q()).values_list("pk", flat=True))
        )
        setattr(user, attribute, cached)
    return cached


def can_write(user) -> bool:
    scope = scope_of(user)
    return scope.everything or bool(scope.writable().ranges)


OFFICER_ROLES = (StaffRole.TOWNSHIP_OFFICER, StaffRole.ADMINISTRATOR)


def is_officer(user) -> bool:
    """Township officers and administrators (and superusers) read history and logs."""
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & set(OFFICER_ROLES))


def has_role_over(user, units, roles) -> bool:
    """Whether the user holds one of `roles` over any of `units` (by subtree)."""
    scope = scope_of(user)
    if scope.everything:
        return True
    return any(
        r.role in roles and r.contains(u) for r in scope.ranges for u in units if u
    )


def unit_paths(**filters) -> dict[int, str]:
    """Each unit's name path (XX镇/第一网格/金桥社区), in one query."""
    paths: dict[int, str] = {}
    rows = OrgUnit.objects.filter(**filters).order_by("tree_id", "lft")
    for pk, parent_id, name in rows.values_list("pk", "parent_id", "name"):
        parent = paths.get(parent_id)
        paths[pk] = f"{parent}/{name}" if parent else name
    return paths


def partners_visible_to(user) -> QuerySet[PartnerUnit]:
    """Partners paired with (or linked to) a unit inside the user's scope."""
    scope = scope_of(user)
    if scope.everything:
        return PartnerUnit.objects.all()
    ids = unit_ids_in(user)
    return PartnerUnit.objects.filter(
        Q(pairings__unit_id__in=ids) | Q(linked_unit_id__in=ids)
    ).distinct()
