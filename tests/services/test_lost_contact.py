"""Issue 21, lost contact (失联党员): six months without a visit met, a phone contact,
a meeting taken part in or dues paid proposes a member as 失联 — never set by
itself; set by the secretary, the dossier keeps the date; contact again proposes
restoring; the wrong member of the cast is refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from activities.models import AttendanceStatus, DuesAccount
from activities.services import meeting_record
from activities.services.dues import dues_pay, dues_year_open
from members.models import Cadre, MemberStatus
from services.contact import lost_contact_proposals, months_back
from services.models import VisitKind, VisitOutcome
from services.services import visit_log
from services.services.contact import lost_contact_restore, lost_contact_set
from tests.factories import make_cadre

D = datetime.date
TODAY = D(2026, 11, 15)  # six months back: 2026-05-15


def _at(day):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


@pytest.fixture
def people(cast):
    branch = cast.tree["branch_A"]
    roster = D(2020, 1, 1)
    make = {
        name: make_cadre(
            branch=branch,
            name=name,
            on_roster_since=roster,
            monthly_pension=Decimal(3000),
        )  # fmt: skip
        for name in ("见面", "电话", "开会", "交费", "无联系", "未见到")
    }
    visit_log(
        cadres=[make["见面"]], kinds=[VisitKind.HOME_VISIT], visited_on=D(2026, 6, 1)
    )
    visit_log(
        cadres=[make["电话"]], kinds=[VisitKind.PHONE_CALL], visited_on=D(2026, 9, 1)
    )
    visit_log(cadres=[make["未见到"]], kinds=[VisitKind.HOME_VISIT], visited_on=D(2026, 9, 1),
              outcome=VisitOutcome.NOT_AT_HOME)  # fmt: skip
    visit_log(
        cadres=[make["无联系"]], kinds=[VisitKind.HOME_VISIT], visited_on=D(2026, 4, 30)
    )
    absent = {
        c.pk: AttendanceStatus.ABSENT for c in (*make.values(), cast.cadre_a, cast.cross)
    }
    meeting_record(branch=branch, kind="themed_party_day", starts_at=_at(D(2026, 7, 1)),
                   topic="七一", statuses={**absent, make["开会"].pk: AttendanceStatus.PRESENT})  # fmt: skip
    dues_year_open(unit=branch, year=2026, today=D(2026, 1, 2))
    dues_pay(by=cast.secretary, account=DuesAccount.objects.get(cadre=make["交费"]),
             months=[8], paid_on=D(2026, 8, 5), paid_by="cash")  # fmt: skip
    return make


def _names(proposals, restore=False):
    return {p.cadre.name for p in proposals if p.restore is restore}


def test_six_months_without_contact_is_proposed_never_set(cast, people):
    assert months_back(TODAY, 6) == D(2026, 5, 15)
    assert months_back(D(2026, 8, 31), 6) == D(2026, 2, 28)
    proposed = _names(lost_contact_proposals(cast.secretary, TODAY))
    # Not met at home and absent from a meeting are no contact; a visit in April is
    # more than six months back. The cast's own two of branch A came onto the roster
    # today: not yet six months without contact.
    assert proposed == {"无联系", "未见到"}
    assert not Cadre.objects.filter(member_status=MemberStatus.OUT_OF_CONTACT).exists()
    by_name = {p.cadre.name: p for p in lost_contact_proposals(cast.secretary, TODAY)}
    assert by_name["无联系"].last_contact == D(2026, 4, 30)


def test_set_then_in_contact_again_is_proposed_for_restoring(cast, people):
    lost = people["无联系"]
    lost_contact_set(by=cast.secretary, cadre=lost, on=D(2026, 11, 16))
    lost.refresh_from_db()
    assert (lost.member_status, lost.lost_contact_since) == (
        MemberStatus.OUT_OF_CONTACT, D(2026, 11, 16))  # fmt: skip
    today = D(2026, 12, 3)
    assert "无联系" not in _names(
        lost_contact_proposals(cast.secretary, today), restore=True
    )
    visit_log(cadres=[lost], kinds=[VisitKind.PHONE_CALL], visited_on=D(2026, 12, 1))
    assert "无联系" in _names(lost_contact_proposals(cast.secretary, today), restore=True)
    assert "无联系" not in _names(lost_contact_proposals(cast.secretary, today))
    lost_contact_restore(by=cast.secretary, cadre=lost, on=today)
    lost.refresh_from_db()
    assert (lost.member_status, lost.lost_contact_since, lost.contact_restored_on) == (
        MemberStatus.FULL, D(2026, 11, 16), today)  # fmt: skip


def test_the_page_and_the_cast(client, cast, people):
    client.force_login(cast.secretary)
    page = client.get(reverse("visits:lost_contact")).content.decode()
    assert 'data-cadre="无联系"' in page
    response = client.post(reverse("visits:lost_contact"),
                           {"cadre": people["无联系"].pk, "action": "set"})  # fmt: skip
    assert response.status_code == 302
    assert Cadre.objects.get(pk=people["无联系"].pk).member_status == "out_of_contact"
    for who, status in (("grid_b", 404), ("leader", 403), ("outsider", 403)):
        client.force_login(getattr(cast, who))
        response = client.post(reverse("visits:lost_contact"),
                               {"cadre": people["未见到"].pk, "action": "set"})  # fmt: skip
        assert response.status_code == status, who
    assert Cadre.objects.get(pk=people["未见到"].pk).member_status == "full"
    with pytest.raises(PermissionDenied):
        lost_contact_set(by=cast.grid_b, cadre=people["未见到"])
    client.force_login(cast.grid_b)  # sees only grid B: nobody of branch A
    assert "未见到" not in client.get(reverse("visits:lost_contact")).content.decode()
