"""The portal's own session: a cookie of its own (path /my/), never a staff login."""

from functools import wraps

from django.conf import settings
from django.core import signing
from django.shortcuts import redirect

from ..selectors import COOKIE, session_for
from ..services import portal_session_seen

PENDING = "gridparty_portal_step"
PENDING_SALT = "gridparty.portal.step"
PENDING_SECONDS = 15 * 60


def portal_required(view):
    """The view runs for a live portal session (request.portal), else the sign-in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        session = session_for(request.COOKIES.get(COOKIE, ""))
        if session is None:
            return redirect("portal:signin")
        portal_session_seen(session)
        request.portal = session
        return view(request, *args, **kwargs)

    return wrapper


def set_session_cookie(response, key: str) -> None:
    response.set_cookie(
        COOKIE, key, max_age=settings.PORTAL_SESSION_DAYS * 86400, path="/my/",
        httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
    )  # fmt: skip


def set_step(response, value: dict) -> None:
    """The sign-in's next step (the number asked for, or whom to choose), signed."""
    response.set_cookie(
        PENDING, signing.dumps(value, salt=PENDING_SALT), max_age=PENDING_SECONDS, path="/my/",
        httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
    )  # fmt: skip


def get_step(request) -> dict:
    try:
        value = signing.loads(
            request.COOKIES.get(PENDING, ""), salt=PENDING_SALT, max_age=PENDING_SECONDS
        )
    except signing.BadSignature:
        return {}
    return value if isinstance(value, dict) else {}
