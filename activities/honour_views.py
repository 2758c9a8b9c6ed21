"""Honours in print and lists (issue 17): the year's certificates (荣誉证书) as one
PDF, the 七一 invitation list with who needs a companion, and the month's political
birthdays (政治生日)."""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from grids import workbooks
from grids.audit import access_log_record
from grids.downloads import pdf_response, report_download
from grids.models import AccessAction, OrgUnit, UnitKind
from grids.params import year_or_refuse
from grids.selectors import is_officer, scope_of
from members.dates import DatePrecision
from members.idnumbers import mask_phone
from members.models import Mobility
from members.selectors import RevealRule, cadres_visible_to

from .models import HonourStatus
from .selectors import honours_50_list
from .selectors.honours import fifty_year_members, political_birthdays


def _townships() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP))


def _township_of(unit: OrgUnit | None, townships) -> str:
    for t in townships:
        if unit and t.tree_id == unit.tree_id and t.lft <= unit.lft <= t.rght:
            return t.name
    return ""


def certificate_pages(honours, year: int) -> list[dict]:
    townships = _townships()
    july = datetime.date(year, 7, 1)
    pages = []
    for honour in honours:
        cadre = honour.cadre
        years = cadre.party_age(july) or 50
        township = _township_of(cadre.residence_unit, townships)
        values = {"name": cadre.name, "years": years, "township": township,
                  "joined": cadre.joined_party_display or "", "year": year}  # fmt: skip
        pages.append({
            "name": cadre.name, "township": township, "years": years,
            "text": settings.HONOUR_CERTIFICATE_TEXT.format(**values),
            "date": f"{year}年7月1日",
        })  # fmt: skip
    return pages


def certificates_pdf(pages: list[dict]) -> bytes:
    from weasyprint import HTML

    return HTML(
        string=render_to_string("activities/certificates.html", {"pages": pages})
    ).write_pdf()


@login_required
def certificates(request, year):
    if not is_officer(request.user):
        raise PermissionDenied
    year_or_refuse(year)
    honours = (
        honours_50_list(request.user, year)
        .filter(status__in=[HonourStatus.APPROVED, HonourStatus.AWARDED])
        .select_related("cadre__residence_unit")
    )
    pages = certificate_pages(honours, year)
    pdf = certificates_pdf(pages)
    access_log_record(request=request, action=AccessAction.PRINT, object_type="certificates",
                      object_id=year, detail=_("%(n)d certificates") % {"n": len(pages)})  # fmt: skip
    return pdf_response(pdf, f"光荣在党50年荣誉证书-{year}.pdf")


@login_required
def invitations(request, year):
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    year_or_refuse(year)
    members = fifty_year_members(cadres_visible_to(request.user), year)
    reveal = RevealRule(request.user)
    rows = []
    for cadre in members:
        contact = next(iter(cadre.family_contacts.all()), None)
        phone = full = ""
        if contact and contact.phone:
            # The page masks; the export follows the per-field reveal rule.
            phone = mask_phone(contact.phone)
            shown = reveal.allows("phone", cadre.branch_id, cadre.residence_unit_id)
            full = contact.phone if shown else phone
        rows.append({
            "cadre": cadre, "years": cadre.party_age(datetime.date(year, 7, 1)),
            "companion": cadre.mobility != Mobility.TRAVEL,
            "contact": f"{contact.relation} {contact.name}" if contact else "", "phone": phone,
            "full_phone": full,
        })  # fmt: skip
    if request.GET.get("format") == "xlsx":
        sheet = workbooks.Sheet(
            "七一邀请名单", ["姓名", "所属支部", "党龄", "行动能力", "需陪同", "家属联系人", "联系电话"],
            ([r["cadre"].name, r["cadre"].branch.name if r["cadre"].branch else "", r["years"],
              r["cadre"].get_mobility_display(), "是" if r["companion"] else "否",
              r["contact"], r["full_phone"]] for r in rows),
            above=[[f"{year} 年七一表彰 光荣在党50年 邀请名单"]],
        )  # fmt: skip
        return report_download(request, sheets=[sheet], filename=f"七一邀请名单-{year}.xlsx",
                               object_type="invitations", object_id=year,
                               detail=_("%(n)d members") % {"n": len(rows)})  # fmt: skip
    return render(request, "activities/invitations.html", {
        "year": year, "rows": rows, "nav": "honours",
    })  # fmt: skip


@login_required
def birthdays(request):
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    today = timezone.localdate()
    text = request.GET.get("month", "")
    try:
        first = (
            datetime.date.fromisoformat(f"{text}-01") if text else today.replace(day=1)
        )
    except ValueError:
        first = today.replace(day=1)
    members = political_birthdays(cadres_visible_to(request.user), first.month)
    for cadre in members:
        cadre.years = first.year - cadre.joined_party_on.year
    return render(request, "activities/political_birthdays.html", {
        "month": first, "members": members, "nav": "honours",
        "day_precision": DatePrecision.DAY,
    })  # fmt: skip
