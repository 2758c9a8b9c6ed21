"""/handbook/<cadre>/<year>/: the member's handbook as a printable page, and as a PDF
(WeasyPrint, a CJK font) written to the access log."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string

from grids.audit import access_log_record
from grids.downloads import pdf_response
from grids.models import AccessAction
from grids.params import year_or_refuse
from members.idnumbers import mask_id_number, mask_phone
from members.selectors import can_reveal, get_cadre_for_user

from .handbook import handbook_of


@login_required
def handbook(request, cadre_pk, year):
    cadre = get_cadre_for_user(request.user, cadre_pk)
    year_or_refuse(year)
    book = handbook_of(cadre, year)
    context = {
        "book": book, "cadre": cadre, "year": year, "nav": "cadres",
        # A handbook is printed and handed over: numbers always masked; health
        # only for the roles that may see it.
        "id_masked": mask_id_number(cadre.id_number),
        "phone_masked": mask_phone(cadre.phone) if cadre.phone else "",
        "show_health": can_reveal(request.user, cadre, "health"),
        "age": cadre.age(), "party_age": cadre.party_age(),
    }  # fmt: skip
    if request.GET.get("format") == "pdf":
        from weasyprint import HTML

        html = render_to_string("gridparty/handbook_print.html", context, request=request)
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        access_log_record(request=request, action=AccessAction.PRINT, object_type="handbook",
                          object_id=cadre.pk, detail=str(year))  # fmt: skip
        return pdf_response(pdf, f"党员手册-{cadre.name}-{year}.pdf")
    access_log_record(request=request, action=AccessAction.VIEW, object_type="handbook",
                      object_id=cadre.pk, detail=str(year))  # fmt: skip
    return render(request, "gridparty/handbook.html", context)
