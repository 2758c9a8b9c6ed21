"""Celery tasks of services: thin wrappers around the services."""

from celery import shared_task

from .plans import visit_plans_refresh
from .reminders import digests_send, reminders_deliver, reminders_scan


@shared_task(ignore_result=True)
def visit_plans_refresh_all() -> int:
    return visit_plans_refresh()


@shared_task(ignore_result=True)
def reminders_scan_task() -> dict:
    created = reminders_scan()
    reminders_deliver_task.delay()
    return created


@shared_task(
    ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5
)
def reminders_deliver_task() -> int:
    return reminders_deliver()


@shared_task(
    ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5
)
def digests_send_task() -> int:
    return digests_send()
