"""The cross-field rules of a cadre's dossier, stated once.

`Cadre.clean` (and so every form, the admin and the services) and the roster import
(per row, on plain dicts, at its speed) both call `dossier_complete` for the
defaults that follow from other values and `dossier_problems` for the rules across
fields. `values` is a mapping with the model's field names (`branch_id`,
`residence_unit_id`, …); a rule reads only what it needs, and each is a plain
function of the values, so the import runs them per row without a model instance.
A rule is added by adding a function to `DOSSIER_RULES`: it takes the values and
returns its (field, message) problems, an empty sequence when there are none.

Rules of a single field (an ID number's check character, a date's bounds, a unit's
kind) stay with the field; these are the ones that relate several.
"""

import datetime
from collections.abc import Callable, Mapping, Sequence

from django.utils.translation import gettext as _

from .dates import DatePrecision, truncate
from .models.choices import ArchiveReason, CadreStatus, Category, MemberStatus

Problem = tuple[str, str]  # (field, message)

# A party member without 转正 whose 入党 is more recent than this is probationary
# unless the status is given (DOMAIN.md: probation is a year, and can be extended).
PROBATION_DEFAULT_DAYS = 3 * 365


# ---- defaults that follow from other values ----------------------------------------


def default_member_status(values: Mapping, today: datetime.date) -> str:
    """The status of a party member when none is given: probationary when 转正 is
    missing and 入党 is recent, otherwise full."""
    joined = values.get("joined_party_on")
    if (
        joined
        and not values.get("full_member_on")
        and (today - joined).days < PROBATION_DEFAULT_DAYS
    ):
        return MemberStatus.PROBATIONARY
    return MemberStatus.FULL


def dossier_complete(values: dict, today: datetime.date) -> dict:
    """Fill, in place, what follows from the other values: a party member's default
    status; no status for a non-member. Returns `values`."""
    if values.get("is_party_member"):
        if not values.get("member_status"):
            values["member_status"] = default_member_status(values, today)
    else:
        values["member_status"] = ""
    return values


# ---- the rules across fields ----------------------------------------------------------


_NONE: tuple = ()  # a rule that finds nothing returns this (no allocation per row)


def _coarser(joined_precision: str, full_precision: str) -> str:
    if DatePrecision.YEAR in (joined_precision, full_precision):
        return DatePrecision.YEAR
    if DatePrecision.MONTH in (joined_precision, full_precision):
        return DatePrecision.MONTH
    return DatePrecision.DAY


def party_data_rule(values: Mapping) -> Sequence[Problem]:
    """Members: a branch while on the roster, no 转正 while probationary, 转正 not
    before 入党 (compared to the coarser precision given). Non-members: no party data."""
    get = values.get
    found: list[Problem] = []
    if get("is_party_member"):
        if (
            not get("branch_id")
            and get("status", CadreStatus.ACTIVE) == CadreStatus.ACTIVE
        ):
            found.append(
                ("branch", _("An active party member belongs to a party branch."))
            )
        full, joined = get("full_member_on"), get("joined_party_on")
        if full and get("member_status") == MemberStatus.PROBATIONARY:
            found.append(
                (
                    "full_member_on",
                    _("A probationary member has no full-membership date yet."),
                )
            )
        if joined and full:
            precision = _coarser(
                get("joined_party_precision") or DatePrecision.DAY,
                get("full_member_precision") or DatePrecision.DAY,
            )
            if precision != DatePrecision.DAY:  # most dates are known to the day
                joined, full = truncate(joined, precision), truncate(full, precision)
            if full < joined:
                found.append(
                    ("full_member_on",
                     _("Full membership (转正) cannot come before admission (入党)."))
                )  # fmt: skip
    else:
        for field in ("branch_id", "joined_party_on", "full_member_on"):
            if get(field):
                found.append(
                    (field.removesuffix("_id"),
                     _("Only party members have party data; clear this field."))
                )  # fmt: skip
    return found or _NONE


def lixiu_period_rule(values: Mapping) -> Sequence[Problem]:
    """The revolution period only for 离休 cadres (DOMAIN.md, "The people")."""
    if values.get("lixiu_period") and values.get("category") != Category.LIXIU:
        return [("lixiu_period", _("Only lixiu cadres have a revolution period."))]
    return _NONE


def archive_rule(values: Mapping) -> Sequence[Problem]:
    """Archived ⇔ a reason and a date; a transfer out names where to."""
    get = values.get
    if get("status") == CadreStatus.ARCHIVED:
        found: list[Problem] = []
        if not get("archive_reason"):
            found.append(("archive_reason", _("Say why the cadre is archived.")))
        if not get("archived_on"):
            found.append(("archived_on", _("Give the date of the archiving.")))
        if (
            get("archive_reason") == ArchiveReason.TRANSFERRED_OUT
            and not (get("transferred_to") or "").strip()
        ):
            found.append(("transferred_to", _("Say where the cadre was transferred to.")))
        return found
    if get("archive_reason") or get("archived_on"):
        return [("status", _("An active cadre has no archive reason or date."))]
    return _NONE


DOSSIER_RULES: list[Callable[[Mapping], Sequence[Problem]]] = [
    party_data_rule,
    lixiu_period_rule,
    archive_rule,
]


def dossier_problems(values: Mapping) -> list[Problem]:
    """(field, message) of every cross-field rule the values break. Each rule is a
    function of the values returning its problems (an empty sequence when none)."""
    found: list[Problem] = []
    for rule in DOSSIER_RULES:
        problems = rule(values)
        if problems:
            found.extend(problems)
    return found
