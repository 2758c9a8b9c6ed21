"""Every write to the organization tree goes through here.

django-mptt cannot lock for us (see its docs): concurrent inserts under one parent
would read the same `rght` and corrupt the nested-set columns. Each write therefore
runs inside `tree_lock()`: one transaction holding a PostgreSQL advisory lock (on
SQLite, whose writers are serialized by the database itself, the lock is a no-op),
and re-reads the rows it touches after the lock is taken.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from .models import OrgUnit, Pairing, PairingService, PartnerUnit

# An arbitrary constant naming "the organization tree" among advisory locks.
TREE_LOCK_KEY = 0x67726964

# Higher apps register checks that may refuse a deactivation (e.g. members: active
# cadres still attached). Each takes the subtree queryset and returns a message or None.
DeactivationGuard = Callable[[Any], str | None]
deactivation_guards: list[DeactivationGuard] = []

_EDITABLE_FIELDS = {"name", "kind", "code", "parent", "is_active"}


@contextmanager
def tree_lock() -> Iterator[None]:
    """Serialize tree writers for the duration of one transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TREE_LOCK_KEY])
        yield


def _fresh(unit: OrgUnit | int | None) -> OrgUnit | None:
    if unit is None:
        return None
    pk = unit.pk if isinstance(unit, OrgUnit) else unit
    return OrgUnit.objects.get(pk=pk)


def orgunit_create(
    *,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    code: str | None = None,
    is_active: bool = True,
) -> OrgUnit:
    with tree_lock():
        unit = OrgUnit(
            name=name.strip(),
            kind=kind,
            parent=_fresh(parent),
            code=(code or "").strip() or None,
            is_active=is_active,
        )
        unit.full_clean()
        unit.save()
        return unit


def orgunit_update(*, unit: OrgUnit | int, **changes: Any) -> OrgUnit:
    """Change name, kind, code, parent (a move, with the whole subtree) or active flag."""
    unknown = set(changes) - _EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"orgunit_update cannot change {sorted(unknown)}")
    with tree_lock():
        fresh = _fresh(unit)
        assert fresh is not None
        deactivating = fresh.is_active and changes.get("is_active") is False
        activating = not fresh.is_active and changes.get("is_active") is True
        for field, value in changes.items():
            if field == "parent":
                value = _fresh(value)
            elif field == "name":
                value = value.strip()
            elif field == "code":
                value = (value or "").strip() or None
            setattr(fresh, field, value)
        fresh.full_clean()
        if activating and fresh.parent_id and not fresh.parent.is_active:
            raise ValidationError(
                {"is_active": _("Reactivate the parent unit「%s」first.") % fresh.parent}
            )
        if deactivating:
            _check_deactivation(fresh)
        fresh.save()
        if deactivating:
            # A closed unit closes its whole subtree.
            fresh.get_descendants().update(is_active=False)
        return fresh


def orgunit_move(*, unit: OrgUnit | int, new_parent: OrgUnit | None) -> OrgUnit:
    """Move a unit with its whole subtree; cadres stay attached to their units."""
    return orgunit_update(unit=unit, parent=new_parent)


def orgunit_rename(*, unit: OrgUnit | int, name: str) -> OrgUnit:
    return orgunit_update(unit=unit, name=name)


def orgunit_deactivate(*, unit: OrgUnit | int) -> OrgUnit:
    return orgunit_update(unit=unit, is_active=False)


def orgunit_activate(*, unit: OrgUnit | int) -> OrgUnit:
    return orgunit_update(unit=unit, is_active=True)


def orgunit_deactivation_problems(unit: OrgUnit | int) -> list[str]:
    """What stops the unit (and so its subtree) from being closed; empty = nothing."""
    fresh = _fresh(unit)
    subtree = fresh.get_descendants(include_self=True)
    return [msg for guard in deactivation_guards if (msg := guard(subtree))]


def _check_deactivation(unit: OrgUnit) -> None:
    problems = orgunit_deactivation_problems(unit)
    if problems:
        raise ValidationError({"is_active": problems})


def tree_problems() -> list[str]:
    """Compare the stored MPTT columns with what the parent links imply.

    Siblings are taken in their stored `lft` order; the expected numbering is then
    recomputed depth-first, so a wrong `lft`, `rght`, `level` or `tree_id` anywhere
    shows up as a mismatch. Returns a list of human-readable problems (empty = sound).
    """
    rows = list(
        OrgUnit.objects.order_by("tree_id", "lft", "pk").values_list(
            "pk", "parent_id", "tree_id", "lft", "rght", "level", "name"
        )
    )
    by_pk = {r[0]: r for r in rows}
    children: dict[int | None, list[int]] = {}
    problems: list[str] = []
    for pk, parent_id, *_rest in rows:
        if parent_id is not None and parent_id not in by_pk:
            problems.append(f"unit {pk}: parent {parent_id} does not exist")
            continue
        children.setdefault(parent_id, []).append(pk)

    expected: dict[int, tuple[int, int, int, int]] = {}
    seen_tree_ids: set[int] = set()
    for root in children.get(None, []):
        tree_id = by_pk[root][2]
        if tree_id in seen_tree_ids:
            problems.append(f"unit {root}: tree_id {tree_id} shared by two roots")
        seen_tree_ids.add(tree_id)
        counter = 1
        # Iterative depth-first walk: (pk, level, entering?)
        stack: list[tuple[int, int, bool]] = [(root, 0, True)]
        lefts: dict[int, int] = {}
        while stack:
            pk, level, entering = stack.pop()
            if entering:
                lefts[pk] = counter
                counter += 1
                stack.append((pk, level, False))
                for child in reversed(children.get(pk, [])):
                    stack.append((child, level + 1, True))
            else:
                expected[pk] = (tree_id, lefts[pk], counter, level)
                counter += 1

    for pk, _parent_id, tree_id, lft, rght, level, name in rows:
        if pk not in expected:
            problems.append(f"unit {pk} ({name}): not reachable from any root (cycle?)")
            continue
        want = expected[pk]
        have = (tree_id, lft, rght, level)
        if have != want:
            problems.append(
                f"unit {pk} ({name}): stored tree_id/lft/rght/level {have}, "
                f"expected {want}"
            )
    return problems


def tree_rebuild() -> None:
    """Recompute every MPTT column from the parent links (the repair for check_tree)."""
    with tree_lock():
        OrgUnit.objects.rebuild()


# ---- co-building partners and their pairings ------------------------------------------


@transaction.atomic
def partner_save(*, partner: PartnerUnit | None = None, **fields: Any) -> PartnerUnit:
    """Create a partner unit, or change the given one: fields checked, then saved."""
    partner = partner or PartnerUnit()
    for key, value in fields.items():
        setattr(partner, key, value)
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def pairing_create(
    *,
    partner: PartnerUnit,
    unit: OrgUnit | int,
    start_on,
    end_on=None,
    services: Iterable[tuple[str, str]] = (),
) -> Pairing:
    """Pair a partner with a grid, community or village, with the services it
    promises (kind, frequency)."""
    pairing = Pairing(
        partner=partner,
        unit_id=unit.pk if isinstance(unit, OrgUnit) else unit,
        start_on=start_on,
        end_on=end_on,
    )
    pairing.full_clean()
    pairing.save()
    promised = [PairingService(pairing=pairing, kind=k, frequency=f) for k, f in services]
    for service in promised:
        service.full_clean(exclude=["pairing"])
    PairingService.objects.bulk_create(promised)
    return pairing
