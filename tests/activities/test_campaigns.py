"""Issue 20, campaigns (作用发挥): roles, who serves, the hours per role and month as
the sums of the entries logged; only cadres whose mobility suits a role; each page
and write refused to the wrong member of the cast."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import CampaignEntry, CampaignService
from activities.selectors.campaigns import campaign_overview, month_table
from activities.services.campaigns import (
    campaign_entry_record,
    campaign_serve,
    campaign_start,
)
from grids.models import AccessLog
from members.models import Mobility
from members.services import cadre_update
from tests.factories import make_cadre

MAY, JUNE = datetime.date(2026, 5, 1), datetime.date(2026, 6, 1)


@pytest.fixture
def river(cast):
    """The 吴淞江 campaign: three cadres in two roles, service in May and June."""
    campaign = campaign_start(by=cast.officer, name="吴淞江北岸生态环境综合治理",
                              unit=cast.tree["township"], start_on=datetime.date(2026, 4, 1))  # fmt: skip
    roles = {r.name: r for r in campaign.roles.all()}
    third = make_cadre(branch=cast.tree["branch_A"], name="赵六合")
    serve = {}
    for cadre, role in (
        (cast.cadre_a, "督导巡查"),
        (cast.cross, "督导巡查"),
        (third, "宣传发动"),
    ):
        serve[cadre.name] = campaign_serve(by=cast.officer, role=roles[role], cadre=cadre,
                                           start_on=datetime.date(2026, 4, 1))  # fmt: skip
    for name, day, hours in (
        ("张三丰", datetime.date(2026, 5, 6), "3"),
        ("张三丰", datetime.date(2026, 5, 20), "2"),
        ("张三丰", datetime.date(2026, 6, 3), "4"),
        ("王五常", datetime.date(2026, 6, 9), "1.5"),
        ("赵六合", datetime.date(2026, 5, 30), "2.5"),
    ):
        campaign_entry_record(by=cast.officer, service=serve[name], on=day,
                              hours=Decimal(hours), done="沿河巡查")  # fmt: skip
    return campaign, roles


def test_hours_per_role_and_month_are_the_sums_of_the_entries(cast, river):
    campaign, roles = river
    overview = campaign_overview(campaign, cast.officer)
    table = {
        s.role.name: (dict(hours), total) for s, hours, total in month_table(overview)
    }
    assert overview.months == [MAY, JUNE]
    assert table["督导巡查"] == ({MAY: Decimal(5), JUNE: Decimal("5.5")}, Decimal("10.5"))
    assert table["宣传发动"] == ({MAY: Decimal("2.5"), JUNE: Decimal(0)}, Decimal("2.5"))
    assert table["调查摸底"] == ({MAY: Decimal(0), JUNE: Decimal(0)}, Decimal(0))
    assert overview.total == Decimal(13) and overview.serving == 3
    per_cadre = {s.cadre.name: h for r in overview.roles for s, h in r.services}
    assert per_cadre == {"张三丰": 9, "王五常": Decimal("1.5"), "赵六合": Decimal("2.5")}


def test_the_page_and_its_export_show_the_same_sums(client, cast, river):
    campaign, _roles = river
    client.force_login(cast.officer)
    url = reverse("campaigns:detail", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert 'data-role="督导巡查"' in page and ">10.5<" in page and ">5.5<" in page
    book = load_workbook(io.BytesIO(client.get(url + "?format=xlsx").content))
    rows = [[c.value for c in r] for r in book["按角色"].iter_rows()]
    assert ["督导巡查", 2, 5, 5.5, 10.5] in rows
    people = [[c.value for c in r] for r in book["按人员"].iter_rows()]
    assert ["张三丰", "督导巡查", 5, 4, 9] in people
    assert AccessLog.objects.filter(user=cast.officer, action="export",
                                    object_type="campaign").exists()  # fmt: skip


def test_a_grid_worker_sees_only_the_cadres_of_their_grid(client, cast, river):
    campaign, _roles = river
    overview = campaign_overview(campaign, cast.grid_b)
    # Grid B sees 王五常 (lives in community B), not 张三丰 or 赵六合 (grid A).
    assert {s.cadre.name for r in overview.roles for s, _h in r.services} == {"王五常"}
    assert overview.total == Decimal("1.5")
    client.force_login(cast.grid_b)
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "王五常" in page and "张三丰" not in page


def test_a_cadre_at_home_cannot_patrol(cast, river):
    _campaign, roles = river
    cadre = make_cadre(branch=cast.tree["branch_A"], name="钱在家")
    cadre_update(cadre=cadre, mobility=Mobility.HOME)
    with pytest.raises(ValidationError, match="只能在家"):
        campaign_serve(by=cast.officer, role=roles["督导巡查"], cadre=cadre)
    with pytest.raises(ValidationError):
        campaign_serve(by=cast.officer, role=roles["宣传发动"], cadre=cadre)  # nearby
    assert not CampaignService.objects.filter(cadre=cadre).exists()


def test_entries_keep_inside_the_service_and_a_day(cast, river):
    _campaign, _roles = river
    service = CampaignService.objects.get(cadre=cast.cadre_a)
    for day, hours in ((datetime.date(2026, 3, 1), "2"), (datetime.date(2026, 5, 1), "25"),
                       (datetime.date(2099, 1, 1), "1")):  # fmt: skip
        with pytest.raises(ValidationError):
            campaign_entry_record(by=cast.officer, service=service, on=day,
                                  hours=Decimal(hours), done="x")  # fmt: skip
    assert CampaignEntry.objects.filter(service=service).count() == 3


def test_the_cast_is_refused_what_is_not_theirs(client, cast, river):
    campaign, roles = river
    # A grid worker may not log hours of a cadre outside their grid, nor a leader any.
    service = CampaignService.objects.get(cadre=cast.cadre_a)
    with pytest.raises(PermissionDenied):
        campaign_entry_record(by=cast.grid_b, service=service, on=MAY, hours=1, done="x")
    with pytest.raises(PermissionDenied):
        campaign_serve(by=cast.leader, role=roles["宣传发动"], cadre=cast.cadre_b)
    with pytest.raises(PermissionDenied):
        campaign_start(by=cast.grid_a, name="x", unit=cast.tree["township"], start_on=MAY)
    url = reverse("campaigns:detail", args=[campaign.pk])
    client.force_login(cast.outsider)
    assert client.get(reverse("campaigns:list")).status_code == 403
    assert client.get(url).status_code == 404
    client.force_login(cast.leader)  # reads, writes nothing
    page = client.get(url).content.decode()
    assert 'id="entry-form"' not in page and 'id="role-form"' not in page
    assert client.post(reverse("campaigns:role_new", args=[campaign.pk]),
                       {"name": "x", "kind": "other", "needs": "home"}).status_code == 403  # fmt: skip
    client.force_login(cast.grid_a)  # a grid's worker: not the township's roles
    assert client.post(reverse("campaigns:role_new", args=[campaign.pk]),
                       {"name": "x", "kind": "other", "needs": "home"}).status_code == 403  # fmt: skip


def test_the_pages_start_a_campaign_give_a_role_and_log_hours(client, cast):
    client.force_login(cast.grid_a)
    response = client.post(reverse("campaigns:list"), {
        "name": "网格A河道巡查", "unit": cast.tree["grid_A"].pk, "start_on": "2026-05-01",
        "standard_roles": "on",
    })  # fmt: skip
    campaign = cast.tree["grid_A"].campaigns.get()
    assert response["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    patrol = campaign.roles.get(name="督导巡查")
    serve = reverse("campaigns:serve", args=[campaign.pk])
    bad = client.post(serve, {"role": patrol.pk, "name": "李四光"})  # grid B: not theirs
    assert bad.status_code == 400 and "没有" in bad.content.decode()
    assert client.post(serve, {"role": patrol.pk, "name": "张三丰",
                               "start_on": "2026-05-01"}).status_code == 302  # fmt: skip
    service = CampaignService.objects.get(role=patrol)
    log = reverse("campaigns:entry_new", args=[campaign.pk])
    refused = client.post(log, {"service": service.pk, "on": "2026-05-02", "hours": "30",
                                "done": "巡河"})  # fmt: skip
    assert refused.status_code == 400 and not CampaignEntry.objects.exists()
    assert client.post(log, {"service": service.pk, "on": "2026-05-02", "hours": "2.5",
                             "done": "巡河"}).status_code == 302  # fmt: skip
    assert CampaignEntry.objects.get().hours == Decimal("2.5")
