"""/reports/upward/: the report sent to the district — a printable page (the
browser prints it, charts included, with the print stylesheet) and the same tables as
one workbook. Scoped to the user's townships and grids; the workbook is logged."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from activities.forms import PeriodForm
from grids import workbooks
from grids.downloads import report_download

from .upward import report_units, upward_report


@login_required
def upward(request):
    units = report_units(request.user)
    top = units.first()
    if top is None:
        raise PermissionDenied
    data = {"unit": top.pk, **{k: v for k, v in request.GET.items() if k != "format"}}
    form = PeriodForm(data, units=units)
    if not form.is_valid():
        return render(request, "gridparty/upward.html", {"form": form, "nav": "reports"},
                      status=400)  # fmt: skip
    unit, period = form.cleaned_data["unit"], form.cleaned_data["period"]
    report = upward_report(request.user, unit, period)
    if request.GET.get("format") == "xlsx":
        title = f"{unit.name} {period.label}"
        return report_download(
            request,
            sheets=[workbooks.Sheet(t.title, t.header, t.rows, above=[[title]])
                    for t in report.tables],
            filename=f"上报材料-{unit.name}-{period.label.replace('..', '至')}.xlsx",
            object_type="report", object_id=unit.code or unit.pk, detail=period.label,
        )  # fmt: skip
    return render(request, "gridparty/upward.html", {
        "form": form, "nav": "reports", "report": report,
        "export": "?" + urlencode({"unit": unit.pk, "period": period.label, "format": "xlsx"}),
    })  # fmt: skip
