from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grids.audit import ACCESS_KINDS, access_log_record, describe_fields
from grids.downloads import xlsx_response
from grids.forms import form_errors_from
from grids.models import AccessAction, OrgUnit, UnitKind
from grids.selectors import can_write, is_officer, units_visible_to

from . import services
from .forms import (
    AccessLogFilterForm,
    ArchiveForm,
    CadreFilterForm,
    CadreForm,
    FamilyContactFormSet,
    TransferForm,
)
from .models import Cadre, CadreStatus
from .profile import sections_for
from .roster.excel import template_workbook
from .roster.service import roster_export
from .search import SearchRefused, cadres_filtered
from .selectors import (
    MEDICAL_FIELDS,
    REVEALABLE,
    access_log_entries,
    cadre_history,
    cadres_visible_to,
    can_edit_cadre,
    can_reveal,
    dossier_unit_choices,
    get_cadre_for_user,
)
from .services import cadre_archive, cadre_dossier_update, cadre_transfer

PAGE_SIZE = 50


@login_required
def cadre_list(request):
    units = units_visible_to(request.user)
    form = CadreFilterForm(request.GET or None, units=units)
    queryset = cadres_visible_to(request.user).select_related("branch", "residence_unit")
    data = form.cleaned_data if form.is_valid() else {}
    if request.GET and not form.is_valid():
        queryset = queryset.none()
    try:
        queryset = cadres_filtered(request.user, queryset, data, request=request)
    except SearchRefused as refused:
        form.add_error("q", refused.message)
        queryset = queryset.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/cadre_list.html",
        {
            "nav": "cadres",
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "can_write": can_write(request.user),
            "filtered": any(v for k, v in data.items() if k not in ("q", "sort")),
        },
    )


def _profile(request, cadre, revealed: dict | None = None):
    contacts = list(cadre.family_contacts.all())
    transfers = list(cadre.transfers.select_related("from_branch", "to_branch", "by"))
    user = request.user
    revealable = {f for f in REVEALABLE if can_reveal(user, cadre, f)}
    optional = [f for f in settings.DOSSIER_OPTIONAL_FIELDS
                if f not in settings.DOSSIER_HIDDEN_FIELDS]  # fmt: skip
    medical = [f for f in MEDICAL_FIELDS if f in optional]
    medical_recorded = any(getattr(cadre, f) for f in medical)
    return render(
        request,
        "members/cadre_detail.html",
        {
            "nav": "cadres",
            "cadre": cadre,
            "contacts": contacts,
            "transfers": transfers,
            "can_edit": can_edit_cadre(user, cadre),
            "party_age": cadre.party_age(),
            "sections": sections_for(request, cadre),
            "today": timezone.localdate(),
            "history": list(cadre_history(cadre)) if is_officer(user) else None,
            "revealable": revealable,
            "revealed": revealed or {},
            "optional": optional,
            "talents": list(cadre.talents.select_related("skill")),
            # The medical rows (health reveal group), labelled, in the dossier's order.
            "medical_fields": [
                (Cadre._meta.get_field(f).verbose_name, getattr(cadre, f))
                for f in medical
            ],
            "recorded": {
                "medical": medical_recorded,
                "health": medical_recorded or bool(cadre.health_status or cadre.requests),
            },
        },
    )


@login_required
def cadre_detail(request, pk: int):
    return _profile(request, get_cadre_for_user(request.user, pk))


@login_required
@require_POST
def cadre_reveal(request, pk: int):
    """Show one full value (ID number, phones or health details) once, and log it."""
    cadre = get_cadre_for_user(request.user, pk)
    field = request.POST.get("field", "")
    if field not in REVEALABLE or not can_reveal(request.user, cadre, field):
        raise PermissionDenied
    access_log_record(
        request=request,
        action=AccessAction.REVEAL,
        object_type="cadre",
        object_id=cadre.pk,
        fields=field,
        detail=cadre.name,
    )
    return _profile(request, cadre, revealed={field: True})


def _contacts_from(formset) -> list[dict]:
    return [
        {k: f.cleaned_data[k] for k in ("relation", "name", "phone", "phone2")}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def cadre_create(request):
    if not can_write(request.user):
        raise PermissionDenied
    return _dossier_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def cadre_edit(request, pk: int):
    return _dossier_form(request, get_cadre_for_user(request.user, pk, write=True))


def _dossier_form(request, cadre):
    """The dossier form, to add a cadre (cadre None) or to change one. The per-field
    reveal rule holds in the form too: what the user may not reveal is shown masked
    and left out of the form; opening it with full values is logged."""
    choices = dossier_unit_choices(request.user)
    shown, contacts = list(REVEALABLE), None
    if cadre is not None:
        # The current residence stays selectable even outside the user's scope.
        choices["places"] = (
            choices["places"] | OrgUnit.objects.filter(pk=cadre.residence_unit_id)
        ).order_by("tree_id", "lft")
        shown = [f for f in REVEALABLE if can_reveal(request.user, cadre, f)]
        if "phone" not in shown:
            contacts = list(cadre.family_contacts.all())
    locked = [f for f in REVEALABLE if f not in shown]
    form = CadreForm(request.POST or None, instance=cadre, locked=locked, **choices)
    formset = (
        FamilyContactFormSet(request.POST or None, instance=cadre, prefix="contacts")
        if contacts is None
        else None
    )
    if cadre is not None and request.method == "GET" and shown:
        access_log_record(
            request=request, action=AccessAction.VIEW, object_type="cadre",
            object_id=cadre.pk, fields=",".join(shown), detail=_("%(name)s: the edit form") % {"name": cadre.name},
        )  # fmt: skip
    if (
        request.method == "POST"
        and form.is_valid()
        and (formset is None or formset.is_valid())
    ):
        family = _contacts_from(formset) if formset is not None else None
        try:
            if cadre is None:
                saved = services.cadre_create(family_contacts=family, **form.cleaned_data)
            else:
                saved = cadre_dossier_update(
                    cadre=cadre,
                    family_contacts=family,
                    **{k: form.cleaned_data[k] for k in form.changed_data},
                )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            message = (
                _("%s was added to the roster.")
                if cadre is None
                else _("The dossier of %s was saved.")
            )
            messages.success(request, message % saved.name)
            return redirect("members:cadre_detail", pk=saved.pk)
    return render(request, "members/cadre_form.html", {
        "nav": "cadres", "form": form, "formset": formset, "cadre": cadre,
        "creating": cadre is None, "locked_contacts": contacts,
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def cadre_archive_view(request, pk: int):
    cadre = get_cadre_for_user(request.user, pk, write=True)
    if cadre.status == CadreStatus.ARCHIVED:
        messages.warning(request, _("%s is already archived.") % cadre.name)
        return redirect("members:cadre_detail", pk=cadre.pk)
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cadre_archive(cadre=cadre, by=request.user, **form.cleaned_data_for_service())
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(
                request, _("%s was archived; all records are kept.") % cadre.name
            )
            return redirect("members:cadre_detail", pk=cadre.pk)
    return render(
        request,
        "members/cadre_action.html",
        {"nav": "cadres", "form": form, "cadre": cadre, "action": "archive"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cadre_transfer_view(request, pk: int):
    cadre = get_cadre_for_user(request.user, pk, write=True)
    branches = (
        units_visible_to(request.user)
        .filter(kind=UnitKind.BRANCH, is_active=True)
        .exclude(pk=cadre.branch_id)
        .order_by("tree_id", "lft")
    )
    form = TransferForm(request.POST or None, branches=branches)
    if request.method == "POST" and form.is_valid():
        try:
            cadre_transfer(
                cadre=cadre,
                to_branch=form.cleaned_data["to_branch"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s now belongs to %(branch)s.")
                % {"name": cadre.name, "branch": form.cleaned_data["to_branch"]},
            )
            return redirect("members:cadre_detail", pk=cadre.pk)
    return render(
        request,
        "members/cadre_action.html",
        {"nav": "cadres", "form": form, "cadre": cadre, "action": "transfer"},
    )


@login_required
def access_log(request):
    """The access log of cadres in the officer's scope (read-only, filterable)."""
    if not is_officer(request.user):
        raise PermissionDenied
    form = AccessLogFilterForm(request.GET or None)
    entries = access_log_entries(
        request.user, form.cleaned_data if form.is_valid() else {}
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        label, by_cadre = ACCESS_KINDS.get(entry.object_type, (entry.object_type, False))
        entry.kind_label = label
        entry.fields_label = describe_fields(entry.fields)
        entry.cadre_id = (
            entry.object_id if by_cadre and entry.object_id.isdigit() else None
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/access_log.html",
        {"nav": "audit", "form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def roster_template(request):
    return xlsx_response(template_workbook(), "离退休干部花名册模板.xlsx")


@login_required
def cadre_export(request):
    """The cadre list as a roster (its filters applied), scoped, masked, logged."""
    units = units_visible_to(request.user)
    form = CadreFilterForm(request.GET or None, units=units)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        queryset = cadres_filtered(
            request.user, cadres_visible_to(request.user), data, request=request
        )
    except SearchRefused as refused:
        messages.error(request, refused.message)
        query = request.GET.copy()
        query.pop("q", None)
        return redirect(f"{reverse('members:cadre_list')}?{query.urlencode()}")
    workbook, _count = roster_export(
        user=request.user,
        queryset=queryset,
        request=request,
        label=form.describe() if form.is_valid() else "",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(workbook, f"离退休干部花名册-{stamp}.xlsx")
