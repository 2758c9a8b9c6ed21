"""Points (党员积分, issue 17): each member's ledger recomputed from its sources —
idempotent (twice changes nothing; a corrected attendance corrects the points) and
never for a year the branch's review has locked — and manual awards, proposed by one
person and decided by another.

Sources are a registry (`POINT_SOURCES`): each takes (cadre ids, year) and yields
(cadre id, source key, date, units, note); the item's points are multiplied by the
units. Campaign service counts per service until its hours are recorded (a later
issue replaces the function, the ledger follows). Apps above add their own sources
with `register_point_source` (services: volunteering through matched requests)."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.models import OrgUnit, StaffRole, UnitKind
from grids.selectors import has_role_over, scope_of
from members.dates import whole_years
from members.models import Cadre, Mobility

from ..models import (
    TAKING_PART,
    Attendance,
    AttendanceStatus,
    AwardStatus,
    BranchReview,
    CampaignService,
    Expected,
    PointsAward,
    PointsEntry,
    PointsItem,
    PointsScheme,
    PointsSource,
    RecordStatus,
    ReviewStatus,
)

Row = tuple[int, str, datetime.date, float, str]  # cadre, key, date, units, note


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=tz),
        datetime.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def _attendance(cadre_ids, year):
    start, end = _year_bounds(year)
    return (
        Attendance.objects.filter(
            cadre_id__in=cadre_ids, activity__status=RecordStatus.SUBMITTED,
            activity__starts_at__gte=start, activity__starts_at__lt=end,
        )
        .exclude(activity__kind__expected=Expected.OPEN)
        .values_list("pk", "cadre_id", "status", "activity__starts_at", "activity__kind__name",
                     "activity__kind__study_hours", "activity__duration_minutes")
    )  # fmt: skip


def _day(moment) -> datetime.date:
    return timezone.localtime(moment).date()


def took_part(cadre_ids, year) -> Iterable[Row]:
    for pk, cadre, status, at, kind, _study, _minutes in _attendance(cadre_ids, year):
        if status in TAKING_PART:
            yield cadre, f"attendance:{pk}", _day(at), 1, kind


def study_class(cadre_ids, year) -> Iterable[Row]:
    for pk, cadre, status, at, kind, study, _minutes in _attendance(cadre_ids, year):
        if study and status in TAKING_PART:
            yield cadre, f"attendance:{pk}", _day(at), 1, kind


def absent(cadre_ids, year) -> Iterable[Row]:
    for pk, cadre, status, at, kind, _study, _minutes in _attendance(cadre_ids, year):
        if status == AttendanceStatus.ABSENT:
            yield cadre, f"attendance:{pk}", _day(at), 1, kind


def study_hours(cadre_ids, year) -> Iterable[Row]:
    for pk, cadre, status, at, kind, study, minutes in _attendance(cadre_ids, year):
        if study and minutes and status in TAKING_PART:
            yield cadre, f"attendance:{pk}", _day(at), minutes / 60, kind


def campaign_service(cadre_ids, year) -> Iterable[Row]:
    rows = CampaignService.objects.filter(
        Q(end_on__isnull=True) | Q(end_on__gte=datetime.date(year, 1, 1)),
        cadre_id__in=cadre_ids,
        start_on__lte=datetime.date(year, 12, 31),
    ).values_list("pk", "cadre_id", "start_on", "role__name", "role__campaign__name")
    for pk, cadre, start, role, campaign in rows:
        yield (
            cadre,
            f"campaign:{pk}",
            max(start, datetime.date(year, 1, 1)),
            1,
            f"{campaign}·{role}",
        )


POINT_SOURCES: dict[str, Callable[[list[int], int], Iterable[Row]]] = {
    PointsSource.TOOK_PART: took_part,
    PointsSource.STUDY_CLASS: study_class,
    PointsSource.ABSENT: absent,
    PointsSource.STUDY_HOUR: study_hours,
    PointsSource.CAMPAIGN: campaign_service,
}


def register_point_source(source: str, rows: Callable[[list[int], int], Iterable[Row]]):
    """A source an app above registers in its ready() (services: the requests a
    cadre did as a volunteer); the ledger follows at the next recompute."""
    POINT_SOURCES[source] = rows
    return rows


# ---- schemes and exemptions --------------------------------------------------------


def schemes_for(branch_ids: Iterable[int], year: int) -> dict[int, PointsScheme]:
    """Branch id → its scheme for the year: its own, else its township's. Three
    queries for any number of branches."""
    branch_ids = set(branch_ids) - {None}
    branches = OrgUnit.objects.filter(pk__in=branch_ids).values_list(
        "pk", "tree_id", "lft"
    )
    schemes = list(
        PointsScheme.objects.filter(year=year)
        .select_related("unit")
        .prefetch_related("items", "exempt_cadres")
    )
    own = {s.unit_id: s for s in schemes}
    townships = [s for s in schemes if s.unit.kind == UnitKind.TOWNSHIP]
    found = {}
    for pk, tree_id, lft in branches:
        if pk in own:
            found[pk] = own[pk]
            continue
        for s in townships:
            if s.unit.tree_id == tree_id and s.unit.lft <= lft <= s.unit.rght:
                found[pk] = s
    return found


def is_exempt(cadre: Cadre, scheme: PointsScheme, year: int) -> bool:
    if not hasattr(scheme, "_exempt_ids"):  # once per scheme, not per member
        scheme._exempt_ids = {c.pk for c in scheme.exempt_cadres.all()}
    if cadre.pk in scheme._exempt_ids:
        return True
    january = datetime.date(year, 1, 1)
    if (
        scheme.exempt_age
        and cadre.birth_date
        and whole_years(cadre.birth_date, january) >= scheme.exempt_age
    ):
        return True
    if scheme.exempt_mobility == Mobility.HOME:
        return cadre.mobility == Mobility.HOME
    if scheme.exempt_mobility == Mobility.NEARBY:
        return cadre.mobility in (Mobility.NEARBY, Mobility.HOME)
    return False


def locked_branches(branch_ids: Iterable[int], year: int) -> set[int]:
    return set(
        BranchReview.objects.filter(
            branch_id__in=list(branch_ids), year=year, status=ReviewStatus.SUBMITTED
        ).values_list("branch_id", flat=True)
    )


# ---- recomputation -------------------------------------------------------------------


def _desired(cadres, schemes, year) -> dict[tuple[int, int, str], tuple]:
    """(cadre, item, key) → (date, points, note), caps applied in date order."""
    ids = [c.pk for c in cadres]
    scored = {c.pk: schemes[c.branch_id] for c in cadres}
    raw: dict[tuple[int, int], list] = defaultdict(list)  # (cadre, item) → rows
    items_by_source: dict[int, dict[str, list[PointsItem]]] = {}
    for scheme in {id(s): s for s in scored.values()}.values():
        by_source = defaultdict(list)
        for item in scheme.items.all():
            by_source[item.source].append(item)
        items_by_source[scheme.pk] = by_source
    for source, rows in POINT_SOURCES.items():
        if not any(items_by_source[s.pk].get(source) for s in scored.values()):
            continue
        for cadre, key, on, units, note in rows(ids, year):
            for item in items_by_source[scored[cadre].pk].get(source, ()):
                raw[(cadre, item.pk)].append(
                    (on, key, round(item.points * units), note, item)
                )
    for award in PointsAward.objects.filter(
        cadre_id__in=ids, year=year, status=AwardStatus.APPROVED
    ).select_related("item"):
        if award.item.scheme_id == scored[award.cadre_id].pk:
            raw[(award.cadre_id, award.item_id)].append(
                (award.decided_at.date() if award.decided_at else datetime.date(year, 12, 31),
                 f"award:{award.pk}", award.points, award.reason[:200], award.item)
            )  # fmt: skip
    desired = {}
    for (cadre, item_pk), rows in raw.items():
        total = 0
        for on, key, points, note, item in sorted(rows, key=lambda r: (r[0], r[1])):
            if item.cap_per_year is not None:
                room = item.cap_per_year - abs(total)
                points = max(-room, min(room, points)) if room > 0 else 0
                if points == 0 and room <= 0:
                    reached = _("the yearly cap is reached")
                    note = f"{note}（{reached}）"[:200]
            total += points
            desired[(cadre, item_pk, key)] = (on, points, note)
    return desired


@transaction.atomic
def points_recompute(cadre_ids: Iterable[int], year: int) -> dict[str, int]:
    """Bring the members' ledgers for `year` in line with their sources; members of a
    branch whose review for the year is submitted are left as they are."""
    cadres = list(
        Cadre.objects.filter(pk__in=list(cadre_ids), branch__isnull=False).only(
            "pk", "branch_id", "birth_date", "mobility"
        )
    )
    schemes = schemes_for({c.branch_id for c in cadres}, year)
    locked = locked_branches(schemes, year)
    cadres = [c for c in cadres if c.branch_id in schemes and c.branch_id not in locked]
    counts = {"created": 0, "updated": 0, "deleted": 0}
    if not cadres:
        return counts
    scored = [c for c in cadres if not is_exempt(c, schemes[c.branch_id], year)]
    desired = _desired(scored, schemes, year) if scored else {}
    existing = {
        (e.cadre_id, e.item_id, e.source_key): e
        for e in PointsEntry.objects.filter(
            cadre_id__in=[c.pk for c in cadres], year=year
        )
    }
    create, update = [], []
    for key, (on, points, note) in desired.items():
        entry = existing.pop(key, None)
        if entry is None:
            create.append(PointsEntry(cadre_id=key[0], item_id=key[1], source_key=key[2],
                                      year=year, on=on, points=points, note=note))  # fmt: skip
        elif (entry.on, entry.points, entry.note) != (on, points, note):
            entry.on, entry.points, entry.note = on, points, note
            update.append(entry)
    PointsEntry.objects.bulk_create(create, batch_size=5000)
    PointsEntry.objects.bulk_update(update, ["on", "points", "note"], batch_size=5000)
    if existing:
        PointsEntry.objects.filter(pk__in=[e.pk for e in existing.values()]).delete()
    counts.update(created=len(create), updated=len(update), deleted=len(existing))
    return counts


# ---- manual awards -----------------------------------------------------------------


def _ensure_open(cadre: Cadre, year: int) -> None:
    if cadre.branch_id and locked_branches([cadre.branch_id], year):
        raise ValidationError(
            _("The branch's review of %d is submitted: its points are locked.") % year
        )


MAX_AWARD = 100  # points, either way, for one manual award
PROPOSER_ROLES = (StaffRole.BRANCH_SECRETARY, StaffRole.COMMUNITY_WORKER,
                  StaffRole.TOWNSHIP_OFFICER, StaffRole.ADMINISTRATOR)  # fmt: skip


@transaction.atomic
def award_propose(*, cadre: Cadre, year: int, item: PointsItem, reason: str, by,
                  points: int | None = None) -> PointsAward:  # fmt: skip
    if item.source != PointsSource.MANUAL:
        raise ValidationError(_("Only manual items are proposed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the points.")})
    units = [cadre.branch, cadre.residence_unit]
    if not has_role_over(by, units, PROPOSER_ROLES) or scope_of(by).writable().is_empty:
        raise ValidationError(_("You may not propose points for this member."))
    points = item.points if points is None else points
    if not -MAX_AWARD <= points <= MAX_AWARD:
        raise ValidationError(
            {
                "points": _("An award is between −%(max)d and %(max)d points.")
                % {"max": MAX_AWARD}
            }
        )
    _ensure_open(cadre, year)
    return PointsAward.objects.create(
        cadre=cadre, year=year, item=item, reason=reason.strip()[:200], proposed_by=by,
        points=points,
    )  # fmt: skip


def may_decide(user, award: PointsAward) -> bool:
    """Never the proposer; the branch secretary, or — when a secretary proposed — a
    township officer (officers and administrators may always decide)."""
    if user.pk == award.proposed_by_id:
        return False
    branch = award.cadre.branch
    officer = has_role_over(
        user, [branch], (StaffRole.TOWNSHIP_OFFICER, StaffRole.ADMINISTRATOR)
    )
    if officer:
        return True
    proposer_is_secretary = has_role_over(
        award.proposed_by, [branch], (StaffRole.BRANCH_SECRETARY,)
    )
    return not proposer_is_secretary and has_role_over(
        user, [branch], (StaffRole.BRANCH_SECRETARY,)
    )


@transaction.atomic
def award_decide(*, award: PointsAward, approve: bool, by) -> PointsAward:
    if award.status != AwardStatus.PROPOSED:
        raise ValidationError(_("This proposal is already decided."))
    if by.pk == award.proposed_by_id:
        raise ValidationError(_("The proposer cannot decide their own proposal."))
    if not may_decide(by, award):
        raise ValidationError(_("You may not decide this proposal."))
    _ensure_open(award.cadre, award.year)
    award.status = AwardStatus.APPROVED if approve else AwardStatus.REJECTED
    award.decided_by, award.decided_at = by, timezone.now()
    award.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    points_recompute([award.cadre_id], award.year)
    return award


def points_recompute_unit(unit: OrgUnit, year: int, batch: int = 2000) -> dict[str, int]:
    """Recompute every member of a unit's branches for a year (after a scheme
    changed), in batches."""
    ids = list(
        Cadre.objects.filter(
            branch__tree_id=unit.tree_id, branch__lft__gte=unit.lft, branch__rght__lte=unit.rght
        ).values_list("pk", flat=True).order_by("pk")
    )  # fmt: skip
    total = {"created": 0, "updated": 0, "deleted": 0}
    for start in range(0, len(ids), batch):
        for key, value in points_recompute(ids[start : start + batch], year).items():
            total[key] += value
    return total
