"""Login with the lockout and session-expiry messages, and unlocking by officers."""

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxLengthValidator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grids.models import OrgUnit, StaffRole
from grids.selectors import scope_of


def _lock_message() -> str:
    minutes = int(float(settings.AXES_COOLOFF_TIME) * 60)
    return _(
        "This account is locked after %(n)d wrong passwords. Try again in %(minutes)d "
        "minutes, or ask the township organization section to unlock it."
    ) % {"n": settings.AXES_FAILURE_LIMIT, "minutes": minutes}


class GridpartyAuthenticationForm(AuthenticationForm):
    """Django's login form sets the username's max_length without checking it, so an
    over-long name reached the authentication backends (and axes' 255-character
    column). Here it is refused with a message before any backend runs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))

    def clean(self):
        if self.errors.get("username"):
            return self.cleaned_data  # authenticate nothing with a refused name
        return super().clean()


class GridpartyLoginView(LoginView):
    redirect_authenticated_user = True
    authentication_form = GridpartyAuthenticationForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.GET.get("expired"):
            context["notice"] = _(
                "You were logged out after %(minutes)d minutes without activity, to keep "
                "the data safe. Please log in again."
            ) % {"minutes": settings.SESSION_IDLE_TIMEOUT_SECONDS // 60}
        return context


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """What axes answers when a locked username tries to log in."""
    return render(
        request,
        "registration/login.html",
        {"form": GridpartyAuthenticationForm(request), "locked": _lock_message()},
        status=403,
    )


def _can_unlock(user) -> bool:
    scope = scope_of(user)
    return scope.everything or bool(
        scope.roles & {StaffRole.TOWNSHIP_OFFICER, StaffRole.ADMINISTRATOR}
    )


def _users_in_scope(user):
    """Users assigned somewhere inside the officer's scope."""
    scope = scope_of(user)
    users = get_user_model().objects.all()
    if scope.everything:
        return users
    return users.filter(assignments__unit__in=_units(scope)).distinct()


def _units(scope):
    return OrgUnit.objects.filter(scope.q())


@login_required
def locked_accounts(request):
    if not _can_unlock(request.user):
        raise PermissionDenied
    usernames = set(_users_in_scope(request.user).values_list("username", flat=True))
    locked = list(
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT, username__in=usernames
        ).order_by("-attempt_time")
    )
    return render(
        request, "registration/locked_accounts.html", {"nav": "account", "locked": locked}
    )


@login_required
@require_POST
def unlock_account(request):
    if not _can_unlock(request.user):
        raise PermissionDenied
    username = request.POST.get("username", "")
    if not _users_in_scope(request.user).filter(username=username).exists():
        raise PermissionDenied
    axes_reset(username=username)
    messages.success(request, _("%s can log in again.") % username)
    return redirect("locked_accounts")
