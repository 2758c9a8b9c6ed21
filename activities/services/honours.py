"""The 光荣在党50年 medal's steps (issue 17): eligible → recommended (community worker
or secretary) → approved (township officer) → awarded (township officer, with the
date); declined at any step and kept. Each move only by the right role."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grids.models import StaffRole
from grids.selectors import has_role_over

from ..models import Honour, HonourStatus

S = HonourStatus
OFFICERS = (StaffRole.TOWNSHIP_OFFICER, StaffRole.ADMINISTRATOR)
RECOMMENDERS = (StaffRole.COMMUNITY_WORKER, StaffRole.BRANCH_SECRETARY, *OFFICERS)
# status → (the statuses it may come from, the roles that may move it there)
MOVES = {
    S.RECOMMENDED: ((S.ELIGIBLE,), RECOMMENDERS),
    S.APPROVED: ((S.RECOMMENDED,), OFFICERS),
    S.AWARDED: ((S.APPROVED,), OFFICERS),
    S.DECLINED: ((S.ELIGIBLE, S.RECOMMENDED, S.APPROVED), RECOMMENDERS),
    S.ELIGIBLE: ((S.DECLINED, S.RECOMMENDED, S.APPROVED), OFFICERS),
}


def honour_moves_for(user, honour: Honour) -> list[str]:
    """The statuses this user may move the honour to."""
    units = [honour.cadre.branch, honour.cadre.residence_unit]
    return [
        status
        for status, (sources, roles) in MOVES.items()
        if honour.status in sources and has_role_over(user, units, roles)
    ]


@transaction.atomic
def honour_move(*, honour: Honour, status: str, by, awarded_on: datetime.date | None = None
                ) -> Honour:  # fmt: skip
    if status not in MOVES:
        raise ValidationError(_("Unknown status."))
    if status not in honour_moves_for(by, honour):
        raise ValidationError(
            _("%(name)s cannot be moved from “%(from)s” to “%(to)s” by you.")
            % {"name": honour.cadre.name, "from": honour.get_status_display(),
               "to": S(status).label}
        )  # fmt: skip
    if status == S.AWARDED and awarded_on is None:
        raise ValidationError({"awarded_on": _("Give the date the medal was awarded.")})
    honour.status = status
    honour.awarded_on = awarded_on if status == S.AWARDED else None
    honour.full_clean()
    honour.save(update_fields=["status", "awarded_on"])
    return honour
