"""Export as a service: scoped, masked unless the role may see full values, logged."""

from grids.audit import access_log_record
from grids.models import AccessAction, OrgUnit
from grids.selectors import is_officer

from ..selectors import cadres_in_unit, cadres_visible_to
from .excel import export_workbook
from .export import roster_rows


def full_values_allowed(user) -> bool:
    # Officers (and superusers) may see full ID numbers and phones (REVEAL_ROLES).
    return is_officer(user)


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
    full = full_values_allowed(user)
    count = visible.count()
    workbook = export_workbook(
        roster_rows(visible.select_related(None), full_values=full)
    )
    access_log_record(
        request=request,
        user=user,
        action=AccessAction.EXPORT,
        object_type="roster",
        object_id=unit.code or unit.pk if unit else "",
        fields="full" if full else "masked",
        detail=f"{count} rows {label}".strip(),
    )
    return workbook, count
