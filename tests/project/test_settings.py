import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection


def test_the_database_follows_database_url():
    url = os.environ.get("DATABASE_URL", "")
    expected = (
        "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    )
    assert connection.vendor == expected


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set")
def test_the_cache_and_broker_use_redis_when_redis_url_is_set():
    assert settings.CELERY_BROKER_URL == os.environ["REDIS_URL"]
    cache.set("gridparty-test-key", "网格", 5)
    assert cache.get("gridparty-test-key") == "网格"
    cache.delete("gridparty-test-key")


def test_celery_runs_in_process_without_a_broker(monkeypatch):
    from gridparty.celery import app

    assert app.main == "gridparty"
    if not os.environ.get("REDIS_URL"):
        assert settings.CELERY_BROKER_URL == "memory://"
    assert settings.CELERY_TASK_ALWAYS_EAGER
