"""File downloads the apps share: an .xlsx workbook or a stored file as an
attachment with a Chinese file name (RFC 5987)."""

import io
from urllib.parse import quote

from django.http import FileResponse, HttpResponse

from . import workbooks
from .audit import access_log_record
from .models import AccessAction

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(str(filename))}"


def xlsx_response(workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbooks.save(workbook, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = _disposition(filename)
    return response


def xlsx_file_response(path, filename: str) -> FileResponse:
    # FileResponse closes the file once sent.
    response = FileResponse(open(path, "rb"), content_type=XLSX)  # noqa: SIM115
    response["Content-Disposition"] = _disposition(filename)
    return response


def report_download(
    request, *, sheets, filename: str, object_type: str, object_id, detail: str = ""
) -> HttpResponse:
    """A report with personal data as .xlsx: written through `workbooks` (no formula
    from user text) and recorded in the access log as an export."""
    access_log_record(
        request=request, action=AccessAction.EXPORT, object_type=object_type,
        object_id=object_id, detail=detail,
    )  # fmt: skip
    return xlsx_response(workbooks.report_workbook(sheets), filename)


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = _disposition(filename)
    return response
