"""Visit photos: images only (Pillow reads the content; the name proves nothing),
size-limited, re-encoded as JPEG (which drops EXIF, GPS position included) and
stored outside the web root, readable only by the application (grids.uploads)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from grids.uploads import check_size, is_image, private_dir, store_image, stored_path

from .models import CareVisit, VisitPhoto


def photo_dir():
    return private_dir(settings.VISIT_PHOTO_DIR)


def photo_path(photo: VisitPhoto):
    return stored_path(settings.VISIT_PHOTO_DIR, photo.stored_file)


def check_photo(upload) -> None:
    """ValidationError (Chinese) unless the upload is an image within the limit."""
    check_size(upload, settings.VISIT_PHOTO_MAX_BYTES)
    if not is_image(upload):
        raise ValidationError(
            _("This file is not a photo: only images (JPEG, PNG, HEIF…) can be attached.")
        )


def store_photo(*, visit: CareVisit, upload) -> VisitPhoto:
    check_photo(upload)
    stored = store_image(upload, settings.VISIT_PHOTO_DIR)
    return VisitPhoto.objects.create(
        visit=visit, stored_file=stored.name, content_type=stored.content_type,
        size=stored.size, width=stored.width, height=stored.height,
    )  # fmt: skip
