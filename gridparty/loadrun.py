"""`make load` (issue 22): the working morning of loadtest/locustfile.py against
gunicorn and a Celery worker under the production settings, on a copy of the
synthetic district (the bench database is the template, so a run changes nothing
there), then a check that every visit the server acknowledged is stored exactly once.

Each run prints `BENCH load_*` figures: the users, requests per second, p95 and p99
in milliseconds and the errors (5xx and failed checks) of the steady state (the
statistics are reset once every user has logged in)."""

import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# The targets of issue 22 on this machine.
TARGET_P95_MS = 300
TARGET_RPS = 15


@dataclass
class LoadResult:
    users: int
    requests: int
    rps: float
    p95_ms: float
    p99_ms: float
    errors: int
    visits_acknowledged: int
    visits_not_once: int
    import_status: str
    slowest: list[tuple[str, float]]

    @property
    def holds(self) -> bool:
        return (
            self.p95_ms < TARGET_P95_MS and self.errors == 0 and self.visits_not_once == 0
        )


def _server_url(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgresql://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"


class Copy:
    """A database copied from the bench database (its template), dropped afterwards."""

    def __init__(self):
        self.source = settings.DATABASES["default"]["NAME"]
        self.name = f"gridparty_load_{uuid.uuid4().hex[:8]}"
        self.url = _server_url(self.name)

    def __enter__(self):
        connection.close()  # CREATE DATABASE … TEMPLATE needs the template unused
        with psycopg.connect(_server_url("postgres"), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.source}"')
        return self

    def __exit__(self, *exc):
        with psycopg.connect(_server_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def make_plan(url: str, folder: Path, import_rows: int) -> Path:
    """Who logs in and which cadres each community worker visits (from the copy)."""
    from gridparty.bench import _roster_file
    from gridparty.synthetic.shared import SYNTHETIC_PASSWORD

    with psycopg.connect(url) as conn:
        officers = [r[0] for r in conn.execute(
            "SELECT u.username FROM auth_user u JOIN grids_staffassignment a ON a.user_id = u.id "
            "WHERE a.role = 'township_officer' ORDER BY u.username")]  # fmt: skip
        workers = []
        for username, unit in conn.execute(
            "SELECT u.username, a.unit_id FROM auth_user u JOIN grids_staffassignment a "
            "ON a.user_id = u.id WHERE a.role = 'community_worker' ORDER BY u.username "
            "LIMIT 120"
        ).fetchall():
            cadres = [r[0] for r in conn.execute(
                "SELECT id FROM members_cadre WHERE residence_unit_id = %s "
                "AND archived_on IS NULL ORDER BY id LIMIT 60", [unit])]  # fmt: skip
            if cadres:
                workers.append({"username": username, "cadres": cadres})
        # The officers worked yesterday: the periodic warm-up keeps their home pages
        # fresh, as it does in production (Servers runs it once before the morning).
        conn.execute("UPDATE auth_user SET last_login = now() - interval '1 day' "
                     "WHERE username = ANY(%s)", [officers])  # fmt: skip
    plan = {
        "password": SYNTHETIC_PASSWORD,
        "workers": workers,
        "officers": officers[2:] or officers,
        "exporter": officers[1],
        "importer": officers[0],  # the bench roster is for the first township
        "import_file": _roster_file(import_rows),
    }
    path = folder / "plan.json"
    path.write_text(json.dumps(plan))
    return path


class Servers:
    """gunicorn (gunicorn.conf.py) and a worker on both queues, serve settings."""

    def __init__(self, url: str, folder: Path, port: int, workers: int | None):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "gridparty.settings.serve",
            "DATABASE_URL": url,
            "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "IMPORT_FILE_DIR": str(folder / "imports"),
            "VISIT_PHOTO_DIR": str(folder / "photos"),
            "LOG_LEVEL": "WARNING",
        }
        if workers:
            self.env["GUNICORN_WORKERS"] = str(workers)
        self.base = f"http://127.0.0.1:{port}"
        self.log = (folder / "servers.log").open("w")
        self.processes: list[subprocess.Popen] = []

    def __enter__(self):
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                       cwd=ROOT, env=self.env, check=True)  # fmt: skip
        for command in (
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "gridparty.wsgi",
             "--access-logfile", "/dev/null"],
            ["nice", "-n", "10", str(BIN / "celery"), "-A", "gridparty", "worker",
             "-Q", "celery,imports",
             "--concurrency", "1", "-l", "warning"],
        ):  # fmt: skip
            self.processes.append(subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                start_new_session=True))  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz/ready", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(1)
        else:
            raise RuntimeError(f"the servers never became ready (see {self.log.name})")
        # What beat does every DASHBOARD_CACHE_SECONDS: the recent users' home pages.
        subprocess.run([sys.executable, "-c", "import django; django.setup(); from "
                        "gridparty.tasks import dashboard_warm_task; dashboard_warm_task()"],
                       cwd=ROOT, env=self.env, check=True)  # fmt: skip
        return self

    def __exit__(self, *exc):
        for process in self.processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.log.close()


def run_locust(base: str, plan: Path, folder: Path, users: int, seconds: int) -> Path:
    keys = folder / f"visits-{users}.txt"
    keys.write_text("")
    prefix = folder / f"stats-{users}"
    env = {
        **os.environ,
        "GRIDPARTY_LOAD_PLAN": str(plan),
        "GRIDPARTY_LOAD_VISITS": str(keys),
    }
    with (folder / f"locust-{users}.log").open("w") as log:
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless",
             "--host", base, "-u", str(users), "-r", str(max(1, users // 10)),
             "-t", f"{seconds}s", "--reset-stats", "--csv", str(prefix), "--only-summary",
             "--stop-timeout", "10", "--loglevel", "WARNING"],
            cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL,
            stderr=log,
        )  # fmt: skip
    return prefix


def read_result(url: str, prefix: Path, users: int, folder: Path) -> LoadResult:
    with open(f"{prefix}_stats.csv") as f:
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    per_name = [r for r in rows if r["Name"] != "Aggregated"]
    slowest = sorted(((r["Name"], _number(r["95%"])) for r in per_name),
                     key=lambda x: -x[1])[:5]  # fmt: skip
    keys = [k for k in (folder / f"visits-{users}.txt").read_text().split() if k]
    with psycopg.connect(url) as conn:
        stored = dict(conn.execute(
            "SELECT client_key::text, count(*) FROM services_carevisit "
            "WHERE client_key = ANY(%s::uuid[]) GROUP BY client_key", [keys]).fetchall())  # fmt: skip
    marker = folder / f"visits-{users}.txt.import"
    return LoadResult(
        users=users,
        requests=int(total["Request Count"]),
        rps=round(float(total["Requests/s"]), 1),
        p95_ms=_number(total["95%"]),
        p99_ms=_number(total["99%"]),
        errors=int(total["Failure Count"]),
        visits_acknowledged=len(keys),
        visits_not_once=sum(1 for k in keys if stored.get(k) != 1),
        import_status=marker.read_text() if marker.exists() else "running",
        slowest=slowest,
    )


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:  # "N/A": nothing of that name in the steady state
        return 0.0


def load_run(*, users: int, seconds: int, import_rows: int, port: int,
             gunicorn_workers: int | None) -> LoadResult:  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="gridparty-load-"))
    with Copy() as copy:
        plan = make_plan(copy.url, folder, import_rows)
        with Servers(copy.url, folder, port, gunicorn_workers) as servers:
            prefix = run_locust(servers.base, plan, folder, users, seconds)
        return read_result(copy.url, prefix, users, folder)
