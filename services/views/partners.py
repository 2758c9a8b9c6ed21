"""/partners/ and /partners/<id>/: what each co-building partner promised and
delivered; the township's co-building review as Excel (scoped, logged)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from grids import workbooks
from grids.downloads import report_download
from grids.params import int_from
from grids.selectors import scope_of

from ..selectors.partners import partner_report, partners_visible_to


def _year(request) -> tuple[int, datetime.date, datetime.date]:
    this_year = timezone.localdate().year
    year = int_from(request.GET.get("year"), this_year, lo=2000, hi=this_year + 10)
    return year, datetime.date(year, 1, 1), datetime.date(year, 12, 31)


@login_required
def partner_list(request):
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    year, start, end = _year(request)
    report = partner_report(request.user, start, end)
    if request.GET.get("format") == "xlsx":
        return _export(request, report, year)
    return render(
        request,
        "services/partner_list.html",
        {"report": report, "year": year, "nav": "partners"},
    )


@login_required
def partner_detail(request, pk):
    partner = get_object_or_404(partners_visible_to(request.user), pk=pk)
    year, start, end = _year(request)
    (figures,) = partner_report(
        request.user, start, end, partners=partners_visible_to(request.user).filter(pk=pk)
    )
    months = [
        (
            datetime.date(year, m, 1),
            *figures.by_month.get(datetime.date(year, m, 1), (0, 0)),
        )
        for m in range(1, 13)
    ]
    return render(
        request,
        "services/partner_detail.html",
        {
            "partner": partner,
            "f": figures,
            "months": months,
            "year": year,
            "nav": "partners",
        },  # fmt: skip
    )


def _export(request, report, year: int):
    summary = workbooks.Sheet(
        f"{year}年共建情况",
        ["共建单位", "结对网格/社区/村", "承诺服务", "上门服务（次）", "体检（次）", "服务人数"],
        ([
            f.partner.name,
            "、".join(p.unit.name for p in f.pairings),
            "、".join(f"{s.get_kind_display()}（{s.get_frequency_display()}）" for s in f.promised),
            f.visits, f.check_ups, f.cadres,
        ] for f in report),
    )  # fmt: skip
    months = workbooks.Sheet(
        "按月",
        ["共建单位", "月份", "上门服务（次）", "体检（次）"],
        (
            [f.partner.name, f"{month:%Y-%m}", v, c]
            for f in report
            for month, (v, c) in f.by_month.items()
        ),
    )
    return report_download(
        request, sheets=[summary, months], filename=f"共建单位服务情况-{year}.xlsx",
        object_type="partner_review", object_id=year, detail=_("%(n)d partners") % {"n": len(report)},
    )  # fmt: skip
