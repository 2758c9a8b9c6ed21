"""Uploaded import files: checked before anything reads them, stored outside the web
root readable by the application only, and deleted when done or after a day.

A hostile or simply wrong file gets a Chinese message that says what it is and what
to do: never a 500, never a worker stuck expanding a zip bomb.
"""

import hashlib
import os
import time
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from ..roster import textformats

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"
CHUNK = 1 << 20


class UploadRefused(Exception):
    """The file is not one we can read; the message (Chinese) says why and what to do."""


@dataclass(frozen=True)
class StoredUpload:
    name: str  # file name under IMPORT_FILE_DIR
    sha256: str
    size: int
    format: str  # xlsx | xls | ods, or html | xmlss | csv (members.roster.textformats)


def upload_dir() -> Path:
    path = Path(settings.IMPORT_FILE_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def path_of(name: str) -> Path:
    """The stored file's path; only names this module made are accepted."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError("not a stored import file name")
    return upload_dir() / name


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):.1f}"


def store_upload(uploaded) -> StoredUpload:
    """Write an uploaded file (a Django UploadedFile) under IMPORT_FILE_DIR with mode
    0600, after checking its size and kind. Raise UploadRefused with the reason."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise UploadRefused(
            _(
                "The file is too large (%(size)s MB); the limit is %(limit)s MB. Remove "
                "other sheets and pictures, or split the roster into several files."
            )
            % {"size": _megabytes(uploaded.size), "limit": _megabytes(limit)}
        )
    name = f"{uuid.uuid4().hex}.upload"
    path = path_of(name)
    digest = hashlib.sha256()
    size = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in uploaded.chunks(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise UploadRefused(
                        _("The file is larger than the limit of %s MB.")
                        % _megabytes(limit)
                    )
                digest.update(chunk)
                out.write(chunk)
        kind = inspect_file(path)
        # The reader tells formats apart by the suffix.
        final = f"{name.removesuffix('.upload')}.{kind}"
        path.rename(path_of(final))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return StoredUpload(final, digest.hexdigest(), size, kind)


def inspect_file(path: Path) -> str:
    """What the file is (xlsx, xls, ods, or a text table: html, xmlss, csv), or
    UploadRefused saying what it is not."""
    with open(path, "rb") as fh:
        head = fh.read(8)
        if not head:
            raise UploadRefused(_("The file is empty."))
        if head.startswith(ZIP_MAGIC):
            return _inspect_zip(path)
        if head == OLE2_MAGIC:
            fh.seek(0)
            return _inspect_ole2(fh.read(CHUNK * 4))
    with open(path, "rb") as fh:
        kind = textformats.sniff(fh.read(textformats.HEAD_BYTES))
    if kind:  # an HTML-table ".xls", an Excel 2003 XML sheet, or CSV: read as text
        return kind
    if head.startswith(b"%PDF"):
        raise UploadRefused(
            _(
                "This is a PDF file, not an Excel workbook. Upload the roster as an .xlsx "
                "file (download the template on this page)."
            )
        )
    raise UploadRefused(
        _(
            "This is not an Excel workbook nor a table we can read. Upload an .xlsx "
            "file (download the template on this page), an .xls, or a table saved as "
            "CSV; anything else: open it in Excel and save it as an Excel workbook "
            "(.xlsx)."
        )
    )


def _inspect_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            names = {e.filename for e in entries}
            if any(e.flag_bits & 0x1 for e in entries):
                raise UploadRefused(_password_message())
            expanded = sum(e.file_size for e in entries)
            if expanded > settings.IMPORT_MAX_EXPANDED_BYTES:
                # A zip bomb, or a workbook far larger than any roster.
                raise UploadRefused(
                    _(
                        "The workbook expands to %(size)s MB when opened, more than the "
                        "limit of %(limit)s MB. Remove other sheets, pictures and "
                        "formatting, or split it into several files."
                    )
                    % {
                        "size": _megabytes(expanded),
                        "limit": _megabytes(settings.IMPORT_MAX_EXPANDED_BYTES),
                    }
                )
            if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                return "xlsx"
            if "mimetype" in names and b"spreadsheet" in archive.read("mimetype")[:100]:
                return "ods"
            if "word/document.xml" in names:
                raise UploadRefused(_("This is a Word document, not an Excel workbook."))
    except zipfile.BadZipFile:
        raise UploadRefused(
            _("The file is damaged: it cannot be opened as an Excel workbook.")
        ) from None
    raise UploadRefused(_("This is not an Excel workbook."))


def _inspect_ole2(head: bytes) -> str:
    # Old Office files and encrypted new ones share the OLE2 container; its
    # directory names the streams (UTF-16).
    def has(stream: str) -> bool:
        return stream.encode("utf-16-le") in head

    if has("EncryptionInfo") or has("EncryptedPackage"):
        raise UploadRefused(_password_message())
    if has("Workbook") or has("Book"):
        return "xls"
    if has("WordDocument"):
        raise UploadRefused(_("This is a Word document, not an Excel workbook."))
    raise UploadRefused(_("This is not an Excel workbook."))


def _password_message() -> str:
    return _(
        "The workbook is protected by a password, so it cannot be read. In Excel: File "
        "→ Info → Protect Workbook → Encrypt with Password, clear the password, save, "
        "and upload it again."
    )


def remove(name: str) -> None:
    if name:
        path_of(name).unlink(missing_ok=True)


def sweep(max_age_seconds: float, *, now: float | None = None) -> int:
    """Delete stored files older than `max_age_seconds`; return how many."""
    removed = 0
    cutoff = (now if now is not None else time.time()) - max_age_seconds
    for path in upload_dir().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
