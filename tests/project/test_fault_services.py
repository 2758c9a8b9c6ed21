"""Faults survived on the real services (issue 22): PostgreSQL restarted under a running
server, Redis down and back, the uploads' disk full. These restart the machine's
PostgreSQL and Redis (as .ci/run may start them): they run in CI, or locally with
GRIDPARTY_FAULT_TESTS=1."""

import io
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from gridparty.celery import app
from services.models import CareVisit, Reminder
from services.reminders import reminders_deliver
from tests.celery_worker import ROOT, _database_url, _redis_url
from tests.factories import make_cadre

BIN = Path(sys.executable).parent


def _may_disturb_services() -> None:
    if os.environ.get("CI") == "true" or os.environ.get("GRIDPARTY_FAULT_TESTS") == "1":
        return
    pytest.skip(
        "restarts this machine's services: runs in CI or with GRIDPARTY_FAULT_TESTS=1"
    )


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _wait(check, seconds=60, what="") -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.5)


def _pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0


@pytest.mark.django_db(transaction=True)
def test_requests_after_postgresql_restarts_succeed():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    _may_disturb_services()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gridparty.settings.serve",
           "DATABASE_URL": _database_url(), "REDIS_URL": _redis_url(),
           "SECRET_KEY": secrets.token_urlsafe(50), "GUNICORN_BIND": f"127.0.0.1:{port}",
           "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "2"}  # fmt: skip
    server = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "gridparty.wsgi"],
                              cwd=ROOT, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)  # fmt: skip
    ready = f"http://127.0.0.1:{port}/healthz/ready"
    try:
        _wait(
            lambda: _status(ready) == 200 if _port_open(port) else False, what="gunicorn"
        )
        for _ in range(6):  # each thread now holds a kept connection
            assert _status(ready) == 200
        version = sorted(os.listdir("/etc/postgresql"))[0]
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main",
                        "restart"], check=True, capture_output=True)  # fmt: skip
        _wait(_pg_ready, what="PostgreSQL")
        # Every kept connection died with the server: each is checked before reuse and
        # replaced, so not one request fails.
        assert [_status(ready) for _ in range(10)] == [200] * 10
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        connection.close()  # this process's own connection died too


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _redis_up() -> bool:
    return subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"],
                          capture_output=True, text=True).stdout.strip() == "PONG"  # fmt: skip


def test_redis_down_and_back_pages_work_and_pending_reminders_are_delivered(
    client, cast, settings
):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (the cache and broker on Redis)")
    _may_disturb_services()
    soon = timezone.localdate()
    make_cadre(branch=cast.tree["branch_A"], name="寿星", birth=soon.replace(year=1950))
    from services.reminders import reminders_scan

    reminders_scan()
    pending = Reminder.objects.filter(sent_at__isnull=True).count()
    assert pending
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client.force_login(cast.officer)
    subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], capture_output=True
    )
    try:
        _wait(lambda: not _redis_up(), what="Redis to stop")
        for url in (reverse("home"), reverse("members:cadre_list"),
                    reverse("members:cadre_detail", args=[cast.cadre_a.pk]),
                    reverse("coverage"), reverse("inbox")):  # fmt: skip
            assert client.get(url).status_code == 200, url
        down = client.get(reverse("healthz_ready"))
        assert down.status_code == 503
        assert not down.json()["checks"]["broker"]["ok"]
    finally:
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1",
                        "--port", "6379", "--save", "", "--appendonly", "no"], check=True,
                       capture_output=True)  # fmt: skip
        _wait(_redis_up, what="Redis to start")
        app.pool.force_close_all()
    assert client.get(reverse("healthz_ready")).status_code == 200
    # The delivery task queued before the restart is gone with Redis; the rows are in
    # the database, and the next run (every five minutes) delivers every one.
    assert reminders_deliver() == pending
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()


@pytest.fixture
def full_disk(tmp_path, settings):
    mountpoint = tmp_path / "photos"
    mountpoint.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs",
                              str(mountpoint)], capture_output=True, text=True)  # fmt: skip
    if mounted.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail(f"cannot mount a tmpfs in CI: {mounted.stderr}")
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        fd = os.open(mountpoint / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:  # the disk is full
            pass
        finally:
            os.close(fd)
        settings.VISIT_PHOTO_DIR = mountpoint
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def test_a_photo_on_a_full_disk_refuses_the_visit_as_a_whole(client, cast, full_disk):
    picture = io.BytesIO()
    Image.effect_noise((600, 400), 80).convert("RGB").save(picture, "PNG")
    client.force_login(cast.grid_a)
    data = {"client_key": str(uuid.uuid4()), "kinds": ["home_visit"],
            "cadres": [str(cast.cadre_a.pk)], "outcome": "met",
            "visited_on": timezone.localdate().isoformat(),
            "photo": SimpleUploadedFile("走访.png", picture.getvalue(), "image/png")}  # fmt: skip
    response = client.post(reverse("visits:new", args=[cast.cadre_a.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400 and "磁盘已满" in page
    assert not CareVisit.objects.exists()  # refused as a whole, never half
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler"]  # no part of it left
    # The same form once there is room again: recorded, with its photo.
    (full_disk / "filler").unlink()
    data["photo"].seek(0)
    response = client.post(reverse("visits:new", args=[cast.cadre_a.pk]), data)
    assert response.status_code == 302
    assert CareVisit.objects.get().photos.count() == 1
