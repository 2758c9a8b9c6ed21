"""The benchmark harness behind `make bench`.

Each benchmark is a function registered with @benchmark; it receives the context
(the synthetic data set's facts) and returns figures as (name, value, unit) tuples.
Run each several times and report the median (`measure`); never assert timings in
unit tests. Later issues add their benchmarks here.
"""

import datetime
import re
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

BENCH_CADRES = 200_000
BENCH_SEED = 1
REPEATS = 5


@dataclass
class BenchContext:
    cadres: int
    seed: int
    bench_worker: str
    seed_seconds: float
    reused: bool


Figure = tuple[str, float, str]
Benchmark = Callable[[BenchContext], Iterable[Figure]]
BENCHMARKS: list[Benchmark] = []


def benchmark(func: Benchmark) -> Benchmark:
    BENCHMARKS.append(func)
    return func


def measure(func: Callable[[], object], repeats: int = REPEATS) -> float:
    """Median wall time of `func` in seconds over `repeats` runs (after one warm-up)."""
    func()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@benchmark
def seed_synthetic_figure(ctx: BenchContext) -> Iterable[Figure]:
    # Seeding 200k takes minutes, so it is timed once, when the bench database is
    # seeded; a reused database reports the time recorded then.
    yield (f"seed_synthetic_{ctx.cadres // 1000}k_s", round(ctx.seed_seconds, 1), "s")


# ---- roster import (issue 6) -------------------------------------------------------


def _roster_file(rows: int, seed: int = 6, phone_shift: int = 0) -> str:
    """A generated roster of new cadres for the bench township's branches (cached);
    with `phone_shift` the same cadres, each with another phone (a re-import)."""
    import datetime
    import random
    import tempfile
    from pathlib import Path

    from openpyxl import Workbook

    from grids.models import OrgUnit, UnitKind
    from grids.selectors import unit_paths
    from members.idnumbers import check_character

    path = (
        Path(tempfile.gettempdir())
        / f"gridparty-bench-roster-v3-{rows}-{seed}-{phone_shift}.xlsx"
    )
    if path.exists():
        return str(path)
    township = (
        OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP).order_by("tree_id", "lft").first()
    )
    # Units by their path (XX区/XX镇/第1网格/…): a name alone may not be unique.
    paths = unit_paths(tree_id=township.tree_id)
    branches = [
        (paths[u.pk], paths[u.parent_id])
        for u in OrgUnit.objects.filter(
            kind=UnitKind.BRANCH,
            tree_id=township.tree_id,
            lft__gt=township.lft,
            rght__lt=township.rght,
        )
    ]
    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["姓名", "身份证号", "性别", "出生日期", "所属支部", "居住社区/村", "类别", "是否党员",
                  "入党时间", "转正时间", "党员状态", "联系电话"])  # fmt: skip
    surnames, given = (
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗",
        "建国秀英国华玉兰志刚桂英德明凤英",
    )
    for n in range(rows):
        birth = datetime.date(1935, 1, 1) + datetime.timedelta(
            days=rng.randrange(30 * 365)
        )
        male = rng.random() < 0.55
        first17 = f"{410000 + n // 500:06d}{birth:%Y%m%d}{(n % 500) * 2 + male:03d}"
        branch, place = branches[rng.randrange(len(branches))]
        joined = birth + datetime.timedelta(days=rng.randint(20 * 365, 35 * 365))
        sheet.append([
            surnames[rng.randrange(20)] + given[rng.randrange(0, 16, 2):][:2], first17 + check_character(first17),
            "男" if male else "女", birth.isoformat(), branch, place, "退休", "是",
            f"{joined.year}.{joined.month:02d}", f"{joined.year + 1}.{joined.month:02d}", "正式党员",
            f"13{rng.randint(100000000, 999999999) + phone_shift}",
        ])  # fmt: skip
    workbook.save(path)
    return str(path)


def _run_import(path: str, user: str, baseline: bool = False, reimport: str = "") -> dict:
    import json
    import subprocess
    import sys

    command = [sys.executable, "manage.py", "bench_roster_import", path, "--user", user]
    if baseline:
        command.append("--baseline")
    if reimport:  # `path` imported first, then this file timed in update mode
        command += ["--reimport", reimport]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


@benchmark
def roster_import_figures(ctx: BenchContext) -> Iterable[Figure]:
    from grids.models import StaffAssignment, StaffRole

    officer = (
        StaffAssignment.objects.filter(role=StaffRole.TOWNSHIP_OFFICER)
        .order_by("unit__tree_id", "unit__lft")
        .values_list("user__username", flat=True)
        .first()
    )
    results = {}
    for rows in (10_000, 100_000):
        path = _roster_file(rows)
        runs = [_run_import(path, officer) for _ in range(3)]
        assert all(r["errors"] == 0 and r["rows"] == rows for r in runs), runs
        seconds = statistics.median(r["seconds"] for r in runs)
        results[rows] = seconds
        label = f"{rows // 1000}k"
        yield (f"import_{label}_s", round(seconds, 2), "s")
        yield (f"import_{label}_rows_per_s", round(rows / seconds), "rows/s")
        yield (f"import_{label}_peak_mb", round(max(r["peak_mb"] for r in runs)), "MB")
        yield (f"import_{label}_queries", runs[0]["queries"], "queries")
    baseline = _run_import(_roster_file(10_000), officer, baseline=True)
    yield ("import_baseline_10k_s", round(baseline["seconds"], 1), "s")
    yield ("import_baseline_10k_queries", baseline["queries"], "queries")
    yield ("import_vs_baseline_x", round(baseline["seconds"] / results[10_000], 1), "x")


# ---- visits (issue 8) -----------------------------------------------------------------


@benchmark
def visit_figures(ctx: BenchContext) -> Iterable[Figure]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from services.models import VisitPlan
    from services.plans import visit_plans_refresh

    fresh = not VisitPlan.objects.exists()
    started = time.perf_counter()
    visit_plans_refresh()
    label = "created" if fresh else "checked"
    yield (f"visit_plans_refresh_{ctx.cadres // 1000}k_{label}_s",
           round(time.perf_counter() - started, 1), "s")  # fmt: skip
    worker = get_user_model().objects.get(username=ctx.bench_worker)
    client = Client(HTTP_HOST="localhost")
    client.force_login(worker)
    client.get("/visits/mine/")  # the session's first request writes its stamp
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # (A wrapper, not CaptureQueriesContext: each request resets the query log.)
    with connection.execute_wrapper(count):
        response = client.get("/visits/mine/")
    assert response.status_code == 200, response.status_code
    due = re.search(r'id="queue-due-count">(\d+)<', response.content.decode())
    mine = measure(lambda: client.get("/visits/mine/"))
    yield ("my_visits_ms", round(mine * 1000, 1), "ms")
    yield ("my_visits_queries", len(queries), "queries")
    yield ("my_visits_due", int(due.group(1)) if due else 0, "cadres due")


# ---- coverage (issue 9) ---------------------------------------------------------------


def _township_officer():
    from grids.models import StaffAssignment, StaffRole

    return (
        StaffAssignment.objects.filter(role=StaffRole.TOWNSHIP_OFFICER)
        .select_related("user", "unit")
        .order_by("unit__tree_id", "unit__lft")
        .first()
    )


def _queries_of(client, url: str, query: dict) -> list[str]:
    """The SQL of one page request (asserted to succeed)."""
    from django.db import connection

    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url, query)
    assert response.status_code == 200, (url, response.status_code)
    return queries


@benchmark
def coverage_figures(ctx: BenchContext) -> Iterable[Figure]:
    from django.test import Client

    from gridparty.models import SyntheticDataset

    assignment = _township_officer()
    anchor = SyntheticDataset.objects.order_by("-pk").first().anchor
    # The last whole quarter before the data set's anchor date.
    quarter = (anchor.month - 1) // 3  # 0 = the quarter before Q1 of this year
    year = anchor.year if quarter else anchor.year - 1
    number = quarter or 4
    client = Client(HTTP_HOST="localhost")
    client.force_login(assignment.user)
    url = "/coverage/"
    query = {
        "unit": assignment.unit.pk,
        "period": "quarter",
        "year": year,
        "number": number,
    }
    client.get(url, query)  # the session's first request writes its stamp
    queries = _queries_of(client, url, query)
    seconds = measure(lambda: client.get(url, query))
    yield ("coverage_township_ms", round(seconds * 1000, 1), "ms")
    yield ("coverage_township_queries", len(queries), "queries")
    client.get("/health/due/")
    seconds = measure(lambda: client.get("/health/due/"))
    page = client.get("/health/due/").content.decode()
    due = re.search(r'id="health-due-count">(\d+)<', page)
    yield ("health_due_ms", round(seconds * 1000, 1), "ms")
    yield ("health_due_cadres", int(due.group(1)) if due else 0, "cadres due")


# ---- reminders (issue 10) ------------------------------------------------------------


@benchmark
def reminder_figures(ctx: BenchContext) -> Iterable[Figure]:
    from django.db import transaction

    from gridparty.models import SyntheticDataset
    from services.reminders import reminders_scan

    today = SyntheticDataset.objects.order_by("-pk").first().anchor
    # Timed inside a transaction that is rolled back: the bench database stays as
    # seeded, so every run measures a first scan and then a second one.
    with transaction.atomic():
        started = time.perf_counter()
        first = reminders_scan(today=today)
        seconds = time.perf_counter() - started
        second = reminders_scan(today=today)
        transaction.set_rollback(True)
    yield (f"scan_reminders_{ctx.cadres // 1000}k_s", round(seconds, 1), "s")
    yield ("scan_reminders_rows", sum(first.values()), "rows")
    yield ("scan_reminders_rescan_rows", sum(second.values()), "rows")


# ---- organizational life (issue 16) --------------------------------------------------


@benchmark
def party_life_figures(ctx: BenchContext) -> Iterable[Figure]:
    from django.test import Client

    from activities.periods import parse_period, window_of
    from activities.selectors.report import party_life_report
    from gridparty.models import SyntheticDataset
    from grids.models import OrgUnit, UnitKind

    assignment = _township_officer()
    anchor = SyntheticDataset.objects.order_by("-pk").first().anchor
    # The last whole quarter before the anchor date (its meetings are all held).
    last = window_of("quarter", anchor).start - datetime.timedelta(days=1)
    quarter = window_of("quarter", last).label
    client = Client(HTTP_HOST="localhost")
    client.force_login(assignment.user)
    query = {"unit": assignment.unit.pk, "period": quarter}
    client.get("/compliance/", query)  # the session's first request writes its stamp
    for name, url in (
        ("compliance", "/compliance/"),
        ("participation", "/participation/"),
    ):
        queries = _queries_of(client, url, query)
        seconds = measure(lambda url=url: client.get(url, query))
        yield (f"{name}_township_ms", round(seconds * 1000, 1), "ms")
        yield (f"{name}_township_queries", len(queries), "queries")
    district = OrgUnit.objects.filter(kind=UnitKind.DISTRICT).order_by("pk").first()
    year = parse_period(str(last.year))
    seconds = measure(lambda: party_life_report(district, year, anchor), repeats=3)
    report = party_life_report(district, year, anchor)
    yield ("party_life_report_district_s", round(seconds, 2), "s")
    yield ("party_life_report_branches", len(report["branches"]), "branches")
    yield ("party_life_report_expected", report["expected"], "expected")


# ---- points, review, certificates (issue 17) ----------------------------------------


@benchmark
def points_review_figures(ctx: BenchContext) -> Iterable[Figure]:
    """On the synthetic district, inside a transaction rolled back at the end: a
    township's points scheme with the ledgers of one branch, the township's reviews
    half started, and 200 approved medals printed."""
    from django.db import transaction
    from django.test import Client

    from activities.honour_views import certificate_pages, certificates_pdf
    from activities.models import (
        Honour,
        HonourKind,
        HonourStatus,
        PointsItem,
        PointsScheme,
    )
    from activities.selectors.partylife import branches_in
    from activities.services import review_start
    from activities.services.points import points_recompute
    from gridparty.models import SyntheticDataset
    from grids.models import OrgUnit
    from members.models import Cadre

    assignment = _township_officer()
    township = assignment.unit
    year = SyntheticDataset.objects.order_by("-pk").first().anchor.year
    client = Client(HTTP_HOST="localhost")
    client.force_login(assignment.user)
    with transaction.atomic():
        scheme = PointsScheme.objects.create(unit=township, year=year, base_score=60)
        for name, source, points, cap in (
            ("参加组织生活", "took_part", 2, 24),
            ("无故缺席", "absent", -2, None),
            ("学习", "study_hour", 1, None),
        ):
            PointsItem.objects.create(scheme=scheme, name=name, source=source,
                                      points=points, cap_per_year=cap)  # fmt: skip
        branches = branches_in(township)
        branch = OrgUnit.objects.get(pk=branches[0]["pk"])
        members = list(Cadre.objects.filter(branch=branch).values_list("pk", flat=True))
        started = time.perf_counter()
        points_recompute(members, year)
        yield ("points_recompute_branch_s", round(time.perf_counter() - started, 2), "s")
        query = {"branch": branch.pk, "year": year}
        client.get("/points/", query)
        queries = _queries_of(client, "/points/", query)
        seconds = measure(lambda: client.get("/points/", query))
        yield ("points_ranking_ms", round(seconds * 1000, 1), "ms")
        yield ("points_ranking_queries", len(queries), "queries")
        for b in branches[::2]:
            review_start(branch=OrgUnit.objects.get(pk=b["pk"]), year=year)
        query = {"unit": township.pk, "year": year}
        queries = _queries_of(client, "/reviews/", query)
        seconds = measure(lambda: client.get("/reviews/", query))
        yield ("review_progress_township_ms", round(seconds * 1000, 1), "ms")
        yield ("review_progress_township_queries", len(queries), "queries")
        cadres = Cadre.objects.filter(
            residence_unit__tree_id=township.tree_id, is_party_member=True
        ).exclude(honours__kind=HonourKind.PARTY_50_YEARS)[:200]
        honours = Honour.objects.bulk_create(
            Honour(cadre=c, kind=HonourKind.PARTY_50_YEARS, year=year,
                   status=HonourStatus.APPROVED) for c in cadres
        )  # fmt: skip
        honours = list(
            Honour.objects.filter(pk__in=[h.pk for h in honours]).select_related(
                "cadre__residence_unit"
            )
        )
        started = time.perf_counter()
        pdf = certificates_pdf(certificate_pages(honours, year))
        yield ("certificates_200_s", round(time.perf_counter() - started, 1), "s")
        yield ("certificates_200_kb", len(pdf) // 1024, "KB")
        transaction.set_rollback(True)


# ---- the dashboard (issue 18) ---------------------------------------------------------


@benchmark
def dashboard_figures(ctx: BenchContext) -> Iterable[Figure]:
    """The home page (to-do panel, counts and charts) as users get it — the aggregates
    kept and refreshed in the background (DASHBOARD_CACHE_SECONDS) — for a township
    officer and a district officer; and the background refresh itself."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import Client

    from gridparty.dashboard import dashboard_refresh
    from grids.models import OrgUnit, StaffAssignment, StaffRole, UnitKind

    officer = _township_officer().user
    with transaction.atomic():
        district_user = get_user_model().objects.create_user("bench-district")
        StaffAssignment.objects.create(
            user=district_user, role=StaffRole.TOWNSHIP_OFFICER,
            unit=OrgUnit.objects.filter(kind=UnitKind.DISTRICT).order_by("pk").first(),
        )  # fmt: skip
        for name, user in (("township", officer), ("district", district_user)):
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)
            refresh = measure(lambda user=user: dashboard_refresh(user), repeats=3)
            client.get("/")
            queries = _queries_of(client, "/", {})
            seconds = measure(lambda client=client: client.get("/"), repeats=5)
            yield (f"dashboard_{name}_ms", round(seconds * 1000, 1), "ms")
            yield (f"dashboard_{name}_queries", len(queries), "queries")
            yield (f"dashboard_{name}_refresh_ms", round(refresh * 1000, 1), "ms")
        transaction.set_rollback(True)
