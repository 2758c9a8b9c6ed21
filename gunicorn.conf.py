"""gunicorn for gridparty (issue 22): `gunicorn -c gunicorn.conf.py gridparty.wsgi`.

Worker processes and threads follow the CPU count (the load test of docs/scaling.md
chose them); every value can be set from the environment (GUNICORN_*)."""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 4)
# A month-end export or a PDF of certificates may take a while; nothing longer.
timeout = _int("GUNICORN_TIMEOUT", 120)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# A worker is replaced after this many requests (a slow leak never grows for ever).
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# The proxy (nginx on this host) sets X-Forwarded-For/-Proto; only it is trusted.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access log to stdout, one line per request with its id (the X-Request-ID the
# application sends back), the time in microseconds and the client from the proxy.
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"time": "%(t)s", "request_id": "%({x-request-id}o)s", "client": "%({x-forwarded-for}i)s", '
    '"method": "%(m)s", "path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", "us": %(D)s}'
)
# Only the proxy's /tmp: the worker heartbeat files live in memory.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
