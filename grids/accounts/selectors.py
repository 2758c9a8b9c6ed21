"""Who an officer may manage, and with which roles where."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from ..models import GRANTABLE_ROLES, OrgUnit, StaffAssignment
from ..selectors import OFFICER_ROLES, scope_of


def managed_units(officer) -> QuerySet[OrgUnit]:
    """The units under the officer's township-officer (or administrator) roles."""
    scope = scope_of(officer)
    if scope.everything:
        return OrgUnit.objects.filter(is_active=True)
    condition = Q(pk__in=[])
    for r in scope.ranges:
        if r.role in OFFICER_ROLES:
            condition |= Q(tree_id=r.tree_id, lft__gte=r.lft, rght__lte=r.rght)
    return OrgUnit.objects.filter(condition, is_active=True)


def may_manage_staff(user) -> bool:
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & set(OFFICER_ROLES))


def staff_in_scope(officer) -> QuerySet:
    """The users holding a role somewhere the officer manages, with their roles."""
    units = managed_units(officer)
    return (
        get_user_model()
        .objects.filter(assignments__unit__in=units)
        .distinct()
        .select_related("staff_profile")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=StaffAssignment.objects.select_related("unit").order_by(
                    "unit__tree_id", "unit__lft"
                ),
            )
        )
        .order_by("-is_active", "username")
    )


def managed_unit_ids(officer) -> set[int]:
    return set(managed_units(officer).values_list("pk", flat=True))


def manageable(officer, user, units: set[int] | None = None) -> bool:
    """An officer manages a user when the user holds a role, and every role the user
    holds is one officers grant (not an officer's or an administrator's) inside the
    officer's units. `units` (managed_unit_ids) may be passed when asking for many
    users; the user's assignments are read from a prefetch when there is one."""
    if user.is_superuser or user.is_staff or user.pk == officer.pk:
        return False
    if scope_of(officer).everything:
        return True
    units = managed_unit_ids(officer) if units is None else units
    held = [(a.unit_id, a.role) for a in user.assignments.all()]
    return bool(held) and all(
        role in GRANTABLE_ROLES and unit in units for unit, role in held
    )


def grantable_units(officer, role: str) -> QuerySet[OrgUnit]:
    """The units inside the officer's scope where `role` may be held."""
    kinds = GRANTABLE_ROLES.get(role, ())
    return managed_units(officer).filter(kind__in=kinds).order_by("tree_id", "lft")
