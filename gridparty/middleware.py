import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from grids.passwords import password_expired


class ChineseFirstLocaleMiddleware:
    """Chinese unless the user chose another language.

    Django's LocaleMiddleware follows the browser's Accept-Language, which on many
    office machines says English; township staff expect Chinese. Only the language
    cookie (set by the language switcher) overrides LANGUAGE_CODE here.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class AdminContentSecurityPolicyMiddleware:
    """The Django admin writes inline style attributes (the tree's indentation, …):
    it gets a policy that allows inline style but still no inline or foreign script.
    The staff UI keeps django-csp's strict policy."""

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            response.headers["Content-Security-Policy"] = self.POLICY
        return response


def _now() -> float:
    return time.time()


class IdleSessionTimeoutMiddleware:
    """Log out a session idle for SESSION_IDLE_TIMEOUT_SECONDS (MLPS: idle timeout)
    and tell the user why on the login page."""

    # Write the activity stamp at most once a minute, not on every request.
    RESOLUTION = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(_now())
            last = request.session.get("last_activity")
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT_SECONDS:
                logout(request)
                login_url = reverse("login")
                return redirect(
                    f"{login_url}?{urlencode({'expired': 1, 'next': request.get_full_path()})}"
                )
            if last is None or now - last >= self.RESOLUTION:
                request.session["last_activity"] = now
        return self.get_response(request)


class PasswordAgeMiddleware:
    """Send users whose password is older than PASSWORD_MAX_AGE_DAYS, or was reset by
    an officer, to change it."""

    ALLOWED = ("/accounts/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        max_age = settings.PASSWORD_MAX_AGE_DAYS
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED)
            and password_expired(user, max_age)
        ):
            messages.warning(
                request,
                _("Please choose a new password before going on: yours was reset, or "
                  "is more than %(days)d days old.") % {"days": max_age}
                if max_age
                else _("Please choose a new password before going on: yours was reset."),
            )  # fmt: skip
            return redirect("password_change")
        return self.get_response(request)


class PrivateNoStoreMiddleware:
    """Pages, exports and photos shown to a logged-in user — or to a cadre signed in
    to their own pages (request.portal) — carry personal data: no browser or proxy
    may keep a copy (`Cache-Control: no-store`), under every setting that has
    PRIVATE_NO_STORE on (production does)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            settings.PRIVATE_NO_STORE
            and (
                (user is not None and user.is_authenticated)
                or getattr(request, "portal", None) is not None
            )
            and not request.path.startswith(settings.STATIC_URL)
        ):
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response


class HostileInputMiddleware:
    """A NUL character has no place in any parameter of a form or a query, and
    PostgreSQL refuses it in text: such a request gets a Chinese 400 page instead of
    reaching a query (or an error page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return render(
                request,
                "400.html",
                {
                    "message": _(
                        "The request contains a NUL character, which no field accepts."
                    )
                },
                status=400,
            )
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in data.getlist(key))
        for key in data
    )


class ProxiedClientAddressMiddleware:
    """Behind the proxy of docs/deploy.md, REMOTE_ADDR is the proxy's own address.
    When the request comes from one of TRUSTED_PROXIES, the client is the address
    that proxy appended last to X-Forwarded-For; the access log, the change history
    and the login lockout records then name the client, not the proxy. From anyone
    else the header is ignored (a client cannot choose the address recorded)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = set(settings.TRUSTED_PROXIES)

    def __call__(self, request):
        if self.trusted and request.META.get("REMOTE_ADDR") in self.trusted:
            chain = request.META.get("HTTP_X_FORWARDED_FOR", "")
            client = chain.rsplit(",", 1)[-1].strip()
            if client and _is_address(client):
                request.META["REMOTE_ADDR"] = client
        return self.get_response(request)


def _is_address(text: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
