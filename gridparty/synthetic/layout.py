"""The district's tree, its partners and pairings, and the staff users."""

import string

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from grids.bulk import load_model
from grids.models import (
    OrgUnit,
    Pairing,
    PartnerKind,
    PartnerUnit,
    StaffAssignment,
    StaffRole,
    UnitKind,
)
from grids.services import tree_lock
from members.models import RankLevel

from ..demo_cadres import RANKS
from .shared import (
    CADRES_PER_PLACE,
    CADRES_PER_TOWNSHIP,
    PLACES_PER_GRID,
    SYNTHETIC_PASSWORD,
    Place,
    split_evenly,
)

# Distinct characters only, so that every two-character stem is unique.
SYLLABLES = "".join(
    dict.fromkeys(
        "金桥绿一幸福嘉星华沙河庄红光新安康乐和平丰泰兴隆永宁长江东西南北明德善育"
        "春秋青松柏翠竹梅兰菊莲荷湖塘浦泾港湾园林山川田溪"
    )
)
UNIT_COLUMNS = [
    "id", "parent_id", "kind", "name", "code", "is_active", "created_at", "updated_at",
    "lft", "rght", "tree_id", "level",
]  # fmt: skip
USER_COLUMNS = [
    "id", "password", "last_login", "is_superuser", "username", "first_name",
    "last_name", "email", "is_staff", "is_active", "date_joined",
]  # fmt: skip


def compute_mptt(rows: list[dict]) -> None:
    """Fill lft/rght/level/tree_id from the parent links (siblings in id order)."""
    children: dict[int | None, list[dict]] = {}
    for row in rows:
        children.setdefault(row["parent_id"], []).append(row)
    for tree_id, root in enumerate(children.get(None, []), start=1):
        counter = 1
        stack = [(root, 0, True)]
        while stack:
            node, level, entering = stack.pop()
            if entering:
                node.update(lft=counter, level=level, tree_id=tree_id)
                counter += 1
                stack.append((node, level, False))
                stack.extend(
                    (c, level + 1, True) for c in reversed(children.get(node["id"], []))
                )
            else:
                node["rght"] = counter
                counter += 1


class LayoutMixin:
    def build_tree(self) -> None:
        townships = max(1, round(self.n / CADRES_PER_TOWNSHIP))
        places_total = max(2 * townships, round(self.n / CADRES_PER_PLACE))
        grids_total = max(townships, round(places_total / PLACES_PER_GRID))
        rows: list[dict] = []

        def unit(
            kind: str, name: str, parent: dict | None, code: str | None = None
        ) -> dict:
            row = {
                "id": len(rows) + 1,
                "parent_id": parent["id"] if parent else None,
                "kind": kind,
                "name": name,
                "code": code,
            }
            rows.append(row)
            return row

        self.places: list[Place] = []
        self.township_pks: list[int] = []
        self.grid_township: dict[int, int] = {}
        district = unit(UnitKind.DISTRICT, "合成区", None)
        grids_per_township = split_evenly(grids_total, townships)
        places_per_grid = iter(split_evenly(places_total, grids_total))
        place_no = 0
        n_syl = len(SYLLABLES)
        for t in range(townships):
            code = f"310120{101 + t:03d}"
            township = unit(UnitKind.TOWNSHIP, f"合成第{t + 1}镇", district, code + "000")
            self.township_pks.append(township["id"])
            number = 0
            for g in range(grids_per_township[t]):
                grid = unit(UnitKind.GRID, f"第{g + 1}网格", township)
                self.grid_township[grid["id"]] = t
                for _ in range(next(places_per_grid)):
                    village = place_no % 3 == 2
                    stem = (
                        SYLLABLES[place_no % n_syl]
                        + SYLLABLES[(place_no // n_syl) % n_syl]
                    )
                    suffix = place_no // (n_syl * n_syl) or ""
                    name = f"{stem}{'村' if village else '社区'}{suffix}"
                    number += 1
                    kind = UnitKind.VILLAGE if village else UnitKind.COMMUNITY
                    place = unit(kind, name, grid, f"{code}{number:03d}")
                    branch = unit(UnitKind.BRANCH, f"{name}党支部", place)
                    self.places.append(
                        Place(place["id"], branch["id"], t, grid["id"], number)
                    )
                    place_no += 1
        compute_mptt(rows)
        stamp = self.stamp
        with tree_lock():
            written = load_model(
                OrgUnit,
                UNIT_COLUMNS,
                (
                    (r["id"], r["parent_id"], r["kind"], r["name"], r["code"], True, stamp,
                     stamp, r["lft"], r["rght"], r["tree_id"], r["level"])
                    for r in rows
                ),
            )  # fmt: skip
        self.count(OrgUnit, written)

    def build_partners_and_staff(self) -> None:
        kinds = list(PartnerKind.values)
        partners = [
            (t * len(kinds) + k + 1, f"合成第{t + 1}镇共建单位{k + 1}", kind, "联络员",
             "021-59990000", "", "", None, True)
            for t in range(len(self.township_pks))
            for k, kind in enumerate(kinds)
        ]  # fmt: skip
        start = self.anchor.replace(year=self.anchor.year - 3, day=1)
        pairings = [
            (g + 1, self.grid_township[grid_pk] * len(kinds) + g % len(kinds) + 1, grid_pk,
             start, None, "")
            for g, grid_pk in enumerate(self.grid_township)
        ]  # fmt: skip
        self.count(PartnerUnit, load_model(
            PartnerUnit,
            ["id", "name", "kind", "contact_person", "phone", "address", "description",
             "linked_unit_id", "is_active"],
            partners,
        ))  # fmt: skip
        self.count(Pairing, load_model(
            Pairing, ["id", "partner_id", "unit_id", "start_on", "end_on", "notes"], pairings
        ))  # fmt: skip
        # The partner a township's partner-led visits are recorded against.
        self.partner_of_township = [
            t * len(kinds) + 1 for t in range(len(self.township_pks))
        ]

        # One hash for every account; its salt comes from the seed, so it repeats.
        salt = "".join(
            self.rng.choice(string.ascii_letters + string.digits) for _ in range(22)
        )
        password = make_password(SYNTHETIC_PASSWORD, salt=salt)
        users: list[tuple] = []
        assignments: list[tuple] = []

        def user(username: str, first_name: str, unit_pk: int, role: str) -> int:
            pk = len(users) + 1
            users.append(
                (pk, password, None, False, username, first_name, "", "", False, True,
                 self.stamp)
            )  # fmt: skip
            assignments.append((pk, pk, unit_pk, role, self.stamp))
            return pk

        for t, township_pk in enumerate(self.township_pks):
            user(
                f"t{t + 1:02d}",
                f"合成第{t + 1}镇组织科",
                township_pk,
                StaffRole.TOWNSHIP_OFFICER,
            )
        grid_names: dict[int, str] = {}
        per_township: dict[int, int] = {}
        for grid_pk, t in self.grid_township.items():
            per_township[t] = per_township.get(t, 0) + 1
            grid_names[grid_pk] = name = f"t{t + 1:02d}g{per_township[t]:02d}"
            user(name, f"{name} 网格员", grid_pk, StaffRole.GRID_WORKER)
        per_grid: dict[int, int] = {}
        for place in self.places:
            per_grid[place.grid_pk] = per_grid.get(place.grid_pk, 0) + 1
            place.username = f"{grid_names[place.grid_pk]}c{per_grid[place.grid_pk]:02d}"
            place.worker_pk = user(
                place.username, f"{place.username} 党务工作者", place.pk,
                StaffRole.COMMUNITY_WORKER,
            )  # fmt: skip
        User = get_user_model()
        self.count(User, load_model(User, USER_COLUMNS, users))
        self.count(StaffAssignment, load_model(
            StaffAssignment, ["id", "user_id", "unit_id", "role", "created_at"], assignments
        ))  # fmt: skip
        self.count(RankLevel, load_model(
            RankLevel,
            ["id", "name", "sort_order", "is_active"],
            [(i + 1, name, (i + 1) * 10, True) for i, name in enumerate(RANKS)],
        ))  # fmt: skip
