"""Uploaded files checked by their content, never by their name: photos (Pillow
reads them; re-encoded as JPEG, which drops EXIF and the GPS position) and PDF
documents (the header and the end-of-file marker a real PDF has). Stored outside
the web root with owner-only permissions and a random name."""

import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)
MAX_SIDE = 2000  # pixels: enough to read a certificate, small on a weak connection
Image.MAX_IMAGE_PIXELS = 50_000_000  # a decompression bomb is refused by Pillow


@dataclass(frozen=True)
class Stored:
    name: str
    content_type: str
    size: int
    width: int = 0
    height: int = 0


def private_dir(path) -> Path:
    path = Path(path)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def stored_path(directory, name: str) -> Path:
    if "/" in name or "\\" in name or name.startswith("."):
        raise ValueError("not a stored file name")
    return private_dir(directory) / name


def check_size(upload, limit: int) -> None:
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": f"{upload.size / 2**20:.1f}", "limit": f"{limit / 2**20:.0f}"}
        )


def is_image(upload) -> bool:
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
        return True
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError):  # fmt: skip
        return False
    finally:
        upload.seek(0)


def is_pdf(upload) -> bool:
    try:
        upload.seek(0)
        head = upload.read(1024)
        upload.seek(max(0, upload.size - 2048))
        tail = upload.read()
    finally:
        upload.seek(0)
    return head.lstrip().startswith(b"%PDF-") and b"%%EOF" in tail


def _write(directory, suffix: str, write) -> tuple[str, Path]:
    """Write a new file; a disk that is full (or refuses the write) leaves no part
    of it and says so in Chinese (the caller's transaction then keeps nothing)."""
    name, path = f"{uuid.uuid4().hex}{suffix}", None
    try:
        path = stored_path(directory, name)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            write(out)
    except OSError as exc:
        if path is not None:
            path.unlink(missing_ok=True)
        logger.error("storing an upload in %s failed: %s", directory, exc)
        raise ValidationError(
            _(
                "The server could not store the file (its disk is full or cannot be "
                "written). Nothing was saved: try again later, and tell the system "
                "administrator."
            )
        ) from None
    return name, path


def store_image(upload, directory) -> Stored:
    """Re-encode a checked image as JPEG (no EXIF), at most MAX_SIDE pixels."""
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        image = image.convert("RGB")
        name, path = _write(
            directory, ".jpg", lambda out: image.save(out, "JPEG", quality=85)
        )
        width, height = image.size
    return Stored(name, "image/jpeg", path.stat().st_size, width, height)


def store_pdf(upload, directory) -> Stored:
    upload.seek(0)
    name, path = _write(
        directory, ".pdf", lambda out: [out.write(chunk) for chunk in upload.chunks()]
    )
    return Stored(name, "application/pdf", path.stat().st_size)
