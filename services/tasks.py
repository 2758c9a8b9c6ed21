"""Celery tasks of services: thin wrappers around the services."""

from celery import shared_task

from .plans import visit_plans_refresh


@shared_task(ignore_result=True)
def visit_plans_refresh_all() -> int:
    return visit_plans_refresh()
