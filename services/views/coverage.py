"""/coverage/: visit coverage per child unit for a period, as a table and a colour
grid; drill down to the cadres not covered; export (scoped, logged)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grids import workbooks
from grids.cache import kept
from grids.downloads import report_download
from grids.models import UnitKind
from grids.selectors import scope_of, units_visible_to

from ..forms import CoverageForm
from ..models import VisitTier
from ..selectors.coverage import coverage, grade

# The page lists this many of the cadres not covered; the export has them all.
MISSING_SHOWN = 200


def _units(user):
    return (
        units_visible_to(user)
        .exclude(kind__in=[UnitKind.BRANCH, UnitKind.PARTY_GROUP])
        .order_by("tree_id", "lft")
    )


@login_required
def coverage_page(request):
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    units = _units(request.user)
    today = timezone.localdate()
    top = units.first()
    if top is None:
        raise PermissionDenied
    data = {"unit": top.pk, "period": "quarter", "year": today.year,
            "number": (today.month - 1) // 3 + 1, "cut": "all"}  # fmt: skip
    data.update(
        {k: v for k, v in request.GET.items() if v and k not in ("format", "fresh")}
    )
    form = CoverageForm(data, units=units)
    context = {"form": form, "nav": "coverage"}
    if form.is_valid():
        chosen = form.cleaned_data
        exporting = request.GET.get("format") == "xlsx"
        result, made_at = _coverage_kept(
            chosen["unit"], chosen["start"], chosen["end"],
            fresh=exporting or bool(request.GET.get("fresh")),
            every_missing=exporting,
        )  # fmt: skip
        cut = chosen.get("cut") or "all"
        green, amber = settings.COVERAGE_GREEN, settings.COVERAGE_AMBER
        base = {k: v for k, v in data.items() if k != "unit"}
        rows = []
        for row in result.rows:
            tally = row.cuts[cut]
            rows.append({
                "unit": row.unit, "tally": tally, "grade": grade(tally.percent, green, amber),
                "drill": "?" + urlencode({**base, "unit": row.unit.pk}),
            })  # fmt: skip
        total = result.total.cuts[cut]
        missing = (
            result.cadres
        )  # those not covered (the first MISSING_SHOWN unless exporting)
        if exporting:
            return _export(request, result, rows, total, missing, cut)
        tiers = dict(VisitTier.choices)
        for item in missing:
            item.tier_label = tiers.get(item.tier, item.tier)
        context.update(
            result=result, rows=rows, total=total, cut=cut,
            total_grade=grade(total.percent, green, amber),
            missing=missing, missing_count=result.missing_count,
            cadres_url=reverse("members:cadre_list"),
            green=green, amber=amber,
            export="?" + urlencode({**data, "format": "xlsx"}),
            leaf=len(result.rows) == 1 and result.rows[0].unit.pk == result.unit.pk,
            made_at=made_at, kept=settings.REPORT_CACHE_SECONDS > 0,
            refresh="?" + urlencode({**data, "fresh": 1}),
        )  # fmt: skip
    return render(
        request, "services/coverage.html", context, status=200 if form.is_valid() else 400
    )


def _coverage_kept(unit, start, end, *, fresh: bool, every_missing: bool = False):
    """A township's coverage reads every cadre and their visits of the period (a
    third of a second at 20,000 cadres): it is kept REPORT_CACHE_SECONDS for everyone
    who may see that unit (the figures depend on the unit and the period only), with
    the first MISSING_SHOWN cadres not covered and their number — what the page shows:
    reading thousands of kept cadres back cost more than the page's rendering. The
    page says when it was made and offers a refresh; an export is always computed
    afresh, with every cadre not covered."""

    def compute(shown: int | None = MISSING_SHOWN):
        result = coverage(unit=unit, start=start, end=end)
        missing = [c for c in result.cadres if not c.covered]
        result.cadres = missing[:shown]
        result.missing_count = len(missing)
        return result

    if every_missing:
        return compute(None), timezone.now()
    key = f"coverage:v2:{unit.pk}:{start}:{end}"
    return kept(key, settings.REPORT_CACHE_SECONDS, compute, fresh=fresh)


def _export(request, result, rows, total, missing, cut):
    tiers = dict(VisitTier.choices)
    period = f"{result.start:%Y-%m-%d} 至 {result.end:%Y-%m-%d}"
    units = workbooks.Sheet(
        "走访覆盖率",
        ["单位", "应访人数", "已覆盖", "覆盖率(%)", "当前逾期"],
        [
            *([r["unit"].name, r["tally"].eligible, r["tally"].covered, r["tally"].percent,
               r["tally"].overdue] for r in rows),
            ["合计", total.eligible, total.covered, total.percent, total.overdue],
        ],
        above=[[f"{result.unit.name} 走访覆盖率 {period}"]],
    )  # fmt: skip
    names = workbooks.Sheet(
        "未覆盖名单",
        ["姓名", "走访等级", "期内有效走访", "应访次数"],
        (
            [c.name, str(tiers.get(c.tier, c.tier)), c.contacts, c.required]
            for c in missing
        ),
    )
    return report_download(
        request, sheets=[units, names],
        filename=f"走访覆盖率-{result.unit.name}-{result.start:%Y%m%d}-{result.end:%Y%m%d}.xlsx",
        object_type="coverage", object_id=result.unit.code or result.unit.pk,
        detail=_("%(start)s to %(end)s: %(units)d units, %(missing)d not covered") % {
            "start": result.start, "end": result.end, "units": len(rows), "missing": len(missing)},
    )  # fmt: skip
