"""Celery tasks of members: thin wrappers around the services."""

from celery import shared_task

from .imports import services


@shared_task(acks_late=True, ignore_result=True)
def import_check(job_id: str) -> None:
    services.import_job_check(job_id)


@shared_task(acks_late=True, ignore_result=True)
def import_run(job_id: str) -> None:
    services.import_job_run(job_id)


@shared_task(ignore_result=True)
def imports_sweep() -> int:
    return services.imports_sweep()
