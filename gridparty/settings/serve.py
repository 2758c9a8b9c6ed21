"""`make serve` and `make load`: the production settings over plain HTTP on loopback.

Everything of production (DEBUG off, hashed static files, JSON logs, kept database
connections, the real worker and beat) except TLS, which a proxy adds in production:
without it, secure-only cookies would never come back over http://127.0.0.1."""

import os

os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from .prod import *  # noqa: E402, F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
TRUSTED_PROXIES: list[str] = []
