"""/compliance/ and /participation/ (issue 16): per child unit and branch for a
period, colour-graded like coverage, drill down to a branch, export (scoped,
logged)."""

from collections import defaultdict
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from grids import workbooks
from grids.downloads import report_download
from grids.models import OrgUnit, UnitKind
from grids.selectors import scope_of, units_visible_to

from .forms import unit_and_period
from .models import Attendance, AttendanceStatus
from .selectors.partylife import (
    counted_meetings,
    participation_by_member,
    study_hours_by_member,
)
from .selectors.study import study_missed
from .selectors.summary import compliance_rows, participation_rows


def _chosen(request):
    """The form, and (unit, period, child units) when valid; 403 without scope."""
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    units = (
        units_visible_to(request.user)
        .exclude(kind=UnitKind.PARTY_GROUP)
        .order_by("tree_id", "lft")
    )
    form, chosen = unit_and_period(request, units)
    if chosen is None:
        return form, None
    unit, period = chosen
    children = list(
        OrgUnit.objects.filter(parent=unit)
        .exclude(kind=UnitKind.PARTY_GROUP)
        .order_by("lft")
    )
    return form, (unit, period, children)


def _drill(period, unit_pk) -> str:
    return "?" + urlencode({"unit": unit_pk, "period": period.label})


@login_required
def compliance_page(request):
    form, chosen = _chosen(request)
    context = {"form": form, "nav": "meetings"}
    if chosen:
        unit, period, children = chosen
        summary = compliance_rows(unit, period, children)
        rows, results = summary.rows, summary.results
        for row in rows:
            row["drill"] = _drill(period, row["unit"].pk)
        for r in results:
            r.drill = _drill(period, r.pk)
        if request.GET.get("format") == "xlsx":
            return _compliance_export(request, unit, period, rows, results)
        meetings, study = None, None
        if unit.kind == UnitKind.BRANCH:
            study = study_missed([unit.pk], period.start, period.end)
            meetings = (
                counted_meetings([unit.pk], period)
                .select_related("kind", "party_group")
                .order_by("starts_at")
            )
        context.update(
            unit=unit, period=period, rows=rows, results=results, meetings=meetings,
            may_record=scope_of(request.user).writable().contains(unit),
            study_missed=study,
            met=summary.met, total=summary.total,
            export="?" + urlencode({"unit": unit.pk, "period": period.label, "format": "xlsx"}),
        )  # fmt: skip
    return render(request, "activities/compliance.html", context,
                  status=200 if chosen else 400)  # fmt: skip


def _compliance_export(request, unit, period, rows, results):
    units = workbooks.Sheet(
        "达标情况",
        ["单位", "支部数", "达标支部", "达标率(%)"],
        ([r["unit"].name, r["branches"], r["met"], r["percent"]] for r in rows),
        above=[[f"{unit.name} 组织生活达标情况 {period.label}"]],
    )
    detail = workbooks.Sheet(
        "支部明细",
        ["支部", "是否达标", "未开（类型，月份）", "本期待开"],
        (
            [r.name, "达标" if r.compliant else "未达标",
             "；".join(f"{k} {w}" for k, w in r.missing),
             "；".join(f"{k} {w}" for k, w in r.due)]
            for r in results
        ),
    )  # fmt: skip
    return report_download(
        request, sheets=[units, detail],
        filename=f"组织生活达标-{unit.name}-{period.label.replace('..', '至')}.xlsx",
        object_type="compliance", object_id=unit.code or unit.pk,
        detail=_("%(period)s: %(n)d branches") % {"period": period.label, "n": len(results)},
    )  # fmt: skip


@login_required
def participation_page(request):
    form, chosen = _chosen(request)
    context = {"form": form, "nav": "meetings"}
    if chosen:
        unit, period, children = chosen
        summary = participation_rows(unit, period, children)
        months, rows, total = summary.months, summary.rows, summary.total
        threshold = settings.PARTICIPATION_THRESHOLD
        for row in rows:
            row["drill"] = _drill(period, row["unit"].pk)
        members = None
        if unit.kind == UnitKind.BRANCH:
            members = _branch_members(unit, period, threshold)
        if request.GET.get("format") == "xlsx":
            return _participation_export(request, unit, period, months, rows, members)
        context.update(
            unit=unit, period=period, months=months, rows=rows, total=total,
            members=members, threshold=threshold,
            total_low=total.rate is not None and total.rate * 100 < threshold,
            hours_target=settings.STUDY_HOURS_TARGET if period.label.isdigit() else 0,
            export="?" + urlencode({"unit": unit.pk, "period": period.label, "format": "xlsx"}),
        )  # fmt: skip
    return render(request, "activities/participation.html", context,
                  status=200 if chosen else 400)  # fmt: skip


def _branch_members(branch, period, threshold) -> list[dict]:
    """A branch's members with their own rate and the meetings they missed."""
    rates = participation_by_member([branch.pk], period)
    hours = study_hours_by_member([branch.pk], period)
    target = settings.STUDY_HOURS_TARGET if period.label.isdigit() else 0
    missed = defaultdict(list)
    names = {}
    for row in (
        Attendance.objects.filter(
            activity__in=counted_meetings([branch.pk], period).values("pk")
        )
        .select_related("activity__kind", "cadre")
        .order_by("activity__starts_at")
    ):
        names[row.cadre_id] = row.cadre.name
        if row.status in (AttendanceStatus.ABSENT, AttendanceStatus.ON_LEAVE):
            missed[row.cadre_id].append(
                f"{row.activity.starts_at:%m-%d} {row.activity.kind.name}"
                f"（{row.get_status_display()}）"
            )
    out = []
    for pk, rate in rates.items():
        out.append({"pk": pk, "name": names.get(pk, ""), "rate": rate,
                    "low": rate.rate is not None and rate.rate * 100 < threshold,
                    "missed": missed.get(pk, []), "hours": hours.get(pk, 0),
                    "short": bool(target) and hours.get(pk, 0) < target})  # fmt: skip
    return sorted(
        out, key=lambda m: (m["rate"].rate is None, m["rate"].rate or 0, m["name"])
    )


def _participation_export(request, unit, period, months, rows, members):
    head = ["单位", *(f"{m:%Y-%m}" for m in months), "合计实参", "合计应到", "参与率"]
    units = workbooks.Sheet(
        "参与率",
        head,
        (
            [r["unit"].name, *(c.percent for c, _low in r["cells"]),
             r["whole"].took_part, r["whole"].expected, r["whole"].percent]
            for r in rows
        ),
        above=[[f"{unit.name} 党员参与率 {period.label}"]],
    )  # fmt: skip
    sheets = [units]
    if members is not None:
        sheets.append(workbooks.Sheet(
            "党员明细", ["姓名", "应到", "实参", "参与率", "学时", "未参加的会议"],
            ([m["name"], m["rate"].expected, m["rate"].took_part, m["rate"].percent,
              m["hours"], "；".join(m["missed"])] for m in members),
        ))  # fmt: skip
    return report_download(
        request, sheets=sheets,
        filename=f"党员参与率-{unit.name}-{period.label.replace('..', '至')}.xlsx",
        object_type="participation", object_id=unit.code or unit.pk,
        detail=_("%(period)s: %(n)d units") % {"period": period.label, "n": len(rows)}
        + (_(", %(n)d members") % {"n": len(members)} if members is not None else ""),
    )  # fmt: skip
