"""The cache as a helper that never takes a page down.

With REDIS_URL the cache is Redis. When Redis is down, what the cache serves here
(import progress, search counters) is a convenience: each call logs a warning and
answers as if the key were missing, so pages, logins and imports go on.
"""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def _unavailable(operation: str, exc: Exception) -> None:
    logger.warning(
        "cache %s failed (%s): going on without it", operation, type(exc).__name__
    )


def cache_get(key: str, default=None):
    try:
        return cache.get(key, default)
    except Exception as exc:  # the cache's client raises its own connection errors
        _unavailable("get", exc)
        return default


def cache_set(key: str, value, timeout: int | None = None) -> bool:
    try:
        cache.set(key, value, timeout)
    except Exception as exc:
        _unavailable("set", exc)
        return False
    return True


def cache_add(key: str, value, timeout: int | None = None) -> bool:
    """Set the key only if it is missing (a lock); True when this call set it. Without
    a cache every caller gets True (each then does the work itself)."""
    try:
        return cache.add(key, value, timeout)
    except Exception as exc:
        _unavailable("add", exc)
        return True


def cache_delete(key: str) -> None:
    try:
        cache.delete(key)
    except Exception as exc:
        _unavailable("delete", exc)


def cache_count(key: str, timeout: int) -> int | None:
    """Add one to a counter that lives `timeout` seconds; None without a cache."""
    try:
        cache.add(key, 0, timeout=timeout)
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        return cache_count(key, timeout)
    except Exception as exc:
        _unavailable("count", exc)
        return None


def cache_clear() -> None:
    try:
        cache.clear()
    except Exception as exc:
        _unavailable("clear", exc)


def kept(key: str, seconds: int, compute, *, fresh: bool = False):
    """A report's figures kept `seconds` in the cache: (value, made_at). `fresh`
    computes them again (the page's "refresh" link); 0 seconds keeps nothing. Without
    a cache every call computes."""
    from django.utils import timezone

    if seconds > 0 and not fresh:
        hit = cache_get(key)
        if hit is not None:
            return hit
    made = (compute(), timezone.now())
    if seconds > 0:
        cache_set(key, made, seconds)
    return made
