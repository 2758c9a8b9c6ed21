"""Visit photos: images only (Pillow reads the content; the name proves nothing),
size-limited, re-encoded as JPEG (which drops EXIF, GPS position included) and
stored outside the web root, readable only by the application."""

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import CareVisit, VisitPhoto

MAX_SIDE = 2000  # pixels: enough to read a certificate, small on a weak connection
Image.MAX_IMAGE_PIXELS = 50_000_000  # a decompression bomb is refused by Pillow


def photo_dir() -> Path:
    path = Path(settings.VISIT_PHOTO_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def photo_path(photo: VisitPhoto) -> Path:
    name = photo.stored_file
    if "/" in name or name.startswith("."):
        raise ValueError("not a stored photo name")
    return photo_dir() / name


def check_photo(upload) -> None:
    """ValidationError (Chinese) unless the upload is an image within the limit."""
    limit = settings.VISIT_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The photo is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": f"{upload.size / 2**20:.1f}", "limit": f"{limit / 2**20:.0f}"}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError):  # fmt: skip
        raise ValidationError(
            _("This file is not a photo: only images (JPEG, PNG, HEIF…) can be attached.")
        ) from None
    finally:
        upload.seek(0)


def store_photo(*, visit: CareVisit, upload) -> VisitPhoto:
    check_photo(upload)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        image = image.convert("RGB")
        name = f"{uuid.uuid4().hex}.jpg"
        path = photo_dir() / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            image.save(out, "JPEG", quality=85)
        width, height = image.size
    return VisitPhoto.objects.create(
        visit=visit,
        stored_file=name,
        content_type="image/jpeg",
        size=path.stat().st_size,
        width=width,
        height=height,
    )
