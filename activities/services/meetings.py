"""Recording a meeting (issue 16): the attendance proposal from the branch's members
on the meeting date, the record with its expected list fixed, draft → submitted,
corrections by officers (auditlog keeps the history), and 送学上门 marking a member
as having taken part at home."""

import datetime
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.models import OrgUnit, UnitKind
from members.models import Cadre, Mobility
from members.selectors import branch_members_on

from ..hooks import unable_on
from ..models import (
    TAKING_PART,
    Activity,
    Attendance,
    AttendanceStatus,
    Expected,
    MeetingKind,
    RecordStatus,
)
from ..selectors.core import committee_of
from .attachments import meeting_attach
from .points import points_recompute
from .upcoming import leave_for

# Why a member is proposed as unable (因病或住院不计入应到).
AT_HOME_ONLY = "只能在家"
IN_HOSPITAL = "住院"


@dataclass
class Proposed:
    cadre: Cadre
    status: str
    reason: str = ""


def expected_members(
    branch: OrgUnit, kind: MeetingKind, on: datetime.date, group: OrgUnit | None = None
) -> list[Cadre]:
    """Who is expected at a meeting of `kind` on `on`: the branch's members that day,
    its committee in office, or the members of one party group."""
    if kind.expected == Expected.OPEN:
        return []
    members = branch_members_on(branch, on)
    if kind.expected == Expected.COMMITTEE:
        committee = committee_of(branch, on)
        seated = {m.cadre_id for m in committee.members.all()} if committee else set()
        return [c for c in members if c.pk in seated]
    if kind.expected == Expected.GROUP:
        return [c for c in members if group is not None and c.party_group_id == group.pk]
    return members


def attendance_proposal(
    branch: OrgUnit, kind: MeetingKind, on: datetime.date, group: OrgUnit | None = None
) -> list[Proposed]:
    """The proposed attendance: everyone expected is present, except members whose
    mobility is "at home only" or who were in hospital that day (a registered hook):
    they are proposed as unable; and members who asked leave of the meeting announced
    for that day: on leave, with their reason. An officer may override any of it."""
    members = expected_members(branch, kind, on, group)
    hospital = unable_on([c.pk for c in members], on)
    leave = leave_for(branch, kind, on)
    proposed = []
    for cadre in members:
        if cadre.pk in hospital:
            proposed.append(Proposed(cadre, AttendanceStatus.UNABLE, IN_HOSPITAL))
        elif cadre.pk in leave:  # asked ahead (会议预告, issue 23)
            proposed.append(Proposed(cadre, AttendanceStatus.ON_LEAVE, leave[cadre.pk]))
        elif cadre.mobility == Mobility.HOME:
            proposed.append(Proposed(cadre, AttendanceStatus.UNABLE, AT_HOME_ONLY))
        else:
            proposed.append(Proposed(cadre, AttendanceStatus.PRESENT))
    return proposed


def activity_counts_refresh(activities) -> None:
    """Store each meeting's expected and took-part counts from its rows (kept with
    the record, so pages and reports sum meetings, not millions of rows)."""
    ids = [a.pk for a in activities]
    counts = {
        row["activity_id"]: row
        for row in Attendance.objects.filter(activity_id__in=ids)
        .values("activity_id")
        .annotate(
            expected=Count("pk", filter=~Q(status=AttendanceStatus.UNABLE)),
            took=Count("pk", filter=Q(status__in=TAKING_PART)),
        )
    }
    for activity in activities:
        row = counts.get(activity.pk, {})
        activity.expected_count = row.get("expected", 0)
        activity.took_part_count = row.get("took", 0)
    Activity.objects.bulk_update(activities, ["expected_count", "took_part_count"])


def activity_counts_refresh_all() -> int:
    """The same for every meeting in one UPDATE … FROM a grouped count (bulk loads:
    a hash aggregate, no index needed; PostgreSQL and SQLite ≥ 3.33)."""
    activity, attendance = Activity._meta.db_table, Attendance._meta.db_table
    taking = ", ".join(["%s"] * len(TAKING_PART))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {activity} SET expected_count = c.expected, took_part_count = c.took
                FROM (SELECT activity_id,
                             SUM(CASE WHEN status <> %s THEN 1 ELSE 0 END) AS expected,
                             SUM(CASE WHEN status IN ({taking}) THEN 1 ELSE 0 END) AS took
                      FROM {attendance} GROUP BY activity_id) AS c
                WHERE {activity}.id = c.activity_id""",
            [AttendanceStatus.UNABLE, *TAKING_PART],
        )
        return cursor.rowcount


def _points_follow(activity: Activity, cadre_ids) -> None:
    """The members' points follow their attendance (unless the year is locked)."""
    points_recompute(cadre_ids, timezone.localtime(activity.starts_at).year)


def _check_statuses(statuses: Mapping[int, str]) -> None:
    bad = sorted({s for s in statuses.values() if s not in AttendanceStatus.values})
    if bad:
        raise ValidationError(_("Unknown attendance status: %s") % "、".join(bad))


def _kind(kind: MeetingKind | str) -> MeetingKind:
    if isinstance(kind, MeetingKind):
        return kind
    found = MeetingKind.objects.filter(code=kind).first()
    if found is None:
        raise ValidationError({"kind": _("Unknown meeting kind: %s") % kind})
    return found


@transaction.atomic
def meeting_record(
    *,
    branch: OrgUnit,
    kind: MeetingKind | str,
    starts_at: datetime.datetime,
    topic: str,
    statuses: Mapping[int, str] | None = None,
    notes: Mapping[int, str] | None = None,
    party_group: OrgUnit | None = None,
    partners: Iterable = (),
    submit: bool = True,
    client_token: uuid.UUID | str | None = None,
    attachments: Iterable = (),
    by=None,
    **fields,
) -> Activity:
    """Record a meeting of a branch with its attendance. The expected list (应到) is
    the proposal at the meeting date, fixed with the record; `statuses` overrides
    the proposed status of any expected member (by cadre id). Sent twice with the
    same `client_token`, it is recorded once (the first record is returned)."""
    if client_token:
        existing = Activity.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing
    kind = _kind(kind)
    statuses, notes = dict(statuses or {}), dict(notes or {})
    _check_statuses(statuses)
    if branch.kind != UnitKind.BRANCH:
        raise ValidationError(_("Meetings are recorded for a party branch."))
    if not kind.is_active:
        raise ValidationError({"kind": _("This meeting kind is no longer in use.")})
    if kind.expected == Expected.GROUP:
        if party_group is None or party_group.parent_id != branch.pk:
            raise ValidationError(
                {"party_group": _("Choose the party group of this branch that met.")}
            )
    else:
        party_group = None
    activity = Activity(
        kind=kind, unit=branch, party_group=party_group, starts_at=starts_at,
        topic=topic, created_by=by, client_token=client_token,
        status=RecordStatus.SUBMITTED if submit else RecordStatus.DRAFT, **fields,
    )  # fmt: skip
    activity.full_clean(exclude=["client_token"])
    day = timezone.localtime(starts_at).date()
    proposal = attendance_proposal(branch, kind, day, party_group)
    expected = {p.cadre.pk for p in proposal}
    stray = [pk for pk in statuses if pk not in expected]
    if stray and kind.expected != Expected.OPEN:
        names = Cadre.objects.filter(pk__in=stray).values_list("name", flat=True)
        raise ValidationError(
            _("Not expected at this meeting on that date: %s")
            % ("、".join(names) or stray)
        )
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:
        if client_token and (
            first := Activity.objects.filter(client_token=client_token).first()
        ):
            return first  # the same form, sent again at the same moment
        raise
    if partners:
        activity.partners.set(partners)
    rows = [
        Attendance(
            activity=activity,
            cadre_id=p.cadre.pk,
            status=statuses.get(p.cadre.pk, p.status),
            note=notes.get(p.cadre.pk, p.reason if p.cadre.pk not in statuses else ""),
        )
        for p in proposal
    ]
    if kind.expected == Expected.OPEN:
        rows = [
            Attendance(activity=activity, cadre_id=pk, status=s, note=notes.get(pk, ""))
            for pk, s in statuses.items()
        ]
    Attendance.objects.bulk_create(rows)
    activity_counts_refresh([activity])
    _points_follow(activity, [r.cadre_id for r in rows])
    if attachments:
        meeting_attach(activity=activity, uploads=attachments)
    return activity


@transaction.atomic
def meeting_update(
    activity: Activity,
    *,
    statuses: Mapping[int, str] | None = None,
    notes: Mapping[int, str] | None = None,
    submit: bool | None = None,
    **fields,
) -> Activity:
    """Change a record: its fields and the status of members on its expected list
    (the list itself stays as recorded). auditlog keeps every change."""
    statuses, notes = dict(statuses or {}), dict(notes or {})
    _check_statuses(statuses)
    for name, value in fields.items():
        setattr(activity, name, value)
    if submit is not None:
        activity.status = RecordStatus.SUBMITTED if submit else RecordStatus.DRAFT
    activity.full_clean(exclude=["client_token", "kind", "unit"])
    activity.save()
    rows = {a.cadre_id: a for a in activity.attendances.all()}
    stray = [pk for pk in statuses if pk not in rows]
    if stray:
        raise ValidationError(
            _("Only members on the meeting's expected list can be marked.")
        )
    changed = []
    for pk, status in statuses.items():
        row = rows[pk]
        note = notes.get(pk, row.note)
        if (row.status, row.note) != (status, note):
            row.status, row.note = status, note
            row.save(update_fields=["status", "note"])  # one auditlog entry per row
            changed.append(row)
    if changed:
        activity_counts_refresh([activity])
        _points_follow(activity, [r.cadre_id for r in changed])
    return activity


@transaction.atomic
def study_delivered(*, activity: Activity, cadre_ids: Iterable[int]) -> int:
    """送学上门 after a meeting: the members reached at home took part at home."""
    rows = list(
        Attendance.objects.filter(
            activity=activity,
            cadre_id__in=list(cadre_ids),
            status__in=(AttendanceStatus.UNABLE, AttendanceStatus.ABSENT),
        )
    )
    for row in rows:
        row.status = AttendanceStatus.AT_HOME
        row.save(update_fields=["status"])
    if rows:
        activity_counts_refresh([activity])
        _points_follow(activity, [r.cadre_id for r in rows])
    return len(rows)
