"""Campaign writes (issue 20): a campaign's roles, a cadre taking a role (only one
whose mobility suits it), and the entries of their service. Each checks who may."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.models import OrgUnit
from grids.selectors import scope_of
from members.models import Cadre, CadreStatus
from members.selectors import can_edit_cadre

from ..models import (
    SUITABLE_MOBILITY,
    Campaign,
    CampaignEntry,
    CampaignRole,
    CampaignService,
    RoleKind,
)
from ..selectors.campaigns import CAMPAIGN_UNIT_KINDS, may_manage_campaign
from .core import campaign_service_add

# The report's three roles, offered when a campaign starts.
STANDARD_ROLES = (
    ("调查摸底", RoleKind.SURVEY, "nearby"),
    ("宣传发动", RoleKind.PUBLICITY, "nearby"),
    ("督导巡查", RoleKind.PATROL, "travel"),
)


@transaction.atomic
def campaign_start(*, by, name: str, unit: OrgUnit, start_on: datetime.date,
                   end_on: datetime.date | None = None, description: str = "",
                   standard_roles: bool = True) -> Campaign:  # fmt: skip
    """A township's or grid's campaign, with the three standard roles if asked."""
    if unit.kind not in CAMPAIGN_UNIT_KINDS or not scope_of(by).writable().contains(unit):
        raise PermissionDenied
    campaign = Campaign(
        name=name, unit=unit, start_on=start_on, end_on=end_on, description=description
    )
    campaign.full_clean()
    campaign.save()
    if standard_roles:
        for order, (role, kind, needs) in enumerate(STANDARD_ROLES):
            CampaignRole.objects.create(
                campaign=campaign, name=role, kind=kind, needs=needs, sort_order=order
            )
    return campaign


def campaign_role_add(*, by, campaign: Campaign, name: str, kind: str = RoleKind.OTHER,
                      needs: str = "nearby", description: str = "") -> CampaignRole:  # fmt: skip
    if not may_manage_campaign(by, campaign):
        raise PermissionDenied
    order = campaign.roles.count()
    role = CampaignRole(campaign=campaign, name=name.strip(), kind=kind, needs=needs,
                        description=description, sort_order=order)  # fmt: skip
    role.full_clean()
    role.save()
    return role


def campaign_serve(*, by, role: CampaignRole, cadre: Cadre,
                   start_on: datetime.date | None = None) -> CampaignService:  # fmt: skip
    """The cadre takes the role: a cadre the user may change, on the roster, whose
    mobility suits what the role needs, and not serving in it already."""
    if not can_edit_cadre(by, cadre):
        raise PermissionDenied
    if cadre.status != CadreStatus.ACTIVE:
        raise ValidationError(_("Only cadres on the roster can take a role."))
    if cadre.mobility not in SUITABLE_MOBILITY[role.needs]:
        raise ValidationError(
            _("%(name)s (%(mobility)s) cannot serve as %(role)s, which needs: %(needs)s.")
            % {
                "name": cadre.name,
                "mobility": cadre.get_mobility_display(),
                "role": role.name,
                "needs": role.get_needs_display(),
            }  # fmt: skip
        )
    if CampaignService.objects.filter(
        role=role, cadre=cadre, end_on__isnull=True
    ).exists():
        raise ValidationError(
            _("%(name)s already serves as %(role)s.")
            % {"name": cadre.name, "role": role.name}
        )
    start_on = start_on or max(timezone.localdate(), role.campaign.start_on)
    return campaign_service_add(role=role, cadre=cadre, start_on=start_on)


def campaign_entry_record(*, by, service: CampaignService, on: datetime.date,
                          hours: Decimal, done: str) -> CampaignEntry:  # fmt: skip
    """One day's service: inside the service's period and the campaign's, not in the
    future; hours more than 0 and at most 24 (the model's rule)."""
    if not can_edit_cadre(by, service.cadre):
        raise PermissionDenied
    campaign = service.role.campaign
    if on > timezone.localdate():
        raise ValidationError(_("The date is in the future."))
    if on < service.start_on or (service.end_on and on > service.end_on):
        raise ValidationError(
            _("%(name)s served as %(role)s from %(start)s: the date is outside it.")
            % {
                "name": service.cadre.name,
                "role": service.role.name,
                "start": service.start_on.isoformat(),
            }  # fmt: skip
        )
    if campaign.end_on and on > campaign.end_on:
        raise ValidationError(
            _("The campaign ended on %s.") % campaign.end_on.isoformat()
        )
    entry = CampaignEntry(service=service, on=on, hours=hours, done=done.strip(),
                          recorded_by=by)  # fmt: skip
    entry.full_clean()
    entry.save()
    return entry
