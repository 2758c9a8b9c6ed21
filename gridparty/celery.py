import os

from celery import Celery
from celery.signals import beat_init, worker_init

# A worker or beat defaults to production; development must say so (manage.py and
# the test suite set their own settings before this module is imported).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridparty.settings.prod")

app = Celery("gridparty")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_unsafe_worker(**kwargs):
    from gridparty.startup import refuse_unsafe_start

    refuse_unsafe_start("Celery worker")


@beat_init.connect
def _refuse_unsafe_beat(**kwargs):
    from gridparty.startup import refuse_unsafe_start

    refuse_unsafe_start("Celery beat")
