"""The party-life report of a unit for a period (`party_life_report`, the pages'
exports): per branch the rules met and missed, the participation counts and rate,
and per member expected / took part. A fixed number of queries for any unit."""

import datetime
from collections import defaultdict

from django.db import connection
from django.db.models import Count, Q

from grids.models import OrgUnit
from members.models import Cadre

from ..models import TAKING_PART, Attendance, AttendanceStatus
from ..periods import Period
from .partylife import (
    Rate,
    branches_in,
    compliance,
    counted_meetings,
    study_hours_by_member,
)


def _rate(rate: Rate) -> dict:
    return {
        "expected": rate.expected,
        "took_part": rate.took_part,
        "rate": None if rate.rate is None else round(rate.rate, 4),
    }


def _names(ids: set[int]) -> dict[int, tuple[str, str]]:
    """Cadre id → (initials, name): one query (an array parameter on PostgreSQL)."""
    ids = sorted(ids)
    if connection.vendor == "postgresql":
        table = Cadre._meta.db_table
        cadres = Cadre.objects.extra(where=[f"{table}.id = ANY(%s)"], params=[ids])
        rows = cadres.values_list("pk", "name_initials", "name").iterator(
            chunk_size=20_000
        )
        return {pk: (initials, name) for pk, initials, name in rows}
    found = {}
    for start in range(0, len(ids), 900):  # SQLite's limit on parameters
        for pk, initials, name in Cadre.objects.filter(
            pk__in=ids[start : start + 900]
        ).values_list("pk", "name_initials", "name"):
            found[pk] = (initials, name)
    return found


def party_life_report(
    unit: OrgUnit, period: Period, today: datetime.date | None = None
) -> dict:
    branches = branches_in(unit)
    ids = [b["pk"] for b in branches]
    checks = {c.pk: c for c in compliance(branches, period, today)}
    meetings = counted_meetings(ids, period)
    totals: dict[int, Rate] = defaultdict(Rate)
    for unit_id, expected, took in meetings.values_list(
        "unit_id", "expected_count", "took_part_count"
    ).iterator(chunk_size=5000):
        totals[unit_id].add(expected, took)
    hours = study_hours_by_member(ids, period)
    members: dict[int, list[dict]] = defaultdict(list)
    # Counted per branch and member without joining the cadres (2.5M rows for a
    # district); their names come after, by id.
    counts = list(
        Attendance.objects.filter(activity__in=meetings.values("pk"))
        .values("activity__unit_id", "cadre_id")
        .annotate(
            expected=Count("pk", filter=~Q(status=AttendanceStatus.UNABLE)),
            took=Count("pk", filter=Q(status__in=TAKING_PART)),
        )
        .order_by()
    )
    names = _names({row["cadre_id"] for row in counts})
    counts.sort(key=lambda r: (r["activity__unit_id"], *names.get(r["cadre_id"], ("", "")),
                               r["cadre_id"]))  # fmt: skip
    for row in counts:
        members[row["activity__unit_id"]].append(
            {
                "id": row["cadre_id"],
                "name": names.get(row["cadre_id"], ("", ""))[1],
                **_rate(Rate(row["expected"], row["took"])),
                "study_hours": hours.get(row["cadre_id"], 0),
            }
        )
    overall = Rate()
    out = []
    for branch in branches:
        check, rate = checks[branch["pk"]], totals[branch["pk"]]
        overall.add(rate.expected, rate.took_part)
        out.append({
            "id": branch["pk"],
            "name": branch["name"],
            "compliant": check.compliant,
            "missing": [{"kind": k, "window": w} for k, w in check.missing],
            "due": [{"kind": k, "window": w} for k, w in check.due],
            "rules": [
                {"kind": c.rule.kind.name, "group": c.target, "at_least": c.rule.at_least,
                 "per": c.rule.per,
                 "windows": [{"window": w.window.label, "held": w.held, "status": w.status}
                             for w in c.windows]}
                for c in check.checks
            ],
            **_rate(rate),
            "members": members.get(branch["pk"], []),
        })  # fmt: skip
    return {
        "unit": {"id": unit.pk, "name": unit.name, "code": unit.code or ""},
        "period": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        **_rate(overall),
        "branches": out,
    }
