"""Celery tasks of members: thin wrappers around the services."""

from celery import shared_task

from .imports import services


# Imports run on their own queue (CELERY_TASK_ROUTES); long limits: a 100k-row file.
@shared_task(
    acks_late=True, ignore_result=True, soft_time_limit=30 * 60, time_limit=35 * 60
)
def import_check(job_id: str) -> None:
    services.import_job_check(job_id)


@shared_task(
    acks_late=True, ignore_result=True, soft_time_limit=30 * 60, time_limit=35 * 60
)
def import_run(job_id: str) -> None:
    services.import_job_run(job_id)


@shared_task(ignore_result=True, soft_time_limit=5 * 60, time_limit=6 * 60)
def imports_sweep() -> int:
    return services.imports_sweep()
