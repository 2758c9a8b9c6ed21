"""Importing meeting records from a township's 台账 (issue 16): one row per meeting,
the people in columns by their status. The same flow as the roster import: the
/imports/ page (template, check, errors by row and column, confirm) and
`manage.py import_meetings`. All-or-nothing unless skip_invalid.

Each person column lists names separated by 、，,；; or spaces; a name shared in the
branch carries its ID tail in brackets, 王建国(0012) or 王建国（0012）. A name not found
among the branch's members on that date is a row error; a member named in no column
is taken as absent — or as unable when at home only or in hospital — with a warning.
A meeting already recorded (same branch, kind, date and group) is skipped, so a
corrected file can be imported again."""

import datetime
import re
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from grids.datebounds import date_bound_error
from grids.models import OrgUnit, UnitKind
from grids.selectors import scope_of
from members.imports.sheets import sheet_rows, write_plans
from members.roster.columns import Column, normalize_header
from members.roster.importer import ImportResult, Issue
from members.roster.parsing import CellError, norm, parse_date, text
from members.roster.units import UnitLookup

from .models import Activity, AttendanceStatus, Expected, MeetingKind
from .services.meetings import attendance_proposal, meeting_record

S = AttendanceStatus
PEOPLE = (
    ("present", "出席", ("出席人员", "参加人员", "到会人员", "实到人员"), S.PRESENT),
    ("on_leave", "请假", ("请假人员",), S.ON_LEAVE),
    ("absent", "缺席", ("缺席人员", "未到人员"), S.ABSENT),
    ("at_home", "送学上门", ("送学上门人员",), S.AT_HOME),
    ("remote", "远程参加", ("远程参加人员", "线上参加"), S.REMOTE),
    ("unable", "因病不计", ("因病不计入应到", "因病住院"), S.UNABLE),
)
MEETING_COLUMNS: tuple[Column, ...] = (
    Column("branch", "所属支部", ("党支部", "支部", "所在支部", "所属党支部"), "unit", "必填：支部名称、代码或路径"),
    Column("kind", "会议类型", ("会议名称", "类型", "活动类型"), "choice", "如 支部党员大会、支委会、党小组会、党课、主题党日"),
    Column("date", "召开日期", ("日期", "会议日期", "时间", "召开时间"), "date", "必填，如 2026-08-15"),
    Column("topic", "主题", ("会议主题", "内容", "议题"), note="不填时取会议类型"),
    Column("host", "主持人", ()),
    Column("recorder", "记录人", ()),
    Column("party_group", "所属党小组", ("党小组",), "unit", "党小组会必填"),
    Column("place", "地点", ("会议地点",)),
    Column("duration", "时长（分钟）", ("时长", "学时（分钟）"), note="远教、电教片、党课计入学时"),
    *(Column(key, header, synonyms, note="多个姓名用“、”分隔；同名加身份证后四位，如 王建国(0012)")
      for key, header, synonyms, _status in PEOPLE),
)  # fmt: skip
MEETING_INDEX = {
    normalize_header(n): c for c in MEETING_COLUMNS for n in (c.header, *c.synonyms)
}
_NAMES = re.compile(r"[、，,；;\s\u3000]+")
_TAIL = re.compile(r"^(?P<name>.+?)[(（](?P<tail>[0-9Xx]{4})[)）]$")


def split_names(cell) -> list[str]:
    return [part for part in _NAMES.split(text(cell)) if part]


class MeetingImport:
    modes = ("create",)

    def __init__(self, *, user, mode="create", progress=None):
        if mode not in self.modes:
            raise ValueError(f"mode must be one of {self.modes}")
        self.user = user
        self.progress = progress
        self.units = UnitLookup(scope=scope_of(user))
        self.today = timezone.localdate()
        self.kinds = {}
        for kind in MeetingKind.objects.filter(is_active=True):
            self.kinds[kind.name] = self.kinds[kind.code] = kind
        self._proposals = {}
        self._unit_objs: dict[int, OrgUnit] = {}

    def run(
        self, source, *, dry_run=False, skip_invalid=False, file_name=""
    ) -> ImportResult:
        result, rows = sheet_rows(
            source, MEETING_INDEX, ("branch", "kind", "date"), progress=self.progress
        )
        plans, seen = [], {}
        for row in rows:
            plan = self._check(row, result)
            if row.errors or plan is None:
                continue
            key = (plan["branch"].pk, plan["kind"].code, plan["day"], plan["group_id"])
            if key in seen:
                row.error("date", _("The same meeting is already on row %d of this file.")
                          % seen[key])  # fmt: skip
                continue
            seen[key] = row.number
            if self._recorded(key):
                result.skipped += 1
            else:
                result.created += 1
                plans.append(plan)
        if dry_run or (result.errors and not skip_invalid):
            return result
        write_plans(result, plans, kind="meeting_import", user=self.user,
                    file_name=file_name, write=self._write)  # fmt: skip
        return result

    def _write(self, plan, bulk) -> None:
        activity = meeting_record(
            branch=plan["branch"], kind=plan["kind"], starts_at=plan["starts_at"],
            topic=plan["topic"], statuses=plan["statuses"], party_group=plan["group"],
            host=plan["host"], recorder=plan["recorder"], place=plan["place"],
            duration_minutes=plan["duration"], by=self.user,
        )  # fmt: skip
        bulk.add(object_type="activity", object_id=activity.pk, action="create",
                 changes={"row": plan["number"], "kind": plan["kind"].code,
                          "date": plan["day"].isoformat(),
                          "attendance": len(plan["statuses"])})  # fmt: skip

    def _recorded(self, key) -> bool:
        branch, kind, day, group = key
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        return Activity.objects.filter(
            unit_id=branch, kind_id=kind, party_group_id=group,
            starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1),
        ).exists()  # fmt: skip

    def _check(self, row, result) -> dict | None:
        values, error = row.values, row.error
        branch = kind = day = group = None
        try:
            found = self.units.find(text(values.get("branch")), (UnitKind.BRANCH,))
            branch = self.units_obj(found.pk)
        except ValueError as exc:
            error(
                "branch",
                str(exc) if text(values.get("branch")) else _("The branch is missing."),
            )
        kind = self.kinds.get(norm(values.get("kind")))
        if kind is None:
            names = "、".join(
                k.name for k in {k.pk: k for k in self.kinds.values()}.values()
            )
            error("kind", _("Unknown meeting kind: %(value)s (one of: %(names)s)")
                  % {"value": text(values.get("kind")) or "—", "names": names})  # fmt: skip
        try:
            parsed = parse_date(values.get("date"))
            day = parsed[0] if parsed else None
            if day is None:
                error("date", _("The date of the meeting is missing."))
            elif problem := date_bound_error(day, "event", self.today):
                error("date", problem)
                day = None
        except CellError as exc:
            error("date", str(exc))
        if branch and kind and kind.expected == Expected.GROUP:
            try:
                group = self.units_obj(
                    self.units.group_of(branch.pk, text(values.get("party_group"))).pk
                )
            except ValueError as exc:
                error("party_group", str(exc))
        duration = None
        if text(values.get("duration")):
            try:
                duration = int(float(text(values.get("duration"))))
                if not 1 <= duration <= 1440:
                    raise ValueError
            except ValueError:
                error("duration", _("A duration is 1 to 1,440 minutes."))
        if row.errors or not (branch and kind and day):
            return None
        statuses = self._people(row, branch, kind, day, group, result)
        if row.errors:
            return None
        return {
            "number": row.number, "branch": branch, "kind": kind, "day": day,
            "group": group, "group_id": group.pk if group else None,
            "starts_at": timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))),
            "topic": text(values.get("topic"))[:200] or kind.name,
            "host": text(values.get("host"))[:50], "recorder": text(values.get("recorder"))[:50],
            "place": text(values.get("place"))[:150], "duration": duration,
            "statuses": statuses,
        }  # fmt: skip

    def units_obj(self, pk: int) -> OrgUnit:
        if pk not in self._unit_objs:
            self._unit_objs[pk] = OrgUnit.objects.get(pk=pk)
        return self._unit_objs[pk]

    def _people(self, row, branch, kind, day, group, result) -> dict[int, str]:
        key = (branch.pk, kind.code, day, group.pk if group else None)
        if key not in self._proposals:
            self._proposals[key] = attendance_proposal(branch, kind, day, group)
        proposal = self._proposals[key]
        by_name = defaultdict(list)
        for p in proposal:
            by_name[p.cadre.name].append(p.cadre)
        statuses: dict[int, str] = {}
        for column, _header, _synonyms, status in PEOPLE:
            for written in split_names(row.values.get(column)):
                match = _TAIL.match(written)
                name, tail = (
                    (match["name"], match["tail"].upper()) if match else (written, "")
                )
                found = by_name.get(name, [])
                if tail:
                    found = [c for c in found if c.id_number.endswith(tail)]
                if not found:
                    row.error(column, _("%(name)s is not a member of %(branch)s on %(date)s.")
                              % {"name": written, "branch": branch.name, "date": day.isoformat()})  # fmt: skip
                elif len(found) > 1:
                    row.error(column, _("%(name)s is shared by %(n)d members: add the last four "
                                        "characters of the ID number, e.g. %(name)s(0012).")
                              % {"name": name, "n": len(found)})  # fmt: skip
                elif found[0].pk in statuses:
                    row.error(column, _("%s is named in two columns.") % written)
                else:
                    statuses[found[0].pk] = status
        unlisted = [p for p in proposal if p.cadre.pk not in statuses]
        if unlisted and not row.errors:
            for p in unlisted:
                statuses[p.cadre.pk] = S.UNABLE if p.status == S.UNABLE else S.ABSENT
            names = "、".join(
                f"{p.cadre.name}（{'因病不计' if p.status == S.UNABLE else '缺席'}）"
                for p in unlisted
            )
            result.warnings.append(Issue(
                row.number, "", names, _("Members named in no column were taken as shown.")
            ))  # fmt: skip
        return statuses


def import_meetings(source, *, user, mode="create", dry_run=False, skip_invalid=False,
                    file_name="", progress=None, unit=None) -> ImportResult:  # fmt: skip
    return MeetingImport(user=user, mode=mode, progress=progress).run(
        source, dry_run=dry_run, skip_invalid=skip_invalid, file_name=file_name
    )
