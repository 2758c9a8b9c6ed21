"""Issue 18, the dashboard's to-do panel: a registry each app adds its items to; each
item counts what waits in the user's scope and links to the page that does it."""

import datetime

from django.urls import reverse
from django.utils import timezone

from grids.todo import Todo, register_todo, todo_sources, todos_for
from members.models import Mobility
from services.models import VisitPlan

from ..factories import make_cadre


def test_the_panel_shows_what_waits_with_its_links(client, cast):
    today = timezone.localdate()
    VisitPlan.objects.filter(cadre=cast.cadre_a).update(
        next_due_on=today - datetime.timedelta(days=5)
    )
    make_cadre(branch=cast.tree["branch_A"], name="卧床甲", mobility=Mobility.HOME)
    from activities.services import meeting_record

    meeting_record(branch=cast.tree["branch_A"], kind="themed_party_day",
                   starts_at=timezone.now() - datetime.timedelta(days=3), topic="学")  # fmt: skip
    items = {t.key: t for t in todos_for(cast.grid_a, today)}
    assert items["visits_overdue"].count >= 1 and items["visits_overdue"].urgent
    assert items["study"].count == 1 and items["study"].url == reverse("visits:mine")
    client.force_login(cast.grid_a)
    page = client.get(reverse("home")).content.decode()
    panel = page.split('id="todo"')[1].split("</section>")[0]
    assert "逾期未走访" in panel and reverse("visits:mine") in panel
    # Another grid's worker has nothing of grid A's.
    other = {t.key: t.count for t in todos_for(cast.grid_b, today)}
    assert other.get("study", 0) == 0


def test_an_app_adds_its_items_without_touching_the_dashboard(client, cast):
    def findings(user, today):
        yield Todo("findings", "待核实的问题", 3, "/findings/")

    register_todo(findings)
    try:
        client.force_login(cast.officer)
        assert "待核实的问题" in client.get(reverse("home")).content.decode()
    finally:
        todo_sources.remove(findings)


def test_a_leader_and_an_outsider_see_no_work_items(client, cast):
    today = timezone.localdate()
    assert {t.key for t in todos_for(cast.leader, today)} <= {"reminders"}
    client.force_login(cast.outsider)
    assert client.get(reverse("home")).status_code == 200


def test_the_home_page_carries_five_charts_with_their_tables(client, cast):
    import json
    import re

    client.force_login(cast.officer)
    page = client.get(reverse("home")).content.decode()
    data = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>',
                                page, re.S).group(1))  # fmt: skip
    assert [c["id"] for c in data] == ["chart-visits", "chart-ages", "chart-participation",
                                       "chart-partners", "chart-checkups"]  # fmt: skip
    ages = next(c for c in data if c["id"] == "chart-ages")
    assert sum(sum(s["values"]) for s in ages["series"]) == 3  # the cast's three cadres
    assert page.count("查看数据表") == 5


def test_the_dashboard_is_kept_and_a_change_shows_within_minutes(client, cast, settings):
    """Served from the kept aggregates (with their time); once they are older than
    DASHBOARD_CACHE_SECONDS the next visit queues one refresh (in-process here) and
    the change shows."""
    from gridparty.dashboard import dashboard_key
    from grids.cache import cache_get, cache_set

    client.force_login(cast.officer)
    before = client.get(reverse("home")).context["counts"]["active"]
    make_cadre(branch=cast.tree["branch_A"], name="新来的")
    kept = client.get(reverse("home"))
    assert kept.context["counts"]["active"] == before  # kept, not recomputed
    assert "数据截至" in kept.content.decode()
    entry = cache_get(dashboard_key(cast.officer))
    entry["made_at"] -= datetime.timedelta(seconds=settings.DASHBOARD_CACHE_SECONDS + 1)
    cache_set(dashboard_key(cast.officer), entry)
    assert client.get(reverse("home")).context["counts"]["active"] == before + 1


def test_the_warm_up_refreshes_the_dashboards_of_recent_users(cast):
    from gridparty.dashboard import dashboard_key
    from gridparty.tasks import dashboard_warm_task
    from grids.cache import cache_get

    type(cast.officer).objects.filter(pk=cast.officer.pk).update(
        last_login=timezone.now()
    )
    assert dashboard_warm_task() == 1
    kept = cache_get(dashboard_key(cast.officer))
    assert kept["counts"]["active"] == 3 and len(kept["charts"]) == 5
    assert cache_get(dashboard_key(cast.grid_a)) is None  # never logged in


def test_coming_up_lists_birthdays_milestones_political_birthdays_and_the_50_years(
    client, cast
):
    from gridparty.upcoming import upcoming_for
    from members.models import Cadre

    today = datetime.date(2026, 4, 10)
    make_cadre(
        branch=cast.tree["branch_A"], name="寿星", birth=datetime.date(1950, 4, 12)
    )
    make_cadre(
        branch=cast.tree["branch_A"], name="九十", birth=datetime.date(1936, 4, 25)
    )
    Cadre.objects.filter(name="张三丰").update(
        joined_party_on=datetime.date(1960, 4, 3),
        full_member_on=datetime.date(1961, 4, 3),
    )
    items = {u["key"]: u for u in upcoming_for(cast.officer, today)}
    assert items["birthdays_week"]["count"] == 1
    assert items["birthdays_week"]["names"] == ["寿星（04-12）"]
    assert items["milestones"]["names"] == ["九十，90岁"]
    assert "/visits/birthdays/" in items["milestones"]["url"]
    assert items["political"]["names"] == ["张三丰，入党66年"]
    assert items["fifty_years"]["count"] >= 1  # spring: the 七一 list is being prepared
    assert "fifty_years" not in {
        u["key"] for u in upcoming_for(cast.officer, today.replace(month=9))
    }
    # Another grid's worker sees none of grid A's.
    assert all(
        "寿星" not in " ".join(u["names"]) for u in upcoming_for(cast.grid_b, today)
    )
    soon = timezone.localdate() + datetime.timedelta(days=2)
    make_cadre(branch=cast.tree["branch_A"], name="后天生日",
               birth=soon.replace(year=1950) if (soon.month, soon.day) != (2, 29) else
               datetime.date(1952, 2, 29))  # fmt: skip
    client.force_login(cast.officer)
    page = client.get(reverse("home")).content.decode()
    panel = page.split('id="upcoming"')[1].split("</section>")[0]
    assert "近期" in page and "7 天内过生日" in panel and "后天生日" in panel


def test_the_dashboard_shows_this_quarters_coverage_by_child_unit(client, cast):
    client.force_login(cast.officer)
    page = client.get(reverse("home"))
    grid = page.context["dashboard"]["coverage"]
    assert grid["unit"] == "测试镇" and [r["name"] for r in grid["rows"]] == [
        "网格A",
        "网格B",
    ]
    html = page.content.decode()
    assert 'id="coverage-now"' in html and "/coverage/?" in html
    client.force_login(cast.secretary)  # a branch's scope: no places, no grid
    assert client.get(reverse("home")).context["dashboard"]["coverage"] is None


def test_the_roster_count_says_its_change_this_month(client, cast):
    from members.models import ArchiveReason
    from members.services import cadre_archive

    today = timezone.localdate()
    make_cadre(branch=cast.tree["branch_A"], name="新入册")  # on the roster from today
    cadre_archive(cadre=cast.cadre_b, reason=ArchiveReason.DECEASED, on=today)
    client.force_login(cast.officer)
    page = client.get(reverse("home"))
    counts = page.context["counts"]
    assert (counts["came"], counts["left"]) >= (1, 1)
    assert "本月新增" in page.content.decode()
