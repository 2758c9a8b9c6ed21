"""Who gets a unit's reminders: a branch's secretary (for a branch), community or
village workers, else the grid's, else the township officers."""

from collections import defaultdict

from grids.models import OrgUnit, StaffAssignment, StaffRole, UnitKind

# ---- recipients ---------------------------------------------------------------------


class Recipients:
    """Who gets a unit's reminders, worked out once per scan (two queries)."""

    def __init__(self):
        units = {u[0]: u for u in OrgUnit.objects.values_list("pk", "parent_id", "kind")}
        by_unit: dict[tuple[int, str], list[int]] = defaultdict(list)
        for user, unit, role in StaffAssignment.objects.filter(
            user__is_active=True, unit__is_active=True
        ).values_list("user_id", "unit_id", "role"):
            by_unit[(unit, role)].append(user)
        self.units, self.by_unit = units, by_unit
        self._cache: dict[tuple[int, bool], list[int]] = {}

    def _up(self, unit_id: int, kind: str) -> int | None:
        while unit_id is not None:
            row = self.units.get(unit_id)
            if row is None:
                return None
            if row[2] == kind:
                return unit_id
            unit_id = row[1]
        return None

    def of(self, unit_id: int, township_wide: bool = False) -> list[int]:
        key = (unit_id, township_wide)
        if key not in self._cache:
            township = self._up(unit_id, UnitKind.TOWNSHIP)
            officers = self.by_unit.get((township, StaffRole.TOWNSHIP_OFFICER), [])
            if township_wide:
                found = officers
            else:
                place = self._up(unit_id, UnitKind.COMMUNITY) or self._up(
                    unit_id, UnitKind.VILLAGE
                )
                found = (
                    self.by_unit.get((unit_id, StaffRole.BRANCH_SECRETARY))
                    or self.by_unit.get((unit_id, StaffRole.COMMUNITY_WORKER))
                    or self.by_unit.get((place, StaffRole.COMMUNITY_WORKER))
                    or self.by_unit.get((self._up(unit_id, UnitKind.GRID), StaffRole.GRID_WORKER))
                    or officers
                )  # fmt: skip
            self._cache[key] = list(dict.fromkeys(found))
        return self._cache[key]


# ---- the scan ---------------------------------------------------------------------------
