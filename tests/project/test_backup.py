"""The backup and restore drill (issue 22), on PostgreSQL: the demo township with a
visit photo and a meeting PDF is backed up, restored into a fresh database and empty
folders, and compared; an encrypted backup restores only with its passphrase; a
damaged one is refused before anything is written."""

import io
import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from activities.models import Activity
from activities.services.attachments import meeting_attach
from gridparty.backup import _count_rows, _tables, read_manifest
from services.models import CareVisit
from services.photos import store_photo
from tests.celery_worker import ROOT, _database_url

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def township(settings):
    if connection.vendor != "postgresql":
        pytest.skip("backups are pg_dump archives: PostgreSQL only")
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    jpeg = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(jpeg, "JPEG")
    store_photo(visit=CareVisit.objects.first(),
                upload=SimpleUploadedFile("走访.jpg", jpeg.getvalue(), "image/jpeg"))  # fmt: skip
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    meeting_attach(activity=Activity.objects.first(),
                   uploads=[SimpleUploadedFile("签到表.pdf", pdf, "application/pdf")])  # fmt: skip
    return settings


@pytest.fixture
def fresh_database():
    name = f"gridparty_drill_{uuid.uuid4().hex[:8]}"
    base = _database_url().rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore(source, url, tmp_path, passphrase=None):
    folders = tmp_path / f"restored-{uuid.uuid4().hex[:6]}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "gridparty.settings.test",
           "VISIT_PHOTO_DIR": str(folders / "photos"),
           "MEETING_FILE_DIR": str(folders / "meetings"),
           "PORTAL_FILE_DIR": str(folders / "portal")}  # fmt: skip
    env.pop("BACKUP_PASSPHRASE", None)
    if passphrase:
        env["BACKUP_PASSPHRASE"] = passphrase
    run = subprocess.run([sys.executable, "manage.py", "restore", str(source)], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
    return run, folders


def _counts_in(url) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]  # fmt: skip
        return {
            t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables
        }


def test_the_drill_backs_up_restores_and_compares(township, fresh_database, tmp_path):
    source = tmp_path / "backup"
    call_command("backup", str(source), stdout=io.StringIO())
    manifest = read_manifest(source)
    assert manifest["tables"] == _count_rows(_tables())
    assert manifest["encryption"] is None
    assert (
        len(manifest["files"]["photos"]) == 1 and len(manifest["files"]["meetings"]) == 1
    )
    assert oct((source / "database.dump").stat().st_mode)[-3:] == "600"
    run, folders = _restore(source, fresh_database, tmp_path)
    assert run.returncode == 0, run.stderr
    assert "2 files present and opening" in run.stdout
    restored = _counts_in(fresh_database)
    assert {t: restored[t] for t in manifest["tables"]} == manifest["tables"]
    assert restored["members_cadre"] > 50
    assert len(list((folders / "photos").iterdir())) == 1
    # A second restore into the same database is refused: it is not empty.
    again, _ = _restore(source, fresh_database, tmp_path)
    assert again.returncode != 0 and "not empty" in again.stderr
    # Nor does a backup go into a folder that holds one.
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(source), stdout=io.StringIO())


def test_a_damaged_backup_is_refused_before_anything_is_written(fresh_database, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("backups are pg_dump archives: PostgreSQL only")
    source = tmp_path / "backup"
    call_command("backup", str(source), stdout=io.StringIO())
    dump = source / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    run, folders = _restore(source, fresh_database, tmp_path)
    assert run.returncode != 0 and "damaged" in run.stderr
    assert _counts_in(fresh_database) == {} and not folders.exists()


def test_an_encrypted_backup_restores_only_with_its_passphrase(
    township, fresh_database, tmp_path, monkeypatch
):
    monkeypatch.setenv("BACKUP_PASSPHRASE", "长风破浪会有时-2026")
    source = tmp_path / "sealed"
    call_command("backup", str(source), "--encrypt", stdout=io.StringIO())
    names = sorted(p.name for p in source.iterdir())
    assert names == ["database.dump.enc", "files.tar.enc", "manifest.json"]
    assert b"PGDMP" not in (source / "database.dump.enc").read_bytes()[:4096]
    assert b"%PDF" not in (source / "files.tar.enc").read_bytes()
    for wrong in (None, "长风破浪会有时-2025"):
        run, _ = _restore(source, fresh_database, tmp_path, passphrase=wrong)
        assert run.returncode != 0 and (
            "passphrase" in run.stderr or "BACKUP_PASSPHRASE" in run.stderr
        )
        assert _counts_in(fresh_database) == {}  # nothing written
    run, _ = _restore(source, fresh_database, tmp_path, passphrase="长风破浪会有时-2026")
    assert run.returncode == 0, run.stderr
    assert (
        _counts_in(fresh_database)["members_cadre"]
        == _count_rows(["members_cadre"])["members_cadre"]
    )
