"""Every write to staff accounts: one's own details, and officers creating, scoping,
deactivating and resetting the workers of their scope. Each refuses, with a Chinese
message, what lies outside the acting officer's scope; every change is in the
change history (users, profiles and assignments are registered with auditlog)."""

import secrets
import string

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import GRANTABLE_ROLES, PasswordRecord, StaffAssignment, StaffProfile
from .selectors import grantable_units, manageable, may_manage_staff

TEMPORARY_LENGTH = 12


def account_update(*, user, first_name: str, email: str, phone: str) -> None:
    """A user's own name, e-mail and phone."""
    with transaction.atomic():
        user.first_name = first_name.strip()[:150]
        user.email = email.strip()
        user.save(update_fields=["first_name", "email"])
        StaffProfile.objects.update_or_create(
            user=user, defaults={"phone": phone.strip()}
        )


def temporary_password() -> str:
    """A random password that meets the rules (all four character classes)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _i in range(TEMPORARY_LENGTH - 2))
        password = body + secrets.choice("!@#%*-+=") + secrets.choice(string.digits)
        if any(c.isupper() for c in body) and any(c.islower() for c in body):
            return password


def _require_officer(by) -> None:
    if not may_manage_staff(by):
        raise PermissionDenied


def _check_grant(by, unit, role: str) -> None:
    if role not in GRANTABLE_ROLES:
        raise ValidationError(
            {
                "role": _(
                    "Township officers and administrators are appointed by an "
                    "administrator; choose a worker's role."
                )
            }  # fmt: skip
        )
    if unit is None or not grantable_units(by, role).filter(pk=unit.pk).exists():
        raise ValidationError(
            {"unit": _("This unit is outside your scope or does not fit the role "
                       "(a grid worker is assigned to a grid, a community worker to a "
                       "community or village, a branch secretary to a branch).")}
        )  # fmt: skip


def _mark_reset(user) -> None:
    PasswordRecord.objects.update_or_create(
        user=user, defaults={"changed_at": timezone.now(), "must_change": True}
    )


def staff_create(*, by, username: str, first_name: str, phone: str = "",
                 email: str = "", unit, role: str):  # fmt: skip
    """A new worker with one role, and a temporary password they must change at the
    first login. Returns (user, the temporary password, shown once)."""
    _require_officer(by)
    _check_grant(by, unit, role)
    User = get_user_model()
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("This login name is taken: choose another.")}
        )
    password = temporary_password()
    with transaction.atomic():
        user = User(username=username, first_name=first_name.strip(), email=email.strip())
        validate_password(password, user)
        user.set_password(password)
        user.save()
        StaffProfile.objects.create(user=user, phone=phone.strip())
        StaffAssignment.objects.create(user=user, unit=unit, role=role)
        _mark_reset(user)
    return user, password


def _require_manageable(by, user) -> None:
    _require_officer(by)
    if not manageable(by, user):
        raise PermissionDenied


def staff_assign(*, by, user, unit, role: str) -> StaffAssignment:
    _require_manageable(by, user)
    _check_grant(by, unit, role)
    assignment, _created = StaffAssignment.objects.get_or_create(
        user=user, unit=unit, role=role
    )
    return assignment


def staff_unassign(*, by, assignment: StaffAssignment) -> None:
    """Take one role away; the last one stays (deactivate the account instead)."""
    _require_manageable(by, assignment.user)
    if assignment.user.assignments.count() <= 1:
        raise ValidationError(
            _("This is the worker's only role: deactivate the account instead.")
        )
    StaffAssignment.objects.filter(pk=assignment.pk).delete()  # signals: in the history


def staff_set_active(*, by, user, active: bool) -> None:
    _require_manageable(by, user)
    user.is_active = active
    user.save(update_fields=["is_active"])


def staff_password_reset(*, by, user) -> str:
    """A new temporary password (shown once to the officer); the worker must choose
    their own at the next login."""
    _require_manageable(by, user)
    password = temporary_password()
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        _mark_reset(user)
    return password
