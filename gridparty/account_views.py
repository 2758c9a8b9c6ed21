"""One's own account (/accounts/me/) and the staff pages of township officers
(/accounts/staff/): create a worker, give and take roles inside the officer's scope,
deactivate, reset a password. Writes go through grids.accounts.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grids.accounts import selectors
from grids.accounts.services import (
    account_update,
    staff_assign,
    staff_create,
    staff_password_reset,
    staff_set_active,
    staff_unassign,
)
from grids.forms import form_errors_from
from grids.models import GRANTABLE_ROLES, StaffAssignment, StaffProfile
from services.models import ReminderChoice
from services.reminders import RULES

from .account_forms import AccountForm, RoleForm, StaffCreateForm


@login_required
def account(request):
    user = request.user
    profile = StaffProfile.objects.filter(user=user).first()
    initial = {"first_name": user.first_name, "email": user.email,
               "phone": profile.phone if profile else ""}  # fmt: skip
    form = AccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        account_update(user=user, **form.cleaned_data)
        messages.success(request, _("Your account is saved."))
        return redirect("account")
    emailed = set(
        ReminderChoice.objects.filter(user=user, email=True).values_list(
            "rule", flat=True
        )
    )
    return render(request, "registration/account.html", {
        "nav": "account", "form": form, "rules": [(r.key, r.label) for r in RULES],
        "emailed": emailed, "roles": user.assignments.select_related("unit"),
    })  # fmt: skip


def _officer(request):
    if not selectors.may_manage_staff(request.user):
        raise PermissionDenied


def _managed_user(request, pk):
    _officer(request)
    user = get_object_or_404(selectors.staff_in_scope(request.user), pk=pk)
    return user, selectors.manageable(request.user, user)


def _grant_units(request):
    kinds = {k for kinds in GRANTABLE_ROLES.values() for k in kinds}
    return (
        selectors.managed_units(request.user)
        .filter(kind__in=kinds)
        .order_by("tree_id", "lft")
    )


@login_required
def staff_list(request):
    _officer(request)
    people = list(selectors.staff_in_scope(request.user))
    units = selectors.managed_unit_ids(request.user)
    for person in people:
        person.may_manage = selectors.manageable(request.user, person, units)
    return render(
        request, "gridparty/staff_list.html", {"nav": "staff", "people": people}
    )


@login_required
def staff_new(request):
    _officer(request)
    form = StaffCreateForm(request.POST or None, units=_grant_units(request))
    if request.method == "POST" and form.is_valid():
        try:
            user, password = staff_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            return render(request, "gridparty/staff_password.html", {
                "nav": "staff", "person": user, "password": password, "created": True,
            })  # fmt: skip
    return render(request, "gridparty/staff_new.html", {"nav": "staff", "form": form})


@login_required
def staff_detail(request, pk):
    person, may_manage = _managed_user(request, pk)
    form = RoleForm(request.POST or None, units=_grant_units(request))
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                staff_assign(by=request.user, user=person, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The role is given."))
                return redirect("staff_detail", pk=person.pk)
    return render(request, "gridparty/staff_detail.html", {
        "nav": "staff", "person": person, "may_manage": may_manage, "form": form,
    })  # fmt: skip


@login_required
@require_POST
def staff_role_remove(request, pk, assignment_pk):
    person, may_manage = _managed_user(request, pk)
    assignment = get_object_or_404(StaffAssignment, pk=assignment_pk, user=person)
    try:
        staff_unassign(by=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The role is taken away."))
    return redirect("staff_detail", pk=person.pk)


@login_required
@require_POST
def staff_active(request, pk):
    person, _may = _managed_user(request, pk)
    active = request.POST.get("active") == "1"
    staff_set_active(by=request.user, user=person, active=active)
    messages.success(
        request,
        _("The account can log in again.") if active else _("The account is deactivated: "
                                                           "it can no longer log in."),
    )  # fmt: skip
    return redirect("staff_detail", pk=person.pk)


@login_required
@require_POST
def staff_reset(request, pk):
    person, _may = _managed_user(request, pk)
    password = staff_password_reset(by=request.user, user=person)
    return render(request, "gridparty/staff_password.html", {
        "nav": "staff", "person": person, "password": password, "created": False,
    })  # fmt: skip
