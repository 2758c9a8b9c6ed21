import os

from celery import Celery
from celery.signals import beat_init, worker_init

# A worker or beat defaults to production; development must say so (manage.py and
# the test suite set their own settings before this module is imported).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridparty.settings.prod")

app = Celery("gridparty")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _refuse_unsafe(entry_point: str) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from gridparty.startup import refuse_unsafe_start

    try:
        refuse_unsafe_start(entry_point)
    except ImproperlyConfigured as exc:
        # Celery logs and swallows a receiver's exception; SystemExit stops it.
        raise SystemExit(str(exc)) from None


@worker_init.connect
def _refuse_unsafe_worker(**kwargs):
    _refuse_unsafe("Celery worker")


@beat_init.connect
def _refuse_unsafe_beat(**kwargs):
    _refuse_unsafe("Celery beat")
