"""Export as a service: scoped, each sensitive field by the per-field reveal rule
(as on the pages), logged."""

from collections import Counter

from django.utils.translation import gettext as _

from grids.audit import access_log_record
from grids.models import AccessAction, OrgUnit

from ..selectors import RevealRule, cadres_in_unit, cadres_visible_to
from .excel import export_workbook
from .export import roster_rows


def roster_export(
    *, user, queryset=None, unit: OrgUnit | None = None, request=None, label=""
):
    """(workbook, row count) of the cadres visible to `user` (within `unit` if given,
    or the given queryset, which is narrowed to the user's scope in any case)."""
    visible = cadres_visible_to(user)
    if queryset is not None:
        visible = visible.filter(pk__in=queryset.values("pk"))
    if unit is not None:
        visible = cadres_in_unit(visible, unit)
    tally: Counter = Counter()
    workbook = export_workbook(
        roster_rows(visible.select_related(None), reveal=RevealRule(user), tally=tally)
    )
    count = visible.count()
    access_log_record(
        request=request,
        user=user,
        action=AccessAction.EXPORT,
        object_type="roster",
        object_id=unit.code or unit.pk if unit else "",
        # Which fields left in full, and for how many rows ("masked": none).
        fields=",".join(f"{f}:{n}" for f, n in sorted(tally.items()))[:200] or "masked",
        detail=(_("%(n)d rows") % {"n": count} + (f"（{label}）" if label else "")),
    )
    return workbook, count
