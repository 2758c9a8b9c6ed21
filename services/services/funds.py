"""Recording hardship help and condolences (issue 21): a township's fund for a year
(its officers), and a gift of money or goods to a cadre (who may change the cadre),
drawn from a fund of the cadre's township for the year it was given."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from grids.models import OrgUnit, UnitKind
from grids.selectors import has_role_over
from members.models import Cadre
from members.selectors import can_edit_cadre

from ..funds import FUND_ROLES
from ..models import CareFund, CareGift, CareVisit


def fund_add(*, by, unit: OrgUnit, year: int, source: str, allocated: Decimal,
             note: str = "") -> CareFund:  # fmt: skip
    if unit.kind != UnitKind.TOWNSHIP or not has_role_over(by, [unit], FUND_ROLES):
        raise PermissionDenied
    fund = CareFund(unit=unit, year=year, source=source.strip(), allocated=allocated,
                    note=note.strip())  # fmt: skip
    fund.full_clean()
    fund.save()
    return fund


def gift_record(*, by, cadre: Cadre, kind: str, given_on: datetime.date, handed_by: str,
                amount: Decimal | None = None, goods: str = "", fund: CareFund | None = None,
                visit: CareVisit | None = None) -> CareGift:  # fmt: skip
    if not can_edit_cadre(by, cadre):
        raise PermissionDenied
    if amount is None and not goods.strip():
        raise ValidationError({"amount": _("Give the amount, or the goods handed over.")})
    if fund is not None:
        place = cadre.branch or cadre.residence_unit
        if fund.year != given_on.year or fund.unit.tree_id != place.tree_id:
            raise ValidationError(
                {"fund": _("Choose a fund of the cadre's township for %(year)d.")
                 % {"year": given_on.year}}
            )  # fmt: skip
    gift = CareGift(cadre=cadre, kind=kind, amount=amount, goods=goods.strip(), fund=fund,
                    given_on=given_on, handed_by=handed_by.strip(), visit=visit,
                    recorded_by=by)  # fmt: skip
    gift.full_clean()
    gift.save()
    return gift
