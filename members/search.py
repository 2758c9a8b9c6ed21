"""The cadre list's search and filters (also used by its export).

ID numbers: a masked ID shows its last four characters, and the birth date and the
local address code are known, so a search that confirms a longer suffix or a whole
number would rebuild a hidden number (DOMAIN.md, Personal information). A search by
up to the last four characters matches what everyone sees already; a longer one is
a reveal: allowed only among the cadres whose ID number the user may reveal, and
logged; refused (and logged as refused) for a role without that right. Every ID
search counts against a per-user hourly limit (`ID_SEARCH_LIMIT_PER_HOUR`).
"""

import re
import unicodedata

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.audit import access_log_record
from grids.cache import cache_count
from grids.models import AccessAction

from .dates import latest_birth_date_for_age
from .models import Cadre, MemberStatus, Mobility
from .selectors import cadres_in_unit, reveal_unit_ids

ID_QUERY = re.compile(r"^[0-9]{3,17}[0-9X]?$")
INITIALS = re.compile(r"^[a-zA-Z]{1,20}$")
# The masked ID shows this many trailing characters (members.idnumbers.mask_id_number).
VISIBLE_TAIL = 4


class SearchRefused(Exception):
    """A search the user may not make; the message says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _log(request, user, action: str, detail: str) -> None:
    access_log_record(
        request=request, user=user, action=action, object_type="cadre_search",
        object_id="", fields="id_number", detail=detail,
    )  # fmt: skip


def _count_id_search(user, request, q: str) -> None:
    limit = settings.ID_SEARCH_LIMIT_PER_HOUR
    key = f"gridparty:idsearch:{user.pk}:{timezone.now():%Y%m%d%H}"
    done = cache_count(key, timeout=3600)
    # Without a cache (Redis down) searches are not counted; the reveal rule holds.
    if done is not None and done > limit:
        _log(
            request,
            user,
            AccessAction.REFUSED,
            _("over the limit of %(limit)d an hour: %(n)d characters")
            % {"limit": limit, "n": len(q)},
        )
        raise SearchRefused(
            _(
                "Too many searches by ID number in the last hour (at most %d). "
                "Try again later, or search by name."
            )
            % limit
        )


def id_search(user, queryset: QuerySet[Cadre], q: str, *, request=None):
    """Cadres whose ID number ends with `q` (already normalized), under the rule above."""
    _count_id_search(user, request, q)
    if len(q) <= VISIBLE_TAIL:
        return queryset.filter(id_number__endswith=q)
    units = reveal_unit_ids(user, "id_number")
    detail = _("search by %(n)d characters of an ID number") % {"n": len(q)}
    if units is not None and not units:
        _log(request, user, AccessAction.REFUSED, detail)
        raise SearchRefused(
            _(
                "You may search by the last %d characters of an ID number only: a "
                "longer part would reveal the hidden number."
            )
            % VISIBLE_TAIL
        )
    if units is not None:
        queryset = queryset.filter(
            Q(branch_id__in=units) | Q(residence_unit_id__in=units)
        )
    _log(request, user, AccessAction.REVEAL, detail)
    return queryset.filter(id_number__endswith=q)


def cadre_search(user, queryset: QuerySet[Cadre], q: str, *, request=None):
    """By name, pinyin initials, or the end of the ID number."""
    q = unicodedata.normalize("NFKC", q).strip()
    if not q:
        return queryset
    if ID_QUERY.match(q.upper()):
        return id_search(user, queryset, q.upper(), request=request)
    if INITIALS.match(q):
        return queryset.filter(name_initials__startswith=q.lower())
    return queryset.filter(name__contains=q)


CARE_FILTERS = {
    "critically_ill": Q(critically_ill=True),
    "disabled": Q(disabled_or_cognitive=True),
    "hardship": Q(in_hardship=True),
    "cannot_attend": Q(mobility=Mobility.HOME),
    "nearby_only": Q(mobility=Mobility.NEARBY),
}
ORDERS = {
    "name": ["name_initials", "name", "pk"],
    "-age": ["birth_date", "pk"],
    "age": ["-birth_date", "pk"],
    "unit": ["residence_unit__tree_id", "residence_unit__lft", "name_initials", "pk"],
}


def cadres_filtered(user, queryset: QuerySet[Cadre], data: dict, *, request=None):
    """The cadre list's filters (a CadreFilterForm's cleaned data) and search.
    Raises SearchRefused for a search the user may not make."""
    today = timezone.localdate()
    unit = data.get("unit")
    if unit:
        queryset = cadres_in_unit(queryset, unit)
    if data.get("category"):
        queryset = queryset.filter(category=data["category"])
    if data.get("age"):
        queryset = queryset.filter(
            birth_date__lte=latest_birth_date_for_age(int(data["age"]), today)
        )
    if data.get("living"):
        queryset = queryset.filter(living_situation=data["living"])
    care = CARE_FILTERS.get(data.get("care") or "")
    if care is not None:
        queryset = queryset.filter(care)
    party = data.get("party")
    if party == "member":
        queryset = queryset.filter(is_party_member=True)
    elif party == "non_member":
        queryset = queryset.filter(is_party_member=False)
    elif party in MemberStatus.values:
        queryset = queryset.filter(member_status=party)
    status = data.get("status") or "active"
    if status != "all":
        queryset = queryset.filter(status=status)
    order = ORDERS[data.get("sort") or "name"]
    return cadre_search(user, queryset, data.get("q") or "", request=request).order_by(
        *order
    )
