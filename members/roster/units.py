"""Finding a unit from what a roster says: an official code, a name path
(XX镇/第一网格/金桥社区/金桥社区党支部) or a unique name. Never a guess."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from grids.models import OrgUnit
from grids.selectors import Scope


@dataclass(frozen=True)
class UnitRow:
    pk: int
    parent_id: int | None
    kind: str
    name: str
    code: str | None
    tree_id: int
    lft: int
    rght: int
    is_active: bool

    def within(self, other: "UnitRow") -> bool:
        return self.tree_id == other.tree_id and other.lft <= self.lft <= other.rght


class UnitLookup:
    """All units in memory (a few thousand rows): one query, no query per row."""

    def __init__(self, *, scope: Scope, limit: OrgUnit | None = None):
        rows = OrgUnit.objects.order_by("tree_id", "lft").values_list(
            "pk",
            "parent_id",
            "kind",
            "name",
            "code",
            "tree_id",
            "lft",
            "rght",
            "is_active",
        )
        self.units = {row[0]: UnitRow(*row) for row in rows}
        self.scope = scope
        self.limit = self.units.get(limit.pk) if limit else None
        self.by_code: dict[str, UnitRow] = {}
        self.by_name: dict[str, list[UnitRow]] = {}
        self.by_path: dict[str, UnitRow] = {}
        paths: dict[int, str] = {}
        for unit in self.units.values():  # parents come first in (tree_id, lft) order
            parent_path = paths.get(unit.parent_id) if unit.parent_id else None
            paths[unit.pk] = f"{parent_path}/{unit.name}" if parent_path else unit.name
            self.by_path[paths[unit.pk]] = unit
            self.by_name.setdefault(unit.name, []).append(unit)
            if unit.code:
                self.by_code[unit.code] = unit
        self.paths = paths
        self.writable = self.scope.writable().ranges
        # A roster names the same few units thousands of times: answer each once.
        self._found: dict[tuple[str, tuple[str, ...]], UnitRow | ValueError] = {}
        self._places: list[UnitRow] | None = None

    def group_of(self, branch_pk: int | None, text: str) -> UnitRow:
        """The party group of the branch named (or coded) `text`; ValueError
        (Chinese) when the branch has no such group."""
        text = text.strip()
        for unit in self.by_name.get(text, []) + (
            [self.by_code[text]] if text in self.by_code else []
        ):
            if unit.kind == "party_group" and unit.parent_id == branch_pk:
                if not unit.is_active:
                    raise ValueError(_("“%s” is closed.") % text)
                return unit
        if branch_pk is None:
            raise ValueError(_("A party group needs the cadre's branch (所属支部)."))
        raise ValueError(
            _("The branch %(branch)s has no party group “%(text)s”.")
            % {"branch": self.units[branch_pk].name, "text": text}
        )

    def defaults(self, residence, branch) -> tuple[UnitRow | None, UnitRow | None]:
        """The default community/village and branch chosen for rows that name none,
        checked against the scope (ValueError, Chinese); the residence's only branch
        when no branch is chosen."""
        place = self.units.get(residence.pk) if residence else None
        chosen = self.units.get(branch.pk) if branch else None
        for unit, kinds in ((place, ("community", "village")), (chosen, ("branch",))):
            if unit is not None and (unit.kind not in kinds or not self.allowed(unit)
                                     or not unit.is_active):  # fmt: skip
                raise ValueError(
                    _("The default unit “%s” is not a community, village or branch you "
                      "may import into.") % unit.name
                )  # fmt: skip
        if place is not None and chosen is None:
            chosen = self.only_branch(place)
        return place, chosen

    def only_branch(self, place: UnitRow) -> UnitRow | None:
        """The community's or village's branch, when it has exactly one."""
        branches = [u for u in self.units.values()
                    if u.parent_id == place.pk and u.kind == "branch" and u.is_active]  # fmt: skip
        return branches[0] if len(branches) == 1 else None

    def from_address(self, address: str) -> UnitRow | None:
        """The community or village whose full name the address contains, when exactly
        one inside the importing user's scope does ("XX镇金桥社区…" → 金桥社区; one
        that holds both 金桥社区 and 新金桥社区 means the longer). None otherwise."""
        if self._places is None:
            self._places = sorted(
                (u for u in self.units.values()
                 if u.kind in ("community", "village") and u.is_active and self.allowed(u)),
                key=lambda u: -len(u.name),
            )  # fmt: skip
        found = [u for u in self._places if u.name in address]
        names = {u.name for u in found}
        # A name inside a longer name found too (金桥社区 in 新金桥社区) is that one.
        longest = [
            u for u in found if not any(u.name in n and u.name != n for n in names)
        ]
        return longest[0] if len(longest) == 1 else None

    def allowed(self, unit: UnitRow) -> bool:
        if self.limit and not unit.within(self.limit):
            return False
        if self.scope.everything:
            return True
        return any(
            r.tree_id == unit.tree_id and r.lft <= unit.lft <= r.rght
            for r in self.writable
        )

    def find(self, text: str, kinds: tuple[str, ...]) -> UnitRow:
        """The unit meant by `text`, of one of `kinds`; ValueError (Chinese) if none,
        several, or outside the importing user's scope."""
        key = (text, kinds)
        if key not in self._found:
            try:
                self._found[key] = self._find(text, kinds)
            except ValueError as exc:
                self._found[key] = exc
        answer = self._found[key]
        if isinstance(answer, ValueError):
            raise answer
        return answer

    def _find(self, text: str, kinds: tuple[str, ...]) -> UnitRow:
        text = text.strip().replace("／", "/").strip("/")
        candidates: list[UnitRow]
        if text in self.by_code:
            candidates = [self.by_code[text]]
        elif "/" in text:
            exact = self.by_path.get(text)
            if exact:
                candidates = [exact]
            else:  # a path may start below the root: match its tail
                candidates = [
                    u for p, u in self.by_path.items() if p.endswith("/" + text)
                ]
        else:
            candidates = self.by_name.get(text, [])
        candidates = [u for u in candidates if u.kind in kinds]
        if not candidates:
            raise ValueError(_("No unit named “%s” was found.") % text)
        if len(candidates) > 1:
            raise ValueError(
                _("“%(text)s” is ambiguous: %(paths)s. Write its path or its code.")
                % {
                    "text": text,
                    "paths": "；".join(self.paths[u.pk] for u in candidates[:4]),
                }
            )
        unit = candidates[0]
        if not self.allowed(unit):
            raise ValueError(
                _("“%s” lies outside the part of the tree you may import into.") % text
            )
        if not unit.is_active:
            raise ValueError(_("“%s” is closed.") % text)
        return unit
