"""Structured logs with a request id (issue 22).

Each request gets an id — the proxy's `X-Request-ID` when it sends a well-formed one,
else a new one — sent back in the response's `X-Request-ID` and added to every log
record written while the request runs (gunicorn's access log prints the same header),
so one line in the access log leads to the application's lines of that request.
Production writes JSON lines (python-json-logger); development plain text."""

import contextvars
import logging
import re
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)
_WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (a dash outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # django.request writes its line after the middleware has returned: the
        # request it names carries the id.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or _request_id.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _WELL_FORMED.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response.headers["X-Request-ID"] = request_id
        return response
