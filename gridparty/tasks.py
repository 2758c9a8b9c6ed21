"""Background work of the home page: the dashboard's aggregates."""

import datetime

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone


@shared_task(ignore_result=True, soft_time_limit=2 * 60, time_limit=3 * 60)
def dashboard_refresh_task(user_id: int) -> None:
    from .dashboard import dashboard_refresh

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        dashboard_refresh(user)


@shared_task(ignore_result=True, soft_time_limit=10 * 60, time_limit=12 * 60)
def dashboard_warm_task() -> int:
    """Refresh the dashboards of the users who logged in during the last
    DASHBOARD_WARM_DAYS days, so their home page never waits for the aggregates."""
    from .dashboard import dashboard_refresh

    since = timezone.now() - datetime.timedelta(days=settings.DASHBOARD_WARM_DAYS)
    users = get_user_model().objects.filter(is_active=True, last_login__gte=since)
    count = 0
    for user in users.order_by("pk").iterator():
        dashboard_refresh(user)
        count += 1
    return count


HEARTBEAT_KEY = "gridparty:heartbeat"


@shared_task(ignore_result=True, soft_time_limit=20, time_limit=30)
def heartbeat_task() -> None:
    """Beat sends this every HEARTBEAT_SECONDS and a worker runs it: its time in the
    cache says both are alive (/healthz/ready reports the age)."""
    from django.core.cache import cache

    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=24 * 3600)
