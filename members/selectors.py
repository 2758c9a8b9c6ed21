"""Reads of cadres, already scoped to the user (see grids.selectors)."""

import datetime

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from grids.audit import ACCESS_KINDS
from grids.models import RESIDENCE_KINDS, AccessLog, OrgUnit, StaffAssignment, UnitKind
from grids.selectors import has_role_over, scope_of, unit_ids_in, units_visible_to

from .models import BranchTransfer, Cadre, CadreStatus, FamilyContact


def _visible_q(user) -> Q:
    # Visible when the branch or the residence lies in the scope (DOMAIN.md: a cadre
    # may live in one community and belong to a branch elsewhere). By unit ids, so
    # that the branch and residence indexes serve (a bitmap OR of two index scans).
    ids = unit_ids_in(user)
    return Q(branch_id__in=ids) | Q(residence_unit_id__in=ids)


def _editable_q(user) -> Q:
    # Changes follow the branch; a non-member (no branch) follows the residence.
    ids = unit_ids_in(user, writable=True)
    return Q(branch_id__in=ids) | Q(branch__isnull=True, residence_unit_id__in=ids)


def cadres_visible_to(user) -> QuerySet[Cadre]:
    scope = scope_of(user)
    if scope.is_empty:
        return Cadre.objects.none()
    if scope.everything:
        return Cadre.objects.all()
    return Cadre.objects.filter(_visible_q(user))


def cadres_editable_by(user) -> QuerySet[Cadre]:
    scope = scope_of(user)
    if scope.everything:
        return Cadre.objects.all()
    if not scope.writable().ranges:
        return Cadre.objects.none()
    return Cadre.objects.filter(_editable_q(user))


def can_edit_cadre(user, cadre: Cadre) -> bool:
    scope = scope_of(user)
    if scope.everything:
        return True
    writable = scope.writable()
    if cadre.branch_id:
        return writable.contains(cadre.branch)
    return writable.contains(cadre.residence_unit)


def get_cadre_for_user(user, pk, *, write: bool = False) -> Cadre:
    """The cadre if the user may see it (and change it, with write=True).

    Not visible → 404 (a guessed id reveals nothing); visible but not changeable → 403.
    """
    try:
        cadre = (
            cadres_visible_to(user)
            .select_related("branch", "residence_unit", "household")
            .get(pk=pk)
        )
    except (Cadre.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_edit_cadre(user, cadre):
        raise PermissionDenied
    return cadre


# The per-field reveal rule (DOMAIN.md, Personal information): each sensitive field
# group is shown in full only to the roles of settings.REVEAL_ROLES[group] over the
# cadre's branch or residence; everyone else sees it masked or hidden. Pages, forms,
# exports and searches all decide through `can_reveal` / `reveal_rule`.
REVEALABLE = ("id_number", "phone", "health", "pension")
# The model fields of each group (health: the health notes, the cadre's requests,
# medical insurance, designated hospitals and long-term medicines; pension: the
# monthly pension).
REVEAL_FIELDS = {
    "id_number": ("id_number",),
    "phone": ("phone", "phone2"),
    "health": (
        "health_status",
        "requests",
        "medical_insurance",
        "designated_hospital",
        "designated_hospital2",
        "long_term_medicines",
    ),
    "pension": ("monthly_pension",),
}
# The medical part of the health group, shown on the profile as one row.
MEDICAL_FIELDS = REVEAL_FIELDS["health"][2:]


def can_reveal(user, cadre: Cadre, field: str) -> bool:
    roles = settings.REVEAL_ROLES.get(field, [])
    return has_role_over(user, [cadre.branch, cadre.residence_unit], roles)


def reveal_unit_ids(user, field: str) -> set[int] | None:
    """The ids of the units over which the user may reveal `field` (None: all units).
    One query per user object and field."""
    scope = scope_of(user)
    if scope.everything:
        return None
    cache = user.__dict__.setdefault("_gridparty_reveal_units", {})
    if field not in cache:
        roles = set(settings.REVEAL_ROLES.get(field, []))
        ranges = [r for r in scope.ranges if r.role in roles]
        ids: set[int] = set()
        if ranges:
            condition = Q()
            for r in ranges:
                condition |= Q(tree_id=r.tree_id, lft__gte=r.lft, rght__lte=r.rght)
            ids = set(OrgUnit.objects.filter(condition).values_list("pk", flat=True))
        cache[field] = ids
    return cache[field]


class RevealRule:
    """`can_reveal` for many cadres at once (exports): one query per field, then a
    set look-up per row by the cadre's branch and residence ids."""

    def __init__(self, user):
        self.units = {f: reveal_unit_ids(user, f) for f in REVEALABLE}

    def allows(self, field: str, branch_id: int | None, residence_id: int | None) -> bool:
        units = self.units[field]
        return units is None or branch_id in units or residence_id in units

    def fields_for(self, cadre) -> set[str]:
        return {
            f
            for f in REVEALABLE
            if self.allows(f, cadre.branch_id, cadre.residence_unit_id)
        }

    @property
    def anywhere(self) -> set[str]:
        """The fields the user may reveal for at least some cadres."""
        return {f for f, units in self.units.items() if units is None or units}


def cadres_revealable_to(user, field: str) -> QuerySet[Cadre]:
    """The visible cadres whose `field` the user may reveal."""
    units = reveal_unit_ids(user, field)
    visible = cadres_visible_to(user)
    if units is None:
        return visible
    return visible.filter(Q(branch_id__in=units) | Q(residence_unit_id__in=units))


def cadre_history(cadre: Cadre, limit: int = 200):
    """The change history of a cadre and of their family contacts, newest first."""
    types = ContentType.objects.get_for_models(Cadre, FamilyContact)
    return (
        LogEntry.objects.filter(
            Q(content_type=types[Cadre], object_pk=str(cadre.pk))
            | Q(content_type=types[FamilyContact], additional_data__cadre_id=cadre.pk)
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")[:limit]
    )


def cadres_in_unit(queryset: QuerySet[Cadre], unit: OrgUnit) -> QuerySet[Cadre]:
    """Narrow to cadres whose branch or residence lies in `unit`'s subtree."""
    subtree = OrgUnit.objects.filter(
        tree_id=unit.tree_id, lft__gte=unit.lft, rght__lte=unit.rght
    ).values("pk")
    return queryset.filter(Q(branch_id__in=subtree) | Q(residence_unit_id__in=subtree))


# ---- the dossier form and the access log ------------------------------------------------


def writable_units(user) -> QuerySet[OrgUnit]:
    """The active units where the user may change things, in tree order."""
    scope = scope_of(user).writable()
    return OrgUnit.objects.filter(scope.q(), is_active=True).order_by("tree_id", "lft")


def dossier_unit_choices(user) -> dict[str, QuerySet[OrgUnit]]:
    """The branches a dossier may be put in, and the places of residence offered."""
    return {
        "branches": writable_units(user).filter(kind=UnitKind.BRANCH),
        "groups": writable_units(user).filter(kind=UnitKind.PARTY_GROUP, is_active=True),
        "places": units_visible_to(user)
        .filter(kind__in=RESIDENCE_KINDS, is_active=True)
        .order_by("tree_id", "lft"),
    }


def _keys(cadres: QuerySet[Cadre]):
    return cadres.annotate(key=Cast("pk", output_field=CharField())).values("key")


def access_log_entries(user, filters: dict) -> QuerySet[AccessLog]:
    """The access log inside the user's scope, newest first: entries about a cadre in
    scope (dossiers, health records, handbooks — ACCESS_KINDS marks them), and the
    reports, exports and searches made by the staff of the scope (or the user). Narrowed
    by the filters of AccessLogFilterForm (kind, action, user, cadre, dates)."""
    visible = cadres_visible_to(user)
    cadre_kinds = [k for k, (_label, by_cadre) in ACCESS_KINDS.items() if by_cadre]
    staff = StaffAssignment.objects.filter(unit__in=units_visible_to(user)).values(
        "user_id"
    )
    entries = AccessLog.objects.filter(
        Q(object_type__in=cadre_kinds, object_id__in=_keys(visible))
        | (~Q(object_type__in=cadre_kinds) & (Q(user__in=staff) | Q(user=user)))
    )
    if filters.get("kind"):
        entries = entries.filter(object_type=filters["kind"])
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("user"):
        entries = entries.filter(
            Q(user__username__icontains=filters["user"])
            | Q(user__first_name__icontains=filters["user"])
        )
    if filters.get("cadre"):
        matching = visible.filter(
            Q(name__contains=filters["cadre"])
            | Q(name_initials__startswith=filters["cadre"].lower())
        )
        entries = entries.filter(
            object_type__in=cadre_kinds, object_id__in=_keys(matching)
        )
    if filters.get("date_from"):
        entries = entries.filter(at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        entries = entries.filter(at__date__lte=filters["date_to"])
    return entries.select_related("user").order_by("-at", "-pk")


# ---- membership at a date ------------------------------------------------------------


def branch_members_on(branch: OrgUnit | int, on: datetime.date) -> list[Cadre]:
    """The party members of a branch on a past date (DOMAIN.md: organizational life
    expects them): from the transfer history, not today's branch — a member who came
    in September was not expected in July; one who left in September was — and the
    archive dates — a member who died in October was expected in July. Two queries
    whatever the branch's history."""
    branch_id = branch.pk if isinstance(branch, OrgUnit) else branch
    moved = BranchTransfer.objects.filter(
        Q(from_branch_id=branch_id) | Q(to_branch_id=branch_id)
    ).values_list("cadre_id", flat=True)
    candidates = list(
        Cadre.objects.filter(
            Q(branch_id=branch_id) | Q(pk__in=moved), is_party_member=True
        )
        .prefetch_related(
            Prefetch("transfers", queryset=BranchTransfer.objects.order_by("on", "pk"))
        )
        .order_by("name_initials", "pk")
    )
    members = []
    for cadre in candidates:
        if cadre.joined_party_on and cadre.joined_party_on > on:
            continue  # not yet admitted
        if (
            cadre.status == CadreStatus.ARCHIVED
            and cadre.archived_on
            and cadre.archived_on < on
        ):
            continue  # had left the roster (died, transferred out) before that day
        if _branch_on(cadre, on) == branch_id:
            members.append(cadre)
    return members


def _branch_on(cadre: Cadre, on: datetime.date) -> int | None:
    """The cadre's branch on a date, from the transfers (oldest first)."""
    transfers = list(cadre.transfers.all())
    before = [t for t in transfers if t.on <= on]
    if before:
        return before[-1].to_branch_id
    if transfers:
        return transfers[0].from_branch_id  # the branch they left first, after `on`
    return cadre.branch_id
