"""The daily scan and a delivery through a real Celery worker and Redis (issue 10):
the task beat would call, run by the worker; the inbox rows checked."""

import datetime
import time

import pytest
from django.utils import timezone

from grids.models import StaffRole
from services import tasks
from services.models import DeliveryAttempt, Reminder
from tests.factories import UserFactory, assign, make_cadre

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_scans_and_delivers_into_the_inbox(cast, worker):
    helper = UserFactory(username="jinqiao_helper")
    assign(helper, cast.tree["community_A"], StaffRole.COMMUNITY_WORKER)
    soon = timezone.localdate() + datetime.timedelta(days=3)
    birth = datetime.date(1950, soon.month, min(soon.day, 28))
    cadre = make_cadre(branch=cast.tree["branch_A"], name="生日近", birth=birth)
    # What beat does daily at REMINDER_SCAN_HOUR: send the scan task to a worker.
    tasks.reminders_scan_task.delay()
    # The claim (sent_at) and the attempt rows are written one after the other by
    # the worker: wait for the attempt, the last thing a delivery writes.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        attempts = DeliveryAttempt.objects.filter(
            reminder__rule="birthday",
            reminder__subject_id=cadre.pk,
            reminder__recipient=helper,
            channel="inbox",
        )
        if attempts.exists():
            break
        assert worker.poll() is None, "the worker died"
        time.sleep(0.3)
    else:
        raise AssertionError("no delivered birthday reminder after 90 s")
    reminder = Reminder.objects.get(
        rule="birthday", subject_id=cadre.pk, recipient=helper
    )
    assert reminder.sent_at is not None
    assert "生日近" in reminder.text
    assert [a.ok for a in attempts] == [True]
    # A second scan task the same day makes nothing new.
    count = Reminder.objects.count()
    tasks.reminders_scan_task.delay()
    time.sleep(3)
    assert Reminder.objects.count() == count
