"""The cadres: realistic ages and flags, one family contact each."""

import datetime
from array import array
from decimal import Decimal

from grids.bulk import load_model
from members.idnumbers import check_character
from members.models import (
    ArchiveReason,
    Cadre,
    CadreStatus,
    Category,
    FamilyContact,
    LivingSituation,
    LixiuPeriod,
    MemberStatus,
)
from members.pinyin import name_initials

from ..demo_cadres import FEMALE_GIVEN, MALE_GIVEN, RANKS, RELATIONS, SURNAMES
from .shared import BENCH_COMMUNITY_SIZE, GENERAL, HIGH, PRIORITY, VISIT_DAYS

CADRE_COLUMNS = [
    "id", "name", "name_initials", "id_number", "sex", "birth_date", "ethnicity", "phone", "phone2",
    "address",
    "category", "lixiu_period", "original_rank", "benefit_level", "original_work_unit",
    "retirement_date", "native_place", "marital_status", "education", "work_started_on",
    "is_party_member", "joined_party_on", "joined_party_precision",
    "full_member_on", "full_member_precision", "member_status", "branch_id",
    "residence_unit_id", "living_situation", "household_id", "mobility",
    "critically_ill", "disabled_or_cognitive", "in_hardship", "health_status", "requests",
    "status", "archive_reason", "archived_on", "transferred_to", "archive_note",
    "on_roster_since", "created_at", "updated_at", "monthly_pension",
]  # fmt: skip
# The synthetic district's roster was first entered then (coverage counts from it).
ROSTER_SINCE = datetime.date(2020, 1, 1)


def _pension(pk: int, lixiu: bool) -> Decimal | None:
    """A monthly pension from the id alone (the random stream stays as it was):
    3,000–11,999.99 yuan, 离休 members 4,000 more; every 50th not recorded."""
    if pk % 50 == 0:
        return None
    fen = 300_000 + (pk * 2_654_435_761) % 900_000 + (400_000 if lixiu else 0)
    return Decimal(fen) / 100


class PeopleMixin:
    def _place_sizes(self) -> None:
        """Cadres per place: skewed (lognormal), with one community of exactly 500."""
        rng = self.rng
        weights = [rng.lognormvariate(0, 0.5) for _ in self.places]
        total = sum(weights)
        sizes = [int(self.n * w / total) for w in weights]
        if self.n >= 10 * BENCH_COMMUNITY_SIZE:
            sizes[0] = BENCH_COMMUNITY_SIZE
        others = sorted(range(1, len(sizes)), key=lambda i: -sizes[i]) or [0]
        diff, i = self.n - sum(sizes), 0
        while diff:
            j = others[i % len(others)]
            step = 1 if diff > 0 else -1
            if sizes[j] + step >= 1:
                sizes[j] += step
                diff -= step
            i += 1
        for place, size in zip(self.places, sizes, strict=True):
            place.size = size

    def build_cadres(self) -> None:
        self._place_sizes()
        rng, anchor, stamp, today = self.rng, self.anchor, self.stamp, self.anchor_ordinal
        by_township: dict[int, list] = {}
        for place in self.places:
            by_township.setdefault(place.township_index, []).append(place)
        # What later tables need of each cadre (index = id - 1), kept compact.
        self.c_branch = array("i")  # 0 = not a member
        self.c_tier = array("b")
        self.c_end = array("i")  # last day on the roster, as an ordinal
        self.c_can_attend = array("b")
        self.c_worker = array("i")
        self.c_township = array("h")
        rows, contacts = [], []
        pk = 0
        for place in self.places:
            neighbours = by_township[place.township_index]
            for _ in range(place.size):
                pk += 1
                male = rng.random() < 0.55
                lixiu = rng.random() < 0.01
                age = (
                    rng.randint(91, 101)
                    if lixiu
                    else 60 + int(rng.betavariate(2, 3.2) * 36)
                )
                birth = datetime.date.fromordinal(
                    today - age * 365 - age // 4 - rng.randint(0, 364)
                )
                # Unique by construction: the id picks the address code and sequence.
                first17 = (
                    f"{310000 + pk // 500:06d}{birth:%Y%m%d}{(pk % 500) * 2 + male:03d}"
                )
                member = lixiu or rng.random() < 0.86
                joined = full = None
                status = ""
                branch = None
                if member:
                    joined = datetime.date.fromordinal(
                        birth.toordinal() + rng.randint(19 * 365, 40 * 365)
                    )
                    joined = min(joined, anchor - datetime.timedelta(days=600))
                    full = joined + datetime.timedelta(
                        days=365 if rng.random() < 0.9 else 548
                    )
                    status = (
                        MemberStatus.OUT_OF_CONTACT
                        if rng.random() < 0.005
                        else MemberStatus.FULL
                    )
                    branch = (
                        neighbours[rng.randrange(len(neighbours))]
                        if rng.random() < 0.05
                        else place
                    ).branch_pk
                roll = rng.random() + (0.12 if age >= 80 else 0)
                living = (
                    LivingSituation.ALONE if roll > 0.88
                    else LivingSituation.EMPTY_NEST if roll > 0.55
                    else LivingSituation.WITH_FAMILY
                )  # fmt: skip
                can_attend = not (age >= 85 and rng.random() < 0.5)
                mobility = (
                    "travel"
                    if can_attend and age < 85
                    else "nearby"
                    if can_attend
                    else "home"
                )
                critically_ill = age >= 80 and rng.random() < 0.03
                disabled = age >= 75 and rng.random() < 0.06
                hardship = rng.random() < 0.02
                roll = rng.random()
                reason = (
                    ArchiveReason.DECEASED if roll < 0.025
                    else ArchiveReason.TRANSFERRED_OUT if roll < 0.03
                    else ""
                )  # fmt: skip
                archived_on = (
                    datetime.date.fromordinal(today - rng.randint(1, VISIT_DAYS))
                    if reason
                    else None
                )
                if (
                    age >= 80 and living != LivingSituation.WITH_FAMILY
                ) or critically_ill:
                    tier = HIGH
                elif lixiu or disabled or hardship:
                    tier = PRIORITY
                else:
                    tier = GENERAL
                rank = RANKS[rng.randint(0, 3) if lixiu else rng.randint(2, 7)]
                name = (
                    SURNAMES[rng.randrange(len(SURNAMES))]
                    + (MALE_GIVEN if male else FEMALE_GIVEN)[rng.randrange(20)]
                )
                rows.append((
                    pk, name, name_initials(name), first17 + check_character(first17), "M" if male else "F", birth,
                    "汉族", f"13{rng.randint(100000000, 999999999)}", "", f"第{rng.randint(1, 300)}号",
                    Category.LIXIU if lixiu else Category.TUIXIU,
                    LixiuPeriod.LIBERATION_WAR if lixiu else "", rank, rank, "区属单位", None, "", "", "", None,
                    member, joined, "day", full, "day", status, branch, place.pk, living, None,
                    mobility, critically_ill, disabled, hardship, "", "",
                    CadreStatus.ARCHIVED if reason else CadreStatus.ACTIVE, reason, archived_on,
                    "外区街道党工委" if reason == ArchiveReason.TRANSFERRED_OUT else "", "",
                    ROSTER_SINCE, stamp, stamp, _pension(pk, lixiu),
                ))  # fmt: skip
                contacts.append((
                    pk, pk, 1, RELATIONS[rng.randrange(len(RELATIONS))],
                    SURNAMES[rng.randrange(len(SURNAMES))] + "某",
                    f"13{rng.randint(100000000, 999999999)}", "",
                ))  # fmt: skip
                self.c_branch.append(branch or 0)
                self.c_tier.append(tier)
                self.c_end.append(archived_on.toordinal() if archived_on else today)
                self.c_can_attend.append(can_attend)
                self.c_worker.append(place.worker_pk)
                self.c_township.append(place.township_index)
        self.count(Cadre, load_model(Cadre, CADRE_COLUMNS, rows))
        del rows
        self.count(FamilyContact, load_model(
            FamilyContact,
            ["id", "cadre_id", "position", "relation", "name", "phone", "phone2"],
            contacts,
        ))  # fmt: skip
