"""Delivery claims with a lease (issue 22): a worker killed between the claim and the
record leaves its reminders claimed, not delivered; once the lease has expired the next
run delivers them, the inbox exactly once."""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from services.models import DeliveryAttempt, Reminder
from services.reminders import reminders_deliver
from tests.celery_worker import ROOT, _database_url

D = datetime.date


def _reminder(cast, name="租约"):
    return Reminder.objects.create(
        rule="birthday", subject_type="cadre", subject_id=cast.cadre_a.pk,
        due_on=D(2026, 6, 1), recipient=cast.grid_a, text=f"{name} 将于 06-01 迎来生日。",
    )  # fmt: skip


def test_a_claim_left_by_a_dead_run_waits_for_its_lease_then_is_delivered(cast, settings):
    settings.REMINDER_CLAIM_LEASE_SECONDS = 600
    reminder = _reminder(cast)
    claimed = timezone.now()
    # What a killed run leaves: the claim, no delivery, no attempt.
    Reminder.objects.filter(pk=reminder.pk).update(claim=uuid.uuid4(), claimed_at=claimed)
    assert reminders_deliver(now=claimed + datetime.timedelta(seconds=599)) == 0
    assert Reminder.objects.get().sent_at is None
    later = claimed + datetime.timedelta(seconds=601)
    assert reminders_deliver(now=later) == 1
    reminder.refresh_from_db()
    assert reminder.sent_at == later
    assert DeliveryAttempt.objects.filter(reminder=reminder, channel="inbox").count() == 1
    # Delivered is delivered: no lease makes it go again.
    assert reminders_deliver(now=later + datetime.timedelta(days=1)) == 0


def test_a_run_that_outlived_its_lease_records_nothing_for_rows_taken_again(
    cast, settings
):
    """The slow run's channel is still busy when a second run takes the rows again: the
    second run delivers them and records the attempt; the slow run records nothing."""
    from services.reminders import delivery

    settings.REMINDER_CLAIM_LEASE_SECONDS = 60
    _reminder(cast)
    start = timezone.now()

    class Slow(delivery.Channel):
        key = "slow"

        def deliver(self, user, reminders):
            # Meanwhile the lease expires and another run takes the rows.
            delivery.CHANNELS.remove(self)
            assert reminders_deliver(now=start + datetime.timedelta(seconds=61)) == 1

    delivery.CHANNELS.append(Slow())
    try:
        assert reminders_deliver(now=start) == 0
    finally:
        delivery.CHANNELS[:] = [c for c in delivery.CHANNELS if c.key != "slow"]
    assert DeliveryAttempt.objects.filter(channel="inbox").count() == 1
    assert not DeliveryAttempt.objects.filter(channel="slow").exists()


_STUCK_RUN = """
import pathlib, sys, time
import django
django.setup()
from services.reminders import delivery

class Stuck(delivery.Channel):
    key = "stuck"
    def deliver(self, user, reminders):
        pathlib.Path(sys.argv[1]).write_text("claimed")
        time.sleep(300)

delivery.CHANNELS.append(Stuck())
delivery.reminders_deliver()
"""


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_during_delivery_loses_nothing(cast, settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("a second process shares the test database only on PostgreSQL")
    reminder = _reminder(cast)
    marker = tmp_path / "claimed"
    env = {**os.environ, "DATABASE_URL": _database_url(),
           "DJANGO_SETTINGS_MODULE": "gridparty.settings.test", "GRIDPARTY_DEVELOPMENT": "1"}  # fmt: skip
    process = subprocess.Popen([sys.executable, "-c", _STUCK_RUN, str(marker)], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert process.poll() is None, process.stdout.read().decode()
            assert time.monotonic() < deadline, "the delivery never reached its channels"
            time.sleep(0.1)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    reminder.refresh_from_db()
    assert reminder.claimed_at is not None and reminder.sent_at is None
    assert not DeliveryAttempt.objects.exists()
    assert reminders_deliver() == 0  # the lease still holds
    lease = datetime.timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS + 1)
    assert reminders_deliver(now=timezone.now() + lease) == 1
    reminder.refresh_from_db()
    assert reminder.sent_at is not None
    attempts = DeliveryAttempt.objects.filter(reminder=reminder)
    assert [(a.channel, a.ok) for a in attempts] == [("inbox", True)]
