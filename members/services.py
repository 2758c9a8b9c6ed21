"""Writes to cadres: every one validates fully and runs in one transaction."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.models import OrgUnit, UnitKind
from grids.selectors import scope_of

from .models import (
    RECEIPT_DAYS,
    ArchiveReason,
    BranchTransfer,
    Cadre,
    CadreStatus,
    Direction,
    FamilyContact,
    RelationTransfer,
    Talent,
)
from .selectors import can_edit_cadre

# Higher apps that keep data derived from cadres (services' visit plans) append a
# function here in their ready(); it gets the changed cadres' ids, inside the same
# transaction (so the derived data is never out of step).
cadre_change_hooks: list = []
# Called with (cadre, by) when a cadre leaves the roster or comes back (archive,
# restore), inside the same transaction: higher apps stop what followed the cadre
# (dues, open requests) and leave what is owed (a funeral condolence).
cadre_archive_hooks: list = []


def _left(cadre: Cadre, by) -> None:
    for hook in cadre_archive_hooks:
        hook(cadre, by)


def _changed(*cadres: Cadre) -> None:
    ids = [c.pk for c in cadres]
    for hook in cadre_change_hooks:
        hook(ids)


@transaction.atomic
def cadre_create(
    *, family_contacts: list[dict[str, str]] | None = None, **fields: Any
) -> Cadre:
    cadre = Cadre(**fields)
    cadre.full_clean()
    cadre.save()
    if family_contacts:
        family_contacts_set(cadre=cadre, contacts=family_contacts)
    _changed(cadre)
    return cadre


@transaction.atomic
def cadre_update(*, cadre: Cadre, **fields: Any) -> Cadre:
    """Change dossier fields. The branch changes only through cadre_transfer."""
    if "branch" in fields or "branch_id" in fields:
        raise TypeError("use cadre_transfer to change a cadre's branch")
    for field, value in fields.items():
        setattr(cadre, field, value)
    cadre.full_clean()
    cadre.save()
    _changed(cadre)
    return cadre


@transaction.atomic
@transaction.atomic
def cadre_dossier_update(
    *, cadre: Cadre, family_contacts: list[dict[str, str]] | None = None, **fields: Any
) -> Cadre:
    """The dossier form's save: the changed fields and, when given, the family
    contacts, together or not at all."""
    if fields:
        cadre_update(cadre=cadre, **fields)
    if family_contacts is not None:
        family_contacts_set(cadre=cadre, contacts=family_contacts)
    return cadre


def family_contacts_set(*, cadre: Cadre, contacts: list[dict[str, str]]) -> None:
    """Replace the cadre's family contacts by the given list (at most four)."""
    if len(contacts) > FamilyContact.MAX_PER_CADRE:
        raise ValidationError(
            _("A cadre has at most %(n)d family contacts.")
            % {"n": FamilyContact.MAX_PER_CADRE}
        )
    # Contacts are matched by position and changed in place, so the history shows
    # "phone: old → new" rather than a deletion and a creation.
    existing = {c.position: c for c in FamilyContact.objects.filter(cadre=cadre)}
    for position, data in enumerate(contacts, start=1):
        contact = existing.pop(position, None) or FamilyContact(
            cadre=cadre, position=position
        )
        changed = contact.pk is None
        for key, value in data.items():
            if getattr(contact, key) != value:
                setattr(contact, key, value)
                changed = True
        if changed:
            contact.full_clean()
            contact.save()
    for contact in existing.values():
        contact.delete()


@transaction.atomic
def cadre_transfer(
    *,
    cadre: Cadre,
    to_branch: OrgUnit,
    on: datetime.date | None = None,
    by=None,
    note: str = "",
) -> BranchTransfer:
    """Move a party member to another branch inside the tree, keeping a history row."""
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if not cadre.is_party_member:
        raise ValidationError(_("Only party members belong to a branch."))
    if cadre.status != CadreStatus.ACTIVE:
        raise ValidationError(_("An archived cadre cannot change branch."))
    if to_branch.kind != UnitKind.BRANCH:
        raise ValidationError(
            {"to_branch": _("Choose a party branch as the destination.")}
        )
    if not to_branch.is_active:
        raise ValidationError({"to_branch": _("The destination branch is closed.")})
    if cadre.branch_id == to_branch.pk:
        raise ValidationError(
            {"to_branch": _("The cadre already belongs to「%s」.") % to_branch}
        )
    transfer = BranchTransfer(
        cadre=cadre,
        from_branch_id=cadre.branch_id,
        to_branch=to_branch,
        on=on or timezone.localdate(),
        by=by,
        note=note,
    )
    transfer.full_clean()
    transfer.save()
    cadre.branch = to_branch
    cadre.party_group = None  # a group of the old branch; the new one assigns its own
    cadre.full_clean()
    cadre.save(update_fields=["branch", "party_group", "updated_at"])
    _changed(cadre)
    return transfer


@transaction.atomic
def cadre_archive(
    *,
    cadre: Cadre,
    reason: str,
    on: datetime.date,
    by=None,
    transferred_to: str = "",
    note: str = "",
) -> Cadre:
    """Take a cadre off the active roster (death, transfer out, other).

    Nothing is deleted: visits, meetings, contacts and transfers stay with the
    archived record, and reminders skip archived cadres.
    """
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if cadre.status == CadreStatus.ARCHIVED:
        raise ValidationError(_("This cadre is already archived."))
    if reason not in ArchiveReason.values:
        raise ValidationError({"archive_reason": _("Unknown archive reason.")})
    cadre.status = CadreStatus.ARCHIVED
    cadre.archive_reason = reason
    cadre.archived_on = on
    cadre.transferred_to = transferred_to
    cadre.archive_note = note
    cadre.full_clean()
    cadre.save()
    _changed(cadre)
    _left(cadre, by)
    return cadre


@transaction.atomic
def cadre_restore(*, cadre: Cadre, by=None) -> Cadre:
    """Undo an archiving made in error (the history stays as it was)."""
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    cadre.status = CadreStatus.ACTIVE
    cadre.archive_reason = ""
    cadre.archived_on = None
    cadre.transferred_to = ""
    cadre.archive_note = ""
    cadre.full_clean()
    cadre.save()
    _changed(cadre)
    _left(cadre, by)
    return cadre


def active_cadres_guard(subtree) -> str | None:
    """Refuse to close a unit while active cadres still belong to or live in it."""
    count = (
        Cadre.objects.active()
        .filter(Q(branch__in=subtree) | Q(residence_unit__in=subtree))
        .count()
    )
    if count:
        return _(
            "%(n)d active cadres still belong to or live in this unit; transfer or "
            "archive them first."
        ) % {"n": count}
    return None


@transaction.atomic
def talents_set(*, by, cadre: Cadre, chosen: dict[int, tuple[bool, str]]) -> None:
    """The cadre's talents as just confirmed with them: `chosen` maps a skill id to
    (willing, note); skills left out are removed. Everything kept is confirmed today."""
    if not can_edit_cadre(by, cadre):
        raise PermissionDenied
    today = timezone.localdate()
    Talent.objects.filter(cadre=cadre).exclude(skill_id__in=list(chosen)).delete()
    for skill_id, (willing, note) in chosen.items():
        Talent.objects.update_or_create(
            cadre=cadre, skill_id=skill_id,
            defaults={"willing": willing, "note": note[:100], "confirmed_on": today,
                      "confirmed_by": by},
        )  # fmt: skip


# ---- transfers of the organizational relation (issue 21) -----------------------------


@transaction.atomic
def relation_transfer_out(*, by, cadre: Cadre, to: str, on: datetime.date, reason: str = "",
                          valid_days: int = 30) -> RelationTransfer:  # fmt: skip
    """The member's relation goes to another organization: a numbered letter (per
    township and year), its return slip expected within a month, and the member
    leaves the roster with their history (archived as transferred out)."""
    if not can_edit_cadre(by, cadre):
        raise PermissionDenied
    if (
        cadre.status != CadreStatus.ACTIVE
        or not cadre.is_party_member
        or not cadre.branch_id
    ):
        raise ValidationError(_("Only a party member of a branch on the roster can be "
                                "transferred out."))  # fmt: skip
    if not 1 <= valid_days <= 90:
        raise ValidationError({"valid_days": _("A letter is valid for 1 to 90 days.")})
    tree = cadre.branch.tree_id
    # The township's root row is the lock: two letters never take the same number.
    OrgUnit.objects.select_for_update().filter(tree_id=tree, parent__isnull=True).first()
    last = RelationTransfer.objects.filter(tree_id=tree, year=on.year).aggregate(
        n=Max("number")
    )["n"]
    transfer = RelationTransfer(
        cadre=cadre, direction=Direction.OUT, branch_id=cadre.branch_id,
        other_organization=to.strip(), reason=reason.strip(), on=on, year=on.year,
        number=(last or 0) + 1, valid_days=valid_days,
        receipt_due_on=on + datetime.timedelta(days=RECEIPT_DAYS), tree_id=tree, by=by,
    )  # fmt: skip
    transfer.full_clean(exclude=["tree_id"])
    transfer.save()
    cadre_archive(cadre=cadre, reason=ArchiveReason.TRANSFERRED_OUT, on=on, by=by,
                  transferred_to=transfer.other_organization,
                  note=_("Letter of introduction %(number)s") % {"number": transfer.letter_number})  # fmt: skip
    return transfer


def relation_receipt_received(*, by, transfer: RelationTransfer,
                              on: datetime.date) -> RelationTransfer:  # fmt: skip
    if not scope_of(by).writable().contains(transfer.branch):
        raise PermissionDenied
    transfer.receipt_on = on
    transfer.full_clean(exclude=["tree_id"])
    transfer.save(update_fields=["receipt_on"])
    return transfer


@transaction.atomic
def relation_transfer_in(*, by, branch: OrgUnit, origin: str, on: datetime.date,
                         their_number: str = "", reason: str = "",
                         **fields: Any) -> RelationTransfer:  # fmt: skip
    """A member's relation comes in with a letter: placed in the branch — a new
    dossier, or the archived one of the same ID number made active again."""
    if branch.kind != UnitKind.BRANCH or not scope_of(by).writable().contains(branch):
        raise PermissionDenied
    id_number = fields.get("id_number", "")
    earlier = Cadre.objects.filter(id_number=id_number).first() if id_number else None
    if earlier is not None and earlier.status == CadreStatus.ACTIVE:
        raise ValidationError(
            {"id_number": _("%(name)s with this ID number is on the roster already.")
             % {"name": earlier.name}}
        )  # fmt: skip
    if earlier is not None:
        cadre = cadre_restore(cadre=earlier, by=by)
        if cadre.branch_id != branch.pk:
            cadre_transfer(cadre=cadre, to_branch=branch, on=on, by=by,
                           note=_("Transferred in from %(origin)s") % {"origin": origin})  # fmt: skip
        cadre = cadre_update(cadre=Cadre.objects.get(pk=cadre.pk), on_roster_since=on)
    else:
        fields.setdefault("residence_unit", branch.parent)
        cadre = cadre_create(
            branch=branch, is_party_member=True, on_roster_since=on, **fields
        )
    transfer = RelationTransfer(
        cadre=cadre, direction=Direction.IN, branch=branch, other_organization=origin.strip(),
        reason=reason.strip(), on=on, year=on.year, their_number=their_number.strip(),
        tree_id=branch.tree_id, by=by,
    )  # fmt: skip
    transfer.full_clean(exclude=["tree_id"])
    transfer.save()
    return transfer
