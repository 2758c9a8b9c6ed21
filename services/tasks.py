"""Celery tasks of services: thin wrappers around the services. Each has its own
time limits; none retries blindly (delivery and digests record every attempt and
retry failures themselves, on the next run)."""

from celery import shared_task

from .plans import visit_plans_refresh
from .reminders import digests_send, reminders_deliver, reminders_scan


@shared_task(ignore_result=True, soft_time_limit=20 * 60, time_limit=25 * 60)
def visit_plans_refresh_all() -> int:
    return visit_plans_refresh()


@shared_task(ignore_result=True, soft_time_limit=10 * 60, time_limit=12 * 60)
def reminders_scan_task() -> dict:
    created = reminders_scan()
    reminders_deliver_task.delay()
    return created


# The hard limit stays below REMINDER_CLAIM_LEASE_SECONDS: a claim outlives its run.
@shared_task(ignore_result=True, soft_time_limit=4 * 60, time_limit=5 * 60)
def reminders_deliver_task() -> int:
    return reminders_deliver()


@shared_task(ignore_result=True, soft_time_limit=10 * 60, time_limit=12 * 60)
def digests_send_task() -> int:
    return digests_send()
