"""Issue 21, hardship help and condolences: fund balances per source and year, the
离休 members not yet visited for the Spring Festival, and amounts hidden from the
roles that may not read them (access cast)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from members.models import Category
from services.funds import (
    AmountRule,
    fund_balances,
    spring_unvisited,
    this_spring_festival,
)
from services.models import CareGift, VisitKind
from services.services import visit_log
from services.services.funds import fund_add, gift_record
from tests.factories import make_cadre

D = datetime.date


@pytest.fixture
def ledger(cast):
    township = cast.tree["township"]
    org = fund_add(by=cast.officer, unit=township, year=2026, source="区委组织部下拨",
                   allocated=Decimal(10000))  # fmt: skip
    own = fund_add(by=cast.officer, unit=township, year=2026, source="镇财政",
                   allocated=Decimal(3000))  # fmt: skip
    lixiu = [make_cadre(branch=cast.tree[b], name=n, category=Category.LIXIU)
             for b, n in (("branch_A", "离休甲"), ("branch_A", "离休乙"), ("branch_B", "离休丙"))]  # fmt: skip
    gift_record(by=cast.secretary, cadre=lixiu[0], kind="spring", amount=Decimal(1000),
                fund=org, given_on=D(2026, 2, 10), handed_by="镇党委书记")  # fmt: skip
    gift_record(by=cast.grid_a, cadre=cast.cadre_a, kind="illness", amount=Decimal(500),
                fund=org, given_on=D(2026, 5, 3), handed_by="网格员")  # fmt: skip
    gift_record(by=cast.officer, cadre=cast.cadre_b, kind="hardship", amount=Decimal(2000),
                fund=own, given_on=D(2026, 7, 1), handed_by="组织委员", goods="米、油")  # fmt: skip
    return {"org": org, "own": own, "lixiu": lixiu}


def test_fund_balances_per_source(cast, ledger):
    rows = {
        f.source: (spent, left) for f, spent, left in fund_balances(cast.officer, 2026)
    }
    assert rows == {"区委组织部下拨": (Decimal(1500), Decimal(8500)),
                    "镇财政": (Decimal(2000), Decimal(1000))}  # fmt: skip
    assert fund_balances(cast.secretary, 2026) == []  # a secretary keeps no fund
    with pytest.raises(PermissionDenied):
        fund_add(by=cast.secretary, unit=cast.tree["township"], year=2026, source="x",
                 allocated=Decimal(1))  # fmt: skip
    with pytest.raises(ValidationError):  # a 2026 fund for a 2027 gift
        gift_record(by=cast.officer, cadre=cast.cadre_b, kind="hardship", amount=Decimal(1),
                    fund=ledger["own"], given_on=D(2027, 1, 3), handed_by="x")  # fmt: skip


def test_the_lixiu_not_yet_visited_for_the_spring_festival(cast, ledger):
    year, start, end = this_spring_festival(D(2026, 1, 20))
    assert (year, start, end) == (2026, D(2026, 1, 18), D(2026, 3, 3))
    assert this_spring_festival(D(2026, 12, 2))[0] == 2027
    names = {c.name for c in spring_unvisited(cast.officer, D(2026, 2, 20))}
    assert names == {"离休乙", "离休丙"}  # 离休甲 had the condolence in the season
    visit_log(cadres=[ledger["lixiu"][2]], kinds=[VisitKind.HOLIDAY_VISIT],
              visited_on=D(2026, 2, 16))  # fmt: skip
    assert {c.name for c in spring_unvisited(cast.officer, D(2026, 2, 20))} == {"离休乙"}
    assert {c.name for c in spring_unvisited(cast.grid_b, D(2026, 2, 20))} == set()


@pytest.mark.parametrize(
    "who, shown",
    [
        ("officer", {"离休甲", "张三丰", "李四光"}),
        ("secretary", {"离休甲", "张三丰"}),  # branch A's
        ("grid_a", {"张三丰"}),  # only the entry they recorded
        ("leader", set()),
        ("community_b", set()),
    ],
)
def test_amounts_are_shown_only_to_those_who_may_read_them(
    client, cast, ledger, who, shown
):
    user = getattr(cast, who)
    rule = AmountRule(user)
    visible = CareGift.objects.select_related("cadre")
    assert {g.cadre.name for g in visible if rule.allows(g)} == shown
    client.force_login(user)
    page = client.get(reverse("care_funds")).content.decode()
    for amount, name in (
        ("1000.00", "离休甲"),
        ("500.00", "张三丰"),
        ("2000.00", "李四光"),
    ):
        assert (amount in page) == (name in shown), (who, name)


def test_recording_from_the_page_and_the_cast(client, cast, ledger):
    client.force_login(cast.secretary)
    url = reverse("care_funds")
    page = client.get(
        url + f"?cadre={ledger['lixiu'][1].pk}&kind=spring"
    ).content.decode()
    assert 'id="gift-form"' in page
    response = client.post(url, {"cadre": ledger["lixiu"][1].pk, "kind": "spring",
                                 "amount": "800", "given_on": "2026-02-12",
                                 "handed_by": "支部书记", "fund": ledger["org"].pk})  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    assert CareGift.objects.filter(cadre=ledger["lixiu"][1], amount=800).exists()
    for who, status in (("grid_b", 404), ("leader", 403)):
        client.force_login(getattr(cast, who))
        response = client.post(url, {"cadre": ledger["lixiu"][1].pk, "kind": "hardship",
                                     "amount": "1", "given_on": "2026-02-12", "handed_by": "x"})  # fmt: skip
        assert response.status_code == status, who
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 403
    assert CareGift.objects.count() == 4
