"""The secretary's decisions on lost contact (失联党员, issue 21): setting a member
失联 and restoring them — never automatic; the dossier keeps both dates and the
change history who decided."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Cadre, CadreStatus, MemberStatus
from members.selectors import can_edit_cadre
from members.services import cadre_update


def _check(by, cadre: Cadre) -> None:
    if not can_edit_cadre(by, cadre):
        raise PermissionDenied
    if cadre.status != CadreStatus.ACTIVE or not cadre.is_party_member:
        raise ValidationError(_("Only a party member on the roster can lose contact."))


@transaction.atomic
def lost_contact_set(*, by, cadre: Cadre, on: datetime.date | None = None) -> Cadre:
    _check(by, cadre)
    if cadre.member_status == MemberStatus.OUT_OF_CONTACT:
        raise ValidationError(
            _("%(name)s is already out of contact.") % {"name": cadre.name}
        )
    return cadre_update(
        cadre=cadre, member_status=MemberStatus.OUT_OF_CONTACT,
        lost_contact_since=on or timezone.localdate(), contact_restored_on=None,
    )  # fmt: skip


@transaction.atomic
def lost_contact_restore(*, by, cadre: Cadre, on: datetime.date | None = None) -> Cadre:
    _check(by, cadre)
    if cadre.member_status != MemberStatus.OUT_OF_CONTACT:
        raise ValidationError(_("%(name)s is not out of contact.") % {"name": cadre.name})
    status = MemberStatus.FULL if cadre.full_member_on else MemberStatus.PROBATIONARY
    return cadre_update(
        cadre=cadre, member_status=status, contact_restored_on=on or timezone.localdate()
    )
