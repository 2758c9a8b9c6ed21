"""Meeting attachments: photos (re-encoded, EXIF dropped) and PDFs, checked by their
content (grids.uploads), at most MEETING_FILES_PER_MEETING per meeting."""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grids.uploads import check_size, is_image, is_pdf, store_image, store_pdf

from ..models import Activity, MeetingAttachment


def check_attachment(upload) -> str:
    """ "photo" or "pdf"; ValidationError (Chinese) for anything else or too large."""
    check_size(upload, settings.MEETING_FILE_MAX_BYTES)
    if is_image(upload):
        return "photo"
    if is_pdf(upload):
        return "pdf"
    raise ValidationError(
        _("“%s” is neither a photo nor a PDF: only those can be attached.")
        % (upload.name or "")[:60]
    )


@transaction.atomic
def meeting_attach(*, activity: Activity, uploads: Iterable) -> list[MeetingAttachment]:
    uploads = list(uploads)
    kinds = [check_attachment(u) for u in uploads]  # all checked before any is kept
    if activity.attachments.count() + len(uploads) > settings.MEETING_FILES_PER_MEETING:
        raise ValidationError(
            _("A meeting keeps at most %d files.") % settings.MEETING_FILES_PER_MEETING
        )
    kept = []
    for upload, kind in zip(uploads, kinds, strict=True):
        store = store_image if kind == "photo" else store_pdf
        stored = store(upload, settings.MEETING_FILE_DIR)
        kept.append(MeetingAttachment.objects.create(
            activity=activity, stored_file=stored.name, content_type=stored.content_type,
            original_name=(upload.name or "")[:150], size=stored.size,
        ))  # fmt: skip
    return kept
