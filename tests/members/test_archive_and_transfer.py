import datetime

import pytest
from django.core.exceptions import ValidationError

from members.models import (
    ArchiveReason,
    BranchTransfer,
    Cadre,
    CadreDeletionRefused,
    CadreStatus,
)
from members.services import (
    cadre_archive,
    cadre_restore,
    cadre_transfer,
    family_contacts_set,
)
from tests.factories import UserFactory, make_cadre

D = datetime.date


@pytest.fixture
def cadre(tree):
    cadre = make_cadre(branch=tree["branch_A"], name="李建国")
    family_contacts_set(
        cadre=cadre,
        contacts=[{"relation": "女儿", "name": "李红", "phone": "13900001111"}],
    )
    return cadre


def test_a_transfer_writes_a_history_row(tree, cadre):
    user = UserFactory(username="secretary")
    transfer = cadre_transfer(
        cadre=cadre, to_branch=tree["branch_B"], on=D(2026, 5, 1), by=user, note="搬家"
    )
    cadre.refresh_from_db()
    assert cadre.branch == tree["branch_B"]
    row = BranchTransfer.objects.get(cadre=cadre)
    assert row == transfer
    assert (row.from_branch, row.to_branch, row.on, row.by, row.note) == (
        tree["branch_A"],
        tree["branch_B"],
        D(2026, 5, 1),
        user,
        "搬家",
    )


def test_a_transfer_to_the_same_branch_or_a_non_branch_is_refused(tree, cadre):
    with pytest.raises(ValidationError):
        cadre_transfer(cadre=cadre, to_branch=tree["branch_A"])
    with pytest.raises(ValidationError):
        cadre_transfer(cadre=cadre, to_branch=tree["community_B"])
    assert not BranchTransfer.objects.exists()


def test_archiving_a_deceased_cadre_keeps_all_history(tree, cadre):
    cadre_transfer(cadre=cadre, to_branch=tree["branch_B"], on=D(2025, 1, 1))
    cadre_archive(cadre=cadre, reason=ArchiveReason.DECEASED, on=D(2026, 2, 3))
    cadre = Cadre.objects.get(pk=cadre.pk)
    assert cadre.status == CadreStatus.ARCHIVED
    assert cadre.archived_on == D(2026, 2, 3)
    assert cadre.transfers.count() == 1
    assert cadre.family_contacts.count() == 1
    assert cadre.branch == tree["branch_B"]
    assert cadre not in Cadre.objects.active()
    assert cadre in Cadre.objects.archived()


def test_a_transfer_out_needs_a_destination(tree, cadre):
    with pytest.raises(ValidationError) as exc:
        cadre_archive(cadre=cadre, reason=ArchiveReason.TRANSFERRED_OUT, on=D(2026, 1, 1))
    assert "transferred_to" in exc.value.message_dict
    cadre_archive(
        cadre=cadre,
        reason=ArchiveReason.TRANSFERRED_OUT,
        on=D(2026, 1, 1),
        transferred_to="宝山区某街道党工委",
    )
    assert Cadre.objects.get(pk=cadre.pk).transferred_to == "宝山区某街道党工委"


def test_an_archived_cadre_cannot_transfer_and_can_be_restored(tree, cadre):
    cadre_archive(cadre=cadre, reason=ArchiveReason.OTHER, on=D(2026, 1, 1))
    with pytest.raises(ValidationError):
        cadre_transfer(cadre=cadre, to_branch=tree["branch_B"])
    cadre_restore(cadre=cadre)
    assert Cadre.objects.get(pk=cadre.pk).status == CadreStatus.ACTIVE


def test_a_cadre_can_never_be_deleted(tree, cadre):
    with pytest.raises(CadreDeletionRefused):
        cadre.delete()
    with pytest.raises(CadreDeletionRefused):
        Cadre.objects.all().delete()
    assert Cadre.objects.filter(pk=cadre.pk).exists()
