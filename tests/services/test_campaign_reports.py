"""Issue 20, reports: per campaign and per township — cadres serving (once each),
hours, patrols, problems found and findings closed — on the campaigns page and its
export (scoped, logged); the campaign page's patrols per team and month with the
open findings."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities.selectors.campaigns import campaigns_report
from activities.services.campaigns import (
    campaign_entry_record,
    campaign_role_add,
    campaign_serve,
    campaign_start,
)
from grids.models import AccessLog
from services.patrols import patrols_by_team
from services.services.patrols import finding_update, patrol_log

D = datetime.date


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


@pytest.fixture
def work(cast):
    """Two campaigns of the township: the river with two patrol teams (north bank:
    张三丰; south bank: 李四光) and a clean-up where 张三丰 serves too."""
    start = D(2026, 4, 1)
    river = campaign_start(by=cast.officer, name="吴淞江", unit=cast.tree["township"],
                           start_on=start)  # fmt: skip
    north = river.roles.get(kind="patrol")
    south = campaign_role_add(by=cast.officer, campaign=river, name="南岸巡查队",
                              kind="patrol", needs="travel")  # fmt: skip
    a = campaign_serve(by=cast.officer, role=north, cadre=cast.cadre_a, start_on=start)
    b = campaign_serve(by=cast.officer, role=south, cadre=cast.cadre_b, start_on=start)
    clean = campaign_start(by=cast.officer, name="河道保洁", unit=cast.tree["grid_A"],
                           start_on=start)  # fmt: skip
    c = campaign_serve(by=cast.officer, role=clean.roles.get(kind="publicity"),
                       cadre=cast.cadre_a, start_on=start)  # fmt: skip
    for service, day, hours in ((a, D(2026, 5, 6), "3"), (b, D(2026, 6, 1), "2"),
                                (c, D(2026, 6, 2), "1.5")):  # fmt: skip
        campaign_entry_record(by=cast.officer, service=service, on=day, hours=Decimal(hours),
                              done="巡查")  # fmt: skip
    log = {"by": cast.officer, "campaign": river, "place": "岸边"}
    patrol_log(**log, patrolled_at=_at(D(2026, 5, 6)), members=[cast.cadre_a])
    patrol_log(**log, patrolled_at=_at(D(2026, 5, 20)), members=[cast.cadre_a],
               finding_kind="garbage", notes="垃圾")  # fmt: skip
    found = patrol_log(**log, patrolled_at=_at(D(2026, 6, 1)), members=[cast.cadre_b],
                       finding_kind="garbage", notes="漂浮物")  # fmt: skip
    finding_update(by=cast.officer, patrol=found, close=True, resolution="已打捞")
    # Both teams together once.
    patrol_log(
        **log, patrolled_at=_at(D(2026, 6, 9)), members=[cast.cadre_a, cast.cadre_b]
    )
    return river, clean


def test_per_campaign_and_per_township(cast, work):
    river, clean = work
    labels, lines = campaigns_report(cast.officer, river.__class__.objects.all())
    assert labels == ["巡查次数", "发现问题", "问题办结"]
    by_name = {(line.campaign.name if line.campaign else "合计"): line for line in lines}
    r = by_name["吴淞江"]
    assert (r.serving, r.hours, list(r.figures.values())) == (2, Decimal(5), [4, 2, 1])
    c = by_name["河道保洁"]
    assert (c.serving, c.hours, list(c.figures.values())) == (
        1,
        Decimal("1.5"),
        [0, 0, 0],
    )
    total = by_name["合计"]
    # 张三丰 serves in both: counted once in the township.
    assert (total.township, total.serving, total.hours) == ("测试镇", 2, Decimal("6.5"))
    assert list(total.figures.values()) == [4, 2, 1]


def test_the_report_counts_only_what_the_user_sees(cast, work):
    river, _clean = work
    _labels, lines = campaigns_report(cast.grid_a, river.__class__.objects.all())
    r = next(line for line in lines if line.campaign == river)
    # Grid A sees 张三丰 only: his patrols (three) and his hours.
    assert (r.serving, r.hours, list(r.figures.values())) == (1, Decimal(3), [3, 1, 0])


def test_patrols_per_team_and_month(cast, work):
    river, _clean = work
    teams, months, rows = patrols_by_team(river, cast.officer)
    assert months == [D(2026, 5, 1), D(2026, 6, 1)]
    table = {team.name: [n for _m, n in counts] for team, counts in rows}
    assert table == {"督导巡查": [2, 1], "南岸巡查队": [0, 2]}


def test_the_pages_and_the_export(client, cast, work):
    river, _clean = work
    client.force_login(cast.officer)
    page = client.get(reverse("campaigns:list")).content.decode()
    assert 'data-township="测试镇"' in page and "巡查次数" in page
    detail = client.get(reverse("campaigns:detail", args=[river.pk])).content.decode()
    assert 'id="patrols-per-team"' in detail and 'data-team="南岸巡查队"' in detail
    assert 'id="campaign-open-findings"' in detail and "垃圾" in detail
    response = client.get(reverse("campaigns:list") + "?format=xlsx")
    rows = [
        [c.value for c in r]
        for r in load_workbook(io.BytesIO(response.content)).active.iter_rows()
    ]
    assert rows[0][-3:] == ["巡查次数", "发现问题", "问题办结"]
    assert ["测试镇", "合计", None, None, 2, 6.5, 4, 2, 1] in rows
    log = AccessLog.objects.get(object_type="campaign")
    assert log.user == cast.officer and log.action == "export"


def test_the_report_is_refused_to_the_outsider(client, cast, work):
    client.force_login(cast.outsider)
    assert client.get(reverse("campaigns:list") + "?format=xlsx").status_code == 403
    assert not AccessLog.objects.filter(object_type="campaign").exists()
