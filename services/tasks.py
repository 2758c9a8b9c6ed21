"""Celery tasks of services: thin wrappers around the services."""

from celery import shared_task

from .plans import visit_plans_refresh


@shared_task(ignore_result=True)
def visit_plans_refresh_all() -> int:
    return visit_plans_refresh()


@shared_task(ignore_result=True)
def reminders_scan_task() -> dict:
    from .reminders import reminders_scan

    created = reminders_scan()
    reminders_deliver_task.delay()
    return created


@shared_task(
    ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5
)
def reminders_deliver_task() -> int:
    from .reminders import reminders_deliver

    return reminders_deliver()


@shared_task(
    ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5
)
def digests_send_task() -> int:
    from .reminders import digests_send

    return digests_send()
