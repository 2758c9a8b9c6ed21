"""/handbook/<cadre>/<year>/: the member's handbook as a printable page, and as a PDF
(WeasyPrint, a CJK font) written to the access log."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from activities.models import DuesAccount
from activities.selectors.dues import ledger
from grids.audit import access_log_record
from grids.downloads import pdf_response
from grids.models import AccessAction
from grids.params import FIRST_YEAR, year_or_refuse
from members.idnumbers import mask_id_number, mask_phone
from members.selectors import can_reveal, get_cadre_for_user
from portal.views.access import portal_required

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


@portal_required
def my_handbook(request, year: int | None = None):
    """我的手册 on the cadre's own pages: their own year, unmasked to themselves, with
    their dues for the year (never another person's: the session's cadre only)."""
    cadre = request.portal.cadre
    today = timezone.localdate()
    year = year or today.year
    year_or_refuse(year)
    month = 12 if year < today.year else today.month
    accounts = DuesAccount.objects.filter(cadre=cadre, year=year)
    dues = ledger(accounts, month)
    return render(request, "portal/handbook.html", {
        "book": handbook_of(cadre, year), "cadre": cadre, "year": year,
        "this_year": today.year, "first_year": FIRST_YEAR, "site_name": settings.PORTAL_SITE_NAME,
        "id_masked": cadre.id_number, "phone_masked": cadre.phone, "show_health": True,
        "age": cadre.age(), "party_age": cadre.party_age(),
        "dues": dues[0] if dues else None, "dues_month": month,
        "months_paid": sum(1 for _p in dues[0].account.payments.all()) if dues else 0,
    })  # fmt: skip
