"""Issue 21, the death of a member: archiving as deceased stops dues from the next
month, freezes 党龄 at the date of death, cancels their open needs (and frees the
needs they were to do), and reminds the secretary of the funeral condolence."""

import datetime
from decimal import Decimal

from django.urls import reverse

from activities.models import DuesAccount
from activities.selectors.dues import due_in, ledger
from activities.services.dues import dues_pay, dues_year_open
from members.services import cadre_archive, cadre_restore
from services.models import CareRequest, Reminder, RequestStatus
from services.services.requests import request_create, request_move
from tests.factories import make_cadre

D = datetime.date


def test_dying_stops_dues_next_month_and_freezes_party_age(cast):
    branch = cast.tree["branch_A"]
    cadre = make_cadre(branch=branch, name="周老", monthly_pension=Decimal(6000),
                       full_member_on=D(1976, 5, 1))  # fmt: skip
    for year in (2026, 2027):
        dues_year_open(unit=branch, year=year, today=D(year, 1, 2))
    account = DuesAccount.objects.get(cadre=cadre, year=2026)
    dues_pay(by=cast.secretary, account=account, months=[1, 2], paid_on=D(2026, 2, 1),
             paid_by="cash")  # fmt: skip
    assert cadre.party_age(D(2026, 4, 30)) == 49
    cadre_archive(cadre=cadre, reason="deceased", on=D(2026, 3, 14), by=cast.secretary)
    cadre.refresh_from_db()
    account.refresh_from_db()
    assert (due_in(account, 3), due_in(account, 4)) == (Decimal("60.00"), Decimal(0))
    (row,) = ledger(DuesAccount.objects.filter(pk=account.pk), 12)
    assert row.unpaid == [3]  # March is owed, nothing after
    assert not DuesAccount.objects.filter(cadre=cadre, year=2027).exists()
    # 党龄 counted to the date of death: 49 on 14 March 2026, never 50.
    assert cadre.party_age(D(2030, 1, 1)) == 49 and cadre.party_50_years_on() is None
    # Archived in error and restored: the dues are owed again.
    cadre_restore(cadre=cadre, by=cast.officer)
    account.refresh_from_db()
    assert account.last_month is None and due_in(account, 5) == Decimal("60.00")


def test_dying_closes_open_needs_and_leaves_a_condolence_to_do(cast):
    from grids.models import StaffRole
    from tests.factories import UserFactory, assign

    worker = UserFactory(username="jinqiao")
    assign(worker, cast.tree["community_A"], StaffRole.COMMUNITY_WORKER)
    own = request_create(
        by=worker, unit=None, cadre=cast.cadre_a, kind="ride", need="复查"
    )
    lecture = request_create(by=worker, unit=cast.tree["community_A"], cadre=None,
                             kind="lecture", need="健康讲座")  # fmt: skip
    lecture = request_move(by=cast.grid_a, request=lecture, status=RequestStatus.ASSIGNED,
                           cadre=cast.cadre_a)  # fmt: skip
    cadre_archive(
        cadre=cast.cadre_a, reason="deceased", on=D(2026, 11, 20), by=cast.secretary
    )
    own.refresh_from_db()
    lecture.refresh_from_db()
    assert own.status == RequestStatus.CANCELLED
    assert (lecture.status, lecture.assigned_cadre) == (RequestStatus.REQUESTED, None)
    assert "去世" in own.steps.order_by("pk").last().note
    reminders = Reminder.objects.filter(
        rule="funeral_condolence", subject_id=cast.cadre_a.pk
    )
    assert set(reminders.values_list("recipient__username", flat=True)) >= {"secretary_a"}
    assert "丧葬慰问" in reminders.first().text
    assert reminders.first().link == reverse(
        "members:cadre_detail", args=[cast.cadre_a.pk]
    )
    # Transferred out is not a death: nothing of the kind.
    cadre_archive(cadre=cast.cadre_b, reason="transferred_out", on=D(2026, 11, 20),
                  transferred_to="外区街道党工委")  # fmt: skip
    assert not Reminder.objects.filter(subject_id=cast.cadre_b.pk).exists()
    assert CareRequest.objects.count() == 2
