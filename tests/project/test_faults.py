"""Faults that must leave nothing broken (issue 14): concurrent resends, concurrent
scans on 1 April, Redis down under the import pages, stuck imports, and the tree and
partner imports' error files."""

import datetime
import io
import threading
import time
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu import pools as kombu_pools
from openpyxl import load_workbook

from activities.models import Honour, HonourKind
from gridparty.celery import app as celery_app
from grids.models import StaffRole
from members.imports.models import ImportJob, ImportStatus
from members.imports.services import imports_sweep
from services.models import CareVisit
from services.reminders import reminders_scan
from tests.factories import UserFactory, assign, make_cadre
from tests.members.roster_files import id_number, write_roster

CLOSED = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serializes them)")


# ---- concurrency ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_resends_of_one_visit_store_one_and_all_answer_success(cast):
    needs_postgresql()
    worker = UserFactory(username="jinqiao")
    assign(worker, cast.tree["community_A"], StaffRole.COMMUNITY_WORKER)
    key = str(uuid.uuid4())
    data = {
        "client_key": key,
        "kinds": ["home_visit"],
        "cadres": [str(cast.cadre_a.pk)],
        "visited_on": timezone.localdate().isoformat(),
        "outcome": "met",
    }
    url = reverse("visits:new", args=[cast.cadre_a.pk])
    phones, rounds = 5, 6
    barrier = threading.Barrier(phones)
    answers: list[tuple[int, object]] = []

    def phone(json: bool):
        client = Client()
        client.force_login(worker)
        try:
            for _ in range(rounds):
                barrier.wait()
                if json:
                    response = client.post(url, data, HTTP_ACCEPT="application/json")
                    answers.append((response.status_code, response.json()))
                else:
                    response = client.post(url, data)
                    answers.append((response.status_code, response.get("Location")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=phone, args=(n % 2 == 0,)) for n in range(phones)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    visit = CareVisit.objects.get(client_key=key)
    assert len(answers) == phones * rounds
    profile = reverse("members:cadre_detail", args=[cast.cadre_a.pk])
    for status, answer in answers:
        if isinstance(answer, dict):
            assert (status, answer) == (
                200,
                {"ok": True, "visit": visit.pk, "next": profile},
            )
        else:
            assert (status, answer) == (302, profile)


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_on_1_april_make_each_honour_row_once(cast):
    needs_postgresql()
    for n in range(30):
        make_cadre(
            branch=cast.tree["branch_A"],
            name=f"老党员{n}",
            joined_party_on=datetime.date(1970, 1, 1),
            full_member_on=datetime.date(1971, 1, 1),
        )
    barrier = threading.Barrier(2)
    failures = []

    def scan():
        try:
            barrier.wait()
            reminders_scan(today=datetime.date(2026, 4, 1))
        except Exception as exc:  # the test reports it
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    honours = Honour.objects.filter(kind=HonourKind.PARTY_50_YEARS, year=2026)
    assert honours.count() == 33  # the cast's three cadres (full since 1971) and 30
    reminders_scan(today=datetime.date(2026, 4, 1))
    assert honours.count() == 33


# ---- Redis down ------------------------------------------------------------------------


@pytest.fixture
def redis_down(settings):
    """Cache and broker pointed at a closed port, as with Redis stopped."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.IMPORT_RUNNER = "celery"
    saved = {k: celery_app.conf[k] for k in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=CLOSED, task_always_eager=False)
    _fresh_connections()
    yield
    celery_app.conf.update(saved)
    _fresh_connections()


def _fresh_connections() -> None:
    """Celery keeps its connection and producer pools (made with the broker URL of
    their time): drop them, so the next message goes to the configured broker."""
    kombu_pools.reset()  # kombu's own registries of pools, closed and emptied
    celery_app._pool = None  # noqa: SLF001
    celery_app.amqp._producer_pool = None  # noqa: SLF001


def _roster(tmp_path, rows: int) -> bytes:
    data = [[f"新{i}", id_number(), "社区A党支部"] for i in range(rows)]
    return write_roster(
        tmp_path / "r.xlsx", ["姓名", "身份证号", "所属支部"], data
    ).read_bytes()


def test_with_redis_down_a_small_import_checks_and_imports(
    client, cast, tmp_path, redis_down
):
    client.force_login(cast.officer)
    assert client.get(reverse("imports:home")).status_code == 200
    response = client.post(
        reverse("imports:home"),
        {
            "kind": "roster",
            "mode": "create",
            "file": SimpleUploadedFile("r.xlsx", _roster(tmp_path, 3)),
        },
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportStatus.PREVIEWED and job.preview["created"] == 3
    assert client.get(reverse("imports:progress", args=[job.pk])).json()["finished"]
    page = client.get(reverse("imports:detail", args=[job.pk]))
    assert page.status_code == 200
    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.result["created"] == 3


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_a_large_upload_runs_in_process_and_finishes(
    client, cast, tmp_path, redis_down, settings
):
    needs_postgresql()
    settings.IMPORT_BACKGROUND_ROWS = 10
    client.force_login(cast.officer)
    response = client.post(
        reverse("imports:home"),
        {
            "kind": "roster",
            "mode": "create",
            "file": SimpleUploadedFile("r.xlsx", _roster(tmp_path, 40)),
        },
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.background
    deadline = time.monotonic() + 60
    while job.status == ImportStatus.PREVIEWING and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED and job.preview["created"] == 40
    assert client.get(reverse("imports:detail", args=[job.pk])).status_code == 200
    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    while job.status == ImportStatus.IMPORTING and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.result["created"] == 40


def test_a_stuck_import_is_marked_failed_by_the_sweep_and_its_page(
    client, cast, settings
):
    old = timezone.now() - datetime.timedelta(minutes=settings.IMPORT_STUCK_MINUTES + 1)
    jobs = [
        ImportJob.objects.create(kind="roster", user=cast.officer, status=status,
                                 file_name="r.xlsx", file_size=1)
        for status in (ImportStatus.PREVIEWING, ImportStatus.IMPORTING)
    ]  # fmt: skip
    fresh = ImportJob.objects.create(
        kind="roster",
        user=cast.officer,
        status=ImportStatus.PREVIEWING,
        file_name="r.xlsx",
        file_size=1,
    )
    ImportJob.objects.filter(pk__in=[j.pk for j in jobs]).update(updated_at=old)
    client.force_login(cast.officer)
    page = client.get(reverse("imports:detail", args=[jobs[0].pk])).content.decode()
    assert "没有完成" in page
    imports_sweep()
    statuses = {j.pk: j.status for j in ImportJob.objects.all()}
    assert statuses[jobs[0].pk] == statuses[jobs[1].pk] == ImportStatus.FAILED
    assert statuses[fresh.pk] == ImportStatus.PREVIEWING


# ---- tree and partner imports: their own error files -----------------------------------


@pytest.mark.parametrize(
    ("kind", "header", "rows", "bad"),
    [
        ("tree", ["名称", "类型", "上级"],
         [["网格C", "网格", "测试镇"], ["=cmd|' /C calc'!A0", "星球", "测试镇"]], 3),
        ("partners", ["单位名称", "类型", "结对网格/社区/村"],
         [["镇卫生院", "驻区单位", "社区A"], ["@SUM(1+1)", "外星组织", "社区A"]], 3),
    ],
)  # fmt: skip
def test_tree_and_partner_imports_give_their_own_error_file(
    client, cast, tmp_path, kind, header, rows, bad
):
    client.force_login(cast.officer)
    data = _with_text_cells(write_roster(tmp_path / "x.xlsx", header, rows))
    client.post(
        reverse("imports:home"),
        {"kind": kind, "mode": "create", "file": SimpleUploadedFile("x.xlsx", data)},
    )
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PREVIEWED, job.message
    assert job.preview["refused"] == 1 and job.error_file
    response = client.get(reverse("imports:error_file", args=[job.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][: len(header)] == header and values[0][-1] == "错误信息"
    assert values[bad - 1][0] == "'" + rows[1][0]  # neutralized, not a formula
    assert f"第{bad}行" in values[bad - 1][-1]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def _with_text_cells(path) -> bytes:
    """The file as an office saves a typed text that begins with "=" or "@": a text
    cell, not a formula (openpyxl alone would store a formula)."""
    workbook = load_workbook(path)
    for row in workbook.active.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
