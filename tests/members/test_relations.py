"""Issue 21, transfers of the organizational relation: a transfer out prints a
numbered letter, leaves the roster (dues stop), and reminds the secretary when the
return slip is late; a transfer in places the member — a new dossier or the old one
made active again; the wrong member of the cast is refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from activities.models import DuesAccount
from activities.services.dues import dues_year_open
from members.models import Cadre, CadreStatus, RelationTransfer
from members.services import (
    relation_receipt_received,
    relation_transfer_in,
    relation_transfer_out,
)
from services.models import Reminder
from services.reminders.scan import reminders_scan
from tests.factories import make_cadre, make_id_number

D = datetime.date


def test_a_transfer_out_numbers_its_letter_and_leaves_the_roster(cast):
    cadre = make_cadre(
        branch=cast.tree["branch_A"], name="随子女", monthly_pension=Decimal(4000)
    )
    dues_year_open(unit=cast.tree["branch_A"], year=2026, today=D(2026, 1, 2))
    first = relation_transfer_out(by=cast.secretary, cadre=cadre, to="上海市浦东新区某街道党工委",
                                  on=D(2026, 9, 3), reason="随子女居住")  # fmt: skip
    second = relation_transfer_out(
        by=cast.officer, cadre=cast.cadre_b, to="外区", on=D(2026, 9, 8)
    )
    assert (first.number, second.number) == (1, 2)
    assert first.letter_number == "（2026）第1号"
    assert first.receipt_due_on == D(2026, 10, 3) and first.valid_until == D(2026, 10, 3)
    cadre.refresh_from_db()
    assert (cadre.status, cadre.archive_reason, cadre.transferred_to) == (
        CadreStatus.ARCHIVED, "transferred_out", "上海市浦东新区某街道党工委")  # fmt: skip
    assert DuesAccount.objects.get(cadre=cadre).last_month == 9
    with pytest.raises(ValidationError):  # gone already
        relation_transfer_out(by=cast.secretary, cadre=cadre, to="x", on=D(2026, 9, 9))
    with pytest.raises(PermissionDenied):
        relation_transfer_out(
            by=cast.grid_b, cadre=cast.cadre_a, to="x", on=D(2026, 9, 9)
        )


def test_a_late_return_slip_is_reminded_until_it_comes(cast):
    transfer = relation_transfer_out(by=cast.secretary, cadre=cast.cadre_a, to="外区",
                                     on=D(2026, 9, 3))  # fmt: skip
    reminders_scan(today=D(2026, 10, 3))
    assert not Reminder.objects.filter(rule="relation_receipt").exists()
    reminders_scan(today=D(2026, 10, 4))
    reminder = Reminder.objects.get(rule="relation_receipt")
    assert reminder.recipient == cast.secretary and "回执" in reminder.text
    reminders_scan(today=D(2026, 10, 20))  # the same lateness: no second reminder
    assert Reminder.objects.filter(rule="relation_receipt").count() == 1
    reminders_scan(today=D(2026, 11, 3))  # a month on: reminded again
    assert Reminder.objects.filter(rule="relation_receipt").count() == 2
    relation_receipt_received(by=cast.secretary, transfer=transfer, on=D(2026, 11, 4))
    reminders_scan(today=D(2026, 12, 4))
    assert Reminder.objects.filter(rule="relation_receipt").count() == 2


def test_a_transfer_in_places_the_member(cast):
    branch = cast.tree["branch_B"]
    new = relation_transfer_in(by=cast.grid_b, branch=branch, origin="外区某支部",
                               on=D(2026, 10, 8), their_number="（2026）第37号", name="新来者",
                               id_number=make_id_number(D(1950, 3, 3), True),
                               category="tuixiu", member_status="full")  # fmt: skip
    assert (new.cadre.branch, new.cadre.on_roster_since, new.direction) == (
        branch,
        D(2026, 10, 8),
        "in",
    )
    assert new.cadre.residence_unit == cast.tree["community_B"]
    # Left once and comes back: the same dossier, active again in the new branch.
    out = relation_transfer_out(
        by=cast.secretary, cadre=cast.cadre_a, to="外区", on=D(2026, 3, 1)
    )
    back = relation_transfer_in(by=cast.grid_b, branch=branch, origin="外区", on=D(2026, 11, 2),
                                name="张三丰", id_number=cast.cadre_a.id_number,
                                category="tuixiu", member_status="full")  # fmt: skip
    assert back.cadre.pk == out.cadre.pk
    cadre = Cadre.objects.get(pk=cast.cadre_a.pk)
    assert (cadre.status, cadre.branch) == (CadreStatus.ACTIVE, branch)
    with pytest.raises(ValidationError):  # on the roster already
        relation_transfer_in(by=cast.grid_b, branch=branch, origin="x", on=D(2026, 11, 2),
                             name="李四光", id_number=cast.cadre_b.id_number, category="tuixiu")  # fmt: skip
    with pytest.raises(PermissionDenied):  # grid B's worker does not place in grid A
        relation_transfer_in(by=cast.grid_b, branch=cast.tree["branch_A"], origin="x",
                             on=D(2026, 11, 2), name="x", category="tuixiu",
                             id_number=make_id_number(D(1951, 3, 3), True))  # fmt: skip
    assert RelationTransfer.objects.filter(direction="in").count() == 2


def test_the_pages_and_the_letter(client, cast):
    client.force_login(cast.secretary)
    response = client.post(reverse("members:relation_out", args=[cast.cadre_a.pk]),
                           {"to": "外区某街道党工委", "on": "2026-09-03", "valid_days": "30"})  # fmt: skip
    transfer = RelationTransfer.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "members:relation_letter", args=[transfer.pk])  # fmt: skip
    letter = client.get(response.url).content.decode()
    assert "中国共产党党员组织关系介绍信" in letter and "（2026）第1号" in letter
    assert "回　执" in letter and "张三丰" in letter and "外区某街道党工委" in letter
    page = client.get(reverse("members:relations")).content.decode()
    assert 'data-cadre="张三丰"' in page
    # A mangled id is "not found", never a server error.
    for junk in ("abc", "²", "9" * 40, ""):
        response = client.post(
            reverse("members:relations"), {"action": "receipt", "transfer": junk}
        )
        assert response.status_code == 404
    client.post(
        reverse("members:relations"), {"action": "receipt", "transfer": transfer.pk}
    )
    assert RelationTransfer.objects.get().receipt_on is not None
    client.force_login(cast.grid_b)
    assert (
        client.get(reverse("members:relation_letter", args=[transfer.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("members:relation_out", args=[cast.cadre_b.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("members:relation_out", args=[cast.cadre_a.pk])).status_code
        == 404
    )
    client.force_login(cast.leader)
    assert (
        client.get(reverse("members:relation_out", args=[cast.cadre_b.pk])).status_code
        == 403
    )
    assert client.post(reverse("members:relations"), {"name": "x"}).status_code == 403
    client.force_login(cast.outsider)
    assert client.get(reverse("members:relations")).status_code == 403
