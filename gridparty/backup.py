"""Backups that restore (issue 22): `manage.py backup DIR` and `manage.py restore DIR`.

A backup is a folder:

- `database.dump` — `pg_dump` in custom format, taken in the snapshot in which every
  table was counted (so the counts are those of the dump, even while people work);
- `files.tar` — the uploaded files (visit and patrol photos, meeting photos and PDFs),
  under `photos/` and `meetings/`;
- `manifest.json` — when, the latest migration of each app, the rows of every table,
  the size and SHA-256 of each part, each stored file's SHA-256, and, when encrypted,
  the key derivation's salt and a check value.

With a passphrase (BACKUP_PASSPHRASE in the environment) the two parts are written as
`database.dump.enc` and `files.tar.enc`: chunks of 1 MiB, each a Fernet token (AES-128
in CBC with an HMAC-SHA256) carrying its number and whether it is the last, under a
key derived from the passphrase by scrypt; a changed, reordered or cut file is refused.
The manifest holds no personal data (counts, checksums, random file names).

Restore goes into an empty database and empty file folders only, checks every
checksum before it writes anything, then verifies: the rows of every table against the
manifest, the tree (grids.services.tree_problems) and that every stored file named by
a row is there, matches its checksum and opens (an image decodes, a PDF starts as one).
"""

import base64
import datetime
import hashlib
import io
import json
import os
import shutil
import struct
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

FORMAT = "gridparty-backup/1"
CHUNK = 1 << 20
MAGIC = b"GPBK1\n"
SCRYPT = {"n": 2**15, "r": 8, "p": 1}
CHECK_TEXT = b"gridparty backup passphrase check"
# The uploaded files: the folder's name in the backup, its setting, and the models
# whose `stored_file` names a file in it.
FILE_SETS = [
    ("photos", "VISIT_PHOTO_DIR", ["services.VisitPhoto", "services.PatrolPhoto"]),
    ("meetings", "MEETING_FILE_DIR", ["activities.MeetingAttachment"]),
    ("portal", "PORTAL_FILE_DIR", ["portal.NoticeFile"]),
]


class BackupError(Exception):
    """What stops a backup or a restore, said plainly for the operator."""


# -- encryption -------------------------------------------------------------------


def _fernet(passphrase: str, salt: bytes):
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    key = Scrypt(salt=salt, length=32, **SCRYPT).derive(passphrase.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _encrypt_file(source: Path, target: Path, fernet) -> None:
    with source.open("rb") as src, target.open("wb") as out:
        out.write(MAGIC)
        index, chunk = 0, src.read(CHUNK)
        while True:
            following = src.read(CHUNK)
            last = not following
            token = fernet.encrypt(struct.pack(">QB", index, last) + chunk)
            out.write(struct.pack(">I", len(token)) + token)
            if last:
                return
            index, chunk = index + 1, following


def _decrypt_stream(source: Path, fernet):
    """The plaintext chunks, in order; BackupError for a wrong key or a damaged file."""
    from cryptography.fernet import InvalidToken

    with source.open("rb") as src:
        if src.read(len(MAGIC)) != MAGIC:
            raise BackupError(f"{source.name} is not an encrypted backup part")
        expected = 0
        while True:
            head = src.read(4)
            if len(head) < 4:
                raise BackupError(f"{source.name} is cut short")
            token = src.read(struct.unpack(">I", head)[0])
            try:
                plain = fernet.decrypt(token)
            except InvalidToken:
                raise BackupError(f"{source.name}: wrong passphrase or damaged") from None
            index, last = struct.unpack(">QB", plain[:9])
            if index != expected:
                raise BackupError(f"{source.name}: chunks out of order")
            yield plain[9:]
            if last:
                if src.read(1):
                    raise BackupError(f"{source.name}: data after the last chunk")
                return
            expected += 1


# -- helpers ----------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGUSER": db.get("USER") or "",
           "PGHOST": db.get("HOST") or "", "PGPORT": str(db.get("PORT") or "")}  # fmt: skip
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return {k: v for k, v in env.items() if v != "" or not k.startswith("PG")}


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _count_rows(tables: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return latest


def _stored_files() -> dict[str, list[str]]:
    """The stored file names each file set's rows refer to."""
    return {
        folder: sorted(
            name
            for label in labels
            for name in apps.get_model(label).objects.values_list(
                "stored_file", flat=True
            )
        )
        for folder, _setting, labels in FILE_SETS
    }


def _tempfile():
    import tempfile

    return tempfile.TemporaryFile()


def _require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise BackupError(
            "backup and restore need PostgreSQL (DATABASE_URL=postgres://…)"
        )


# -- backup -----------------------------------------------------------------------


@dataclass
class Report:
    counts: dict[str, int]
    files: int
    encrypted: bool
    problems: list[str] = field(default_factory=list)


def backup(target: Path, *, passphrase: str | None = None) -> Report:
    _require_postgresql()
    if shutil.which("pg_dump") is None:
        raise BackupError("pg_dump is not installed (apt-get install postgresql-client)")
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: a backup goes into a new folder")
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    # One snapshot for the counts, the file list and the dump.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        tables = _tables()
        counts = _count_rows(tables)
        stored = _stored_files()
        migrations = _migrations()
        dump = target / "database.dump"
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
             f"--snapshot={snapshot}", f"--file={dump}"],
            env=_pg_env(), capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
    files, file_sums = _tar_files(target / "files.tar", stored)
    parts = {"database": dump, "files": target / "files.tar"}
    encryption = None
    if passphrase:
        salt = os.urandom(16)
        fernet = _fernet(passphrase, salt)
        for key, plain in list(parts.items()):
            sealed = plain.with_name(plain.name + ".enc")
            _encrypt_file(plain, sealed, fernet)
            plain.unlink()
            parts[key] = sealed
        encryption = {"scheme": "fernet-chunked", "kdf": "scrypt", **SCRYPT,
                      "salt": base64.b64encode(salt).decode(),
                      "check": fernet.encrypt(CHECK_TEXT).decode()}  # fmt: skip
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "migrations": migrations,
        "tables": counts,
        "parts": {
            k: {"name": p.name, "bytes": p.stat().st_size, "sha256": _sha256(p)}
            for k, p in parts.items()
        },  # fmt: skip
        "files": file_sums,
        "encryption": encryption,
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    for path in target.iterdir():
        path.chmod(0o600)
    return Report(counts=counts, files=files, encrypted=bool(passphrase))


def _tar_files(path: Path, stored: dict[str, list[str]]):
    sums: dict[str, dict[str, str]] = {}
    count = 0
    with tarfile.open(path, "w") as tar:
        for folder, setting, _labels in FILE_SETS:
            directory = Path(getattr(settings, setting))
            sums[folder] = {}
            for name in stored[folder]:
                source = directory / name
                if not source.is_file():
                    continue  # reported as missing by the restore's verification
                sums[folder][name] = _sha256(source)
                tar.add(source, arcname=f"{folder}/{name}", recursive=False)
                count += 1
    return count, sums


# -- restore ----------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} holds no readable manifest.json ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is not a {FORMAT} backup")
    return manifest


def _opener(source: Path, manifest: dict, passphrase: str | None):
    """A function giving a part's plaintext as a readable stream."""
    encryption = manifest["encryption"]
    if not encryption:
        return lambda part: (source / part["name"]).open("rb")
    if not passphrase:
        raise BackupError("this backup is encrypted: set BACKUP_PASSPHRASE")
    from cryptography.fernet import InvalidToken

    fernet = _fernet(passphrase, base64.b64decode(encryption["salt"]))
    try:
        fernet.decrypt(encryption["check"].encode())
    except InvalidToken:
        raise BackupError("wrong passphrase: nothing was restored") from None
    return lambda part: _ChunkReader(_decrypt_stream(source / part["name"], fernet))


class _ChunkReader(io.RawIOBase):
    def __init__(self, chunks):
        self._chunks, self._buffer = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(target), len(self._buffer))
        target[:size], self._buffer = self._buffer[:size], self._buffer[size:]
        return size


def restore(source: Path, *, passphrase: str | None = None) -> Report:
    _require_postgresql()
    manifest = read_manifest(source)
    for key, part in manifest["parts"].items():
        path = source / part["name"]
        if not path.is_file() or _sha256(path) != part["sha256"]:
            raise BackupError(f"the {key} part ({part['name']}) is missing or damaged")
    opener = _opener(source, manifest, passphrase)
    if _tables():
        raise BackupError(
            f"the database {settings.DATABASES['default']['NAME']} is not empty: restore "
            "goes into a new, empty database (createdb, then DATABASE_URL)"
        )
    folders = {name: Path(getattr(settings, setting)) for name, setting, _ in FILE_SETS}
    for directory in folders.values():
        if directory.exists() and any(directory.iterdir()):
            raise BackupError(
                f"{directory} is not empty: restore files into empty folders"
            )
    # The dump streams into pg_restore (decrypted chunk by chunk when sealed).
    with (
        opener(manifest["parts"]["database"]) as dump,
        _tempfile() as errors,
    ):
        process = subprocess.Popen(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", f"--dbname={_pg_env()['PGDATABASE']}"],
            stdin=subprocess.PIPE, stderr=errors, env=_pg_env(),
        )  # fmt: skip
        try:
            shutil.copyfileobj(dump, process.stdin, CHUNK)
        except BrokenPipeError:
            pass  # pg_restore stopped: its message says why
        except BackupError:
            process.kill()  # a damaged part: its single transaction is rolled back
            process.wait()
            raise
        finally:
            process.stdin.close()
        if process.wait() != 0:
            errors.seek(0)
            raise BackupError(f"pg_restore failed: {errors.read().decode()[:500]}")
    connection.close()  # the tables are new: no cached state of the empty database
    with (
        opener(manifest["parts"]["files"]) as raw,
        tarfile.open(fileobj=raw, mode="r|") as tar,
    ):
        for member in tar:
            folder, _, name = member.name.partition("/")
            if folder not in folders or not member.isfile() or "/" in name:
                raise BackupError(f"unexpected entry in the files part: {member.name}")
            directory = folders[folder]
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            with tar.extractfile(member) as data, (directory / name).open("wb") as out:
                shutil.copyfileobj(data, out)
            (directory / name).chmod(0o600)
    return verify(manifest)


def verify(manifest: dict) -> Report:
    """Compare the restored database and files with the manifest."""
    from grids.services import tree_problems

    problems = []
    counts = _count_rows(_tables())
    for table, expected in manifest["tables"].items():
        if counts.get(table) != expected:
            problems.append(
                f"table {table}: {counts.get(table)} rows, expected {expected}"
            )
    problems += [f"tree: {p}" for p in tree_problems()[:20]]
    files = 0
    for folder, setting, _labels in FILE_SETS:
        directory = Path(getattr(settings, setting))
        sums = manifest["files"].get(folder, {})
        for name in _stored_files()[folder]:
            path = directory / name
            if name not in sums or not path.is_file():
                problems.append(f"{folder}/{name}: missing")
            elif _sha256(path) != sums[name]:
                problems.append(f"{folder}/{name}: checksum differs")
            elif not _opens(path):
                problems.append(f"{folder}/{name}: does not open")
            else:
                files += 1
    return Report(counts=counts, files=files, encrypted=bool(manifest["encryption"]),
                  problems=problems)  # fmt: skip


def _opens(path: Path) -> bool:
    if path.suffix.lower() == ".pdf":
        with path.open("rb") as f:
            return f.read(5) == b"%PDF-"
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.verify()
    except Exception:  # any decoding failure: the file does not open
        return False
    return True
