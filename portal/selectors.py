"""Reads for the cadres' own pages: who a mobile number may sign in as, and the
portal session of a request."""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from members.models import Cadre, CadreStatus, FamilyContact
from members.validators import normalize_phone
from services.selectors import visit_timeline

from .models import PortalLink, PortalSession, PortalSignIn
from .notices import notices_for

MOBILE = re.compile(r"^1[3-9]\d{9}$")
COOKIE = "gridparty_portal"


def digest(purpose: str, value: str) -> str:
    """What is stored of a code, a link or a session key: a keyed hash."""
    return salted_hmac(f"gridparty.portal.{purpose}", value).hexdigest()


def mobile(value: str) -> str:
    """The number as stored (spaces dropped), or "" when it is no mobile number."""
    phone = normalize_phone(value).removeprefix("+86")
    return phone if MOBILE.match(phone) else ""


@dataclass(frozen=True)
class Identity:
    """Who signs in: the cadre, or a family contact acting for them."""

    cadre: Cadre
    contact: FamilyContact | None = None

    @property
    def key(self) -> str:
        return f"{self.cadre.pk}:{self.contact.pk if self.contact else ''}"


def identities_for(phone: str) -> list[Identity]:
    """The cadres (on the roster) this mobile number may sign in as: their own number,
    or a family contact registered to act for them. Two queries."""
    if not phone:
        return []
    own = Cadre.objects.filter(
        Q(phone=phone) | Q(phone2=phone), status=CadreStatus.ACTIVE
    )
    acting = FamilyContact.objects.filter(
        Q(phone=phone) | Q(phone2=phone), may_act=True, cadre__status=CadreStatus.ACTIVE
    ).select_related("cadre")
    found = [Identity(c) for c in own.order_by("pk")]
    found += [Identity(c.cadre, c) for c in acting.order_by("cadre_id", "position")]
    return found


def session_for(key: str, now: datetime.datetime | None = None) -> PortalSession | None:
    """The live portal session of a cookie's key (one query), or None."""
    if not key:
        return None
    now = now or timezone.now()
    return (
        PortalSession.objects.filter(
            key_hash=digest("session", key),
            ended_at__isnull=True,
            expires_at__gt=now,
            cadre__status=CadreStatus.ACTIVE,
        )  # fmt: skip
        .select_related("cadre", "cadre__branch", "cadre__residence_unit", "contact")
        .first()
    )


def live_sessions(cadre) -> list[PortalSession]:
    return list(
        PortalSession.objects.filter(
            cadre=cadre, ended_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("contact")
        .order_by("-last_seen_at")
    )


def open_links(cadre) -> list[PortalLink]:
    return list(
        PortalLink.objects.filter(
            cadre=cadre,
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("created_by")
        .order_by("-created_at")  # fmt: skip
    )


def home_facts(session: PortalSession) -> dict:
    """What the home page shows of the cadre: their own data, never another's.
    Their place, their party branch, unread notices and the care visits they received."""
    cadre = session.cadre
    return {
        "cadre": cadre,
        "unread_notices": notices_for(cadre).filter(read=False).count(),
        "visits": visit_timeline(cadre, limit=10),
    }


def portal_use(cadres, since: datetime.datetime) -> dict:
    """Who of these cadres (a queryset, already scoped) signed in to their own pages
    since `since` — in all and per party branch, the least used first (two queries)."""
    active = cadres.filter(status=CadreStatus.ACTIVE)
    signed = PortalSignIn.objects.filter(cadre=OuterRef("pk"), at__gte=since)
    rows = list(
        active.filter(branch__isnull=False)
        .values("branch", "branch__name")
        .annotate(members=Count("pk"), signed=Count("pk", filter=Exists(signed)))
        .order_by("branch__tree_id", "branch__lft")
    )
    totals = active.aggregate(
        members=Count("pk"), signed=Count("pk", filter=Exists(signed))
    )
    rows.sort(
        key=lambda r: (
            r["signed"] / r["members"] if r["members"] else 1,
            r["branch__name"],
        )
    )
    return {**totals, "branches": rows}
