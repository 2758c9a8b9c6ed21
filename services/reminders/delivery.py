"""Delivery: pending rows claimed with one conditional UPDATE, handed to each
channel, every attempt recorded, failures retried."""

import datetime
import uuid
from abc import ABC, abstractmethod
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ..models import (
    DeliveryAttempt,
    Reminder,
)
from .rules import INSERT_BATCH, MAX_ATTEMPTS


class Channel(ABC):
    """A way to reach people (an SMS or WeChat sender implements this)."""

    key = ""

    @abstractmethod
    def deliver(self, user, reminders: list[Reminder]) -> None:
        """Deliver one user's newly claimed reminders; raise to say it failed (the
        attempt is recorded and retried later)."""


class InboxChannel(Channel):
    """The in-app inbox: a claimed reminder is in the inbox; nothing more to do."""

    key = "inbox"

    def deliver(self, user, reminders):
        return None


CHANNELS: list[Channel] = [InboxChannel()]


def reminders_deliver(*, now=None, limit: int = 20_000) -> int:
    """Claim the undelivered reminders with a lease (one conditional UPDATE: a second
    worker or a second run finds them taken until the lease expires), pass each
    user's to every channel, then mark them delivered and record the attempts in one
    transaction. A worker killed before that leaves the rows claimed, not delivered:
    once REMINDER_CLAIM_LEASE_SECONDS have passed, the next run takes them again, so
    the inbox shows each exactly once and an e-mail goes at least once. A failing
    channel is recorded and never blocks the others. Returns how many were delivered."""
    now = now or timezone.now()
    token = uuid.uuid4()
    free = Q(claimed_at__isnull=True) | Q(
        claimed_at__lt=now
        - datetime.timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
    )
    pending = list(
        Reminder.objects.filter(free, sent_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not pending:
        return 0
    Reminder.objects.filter(free, pk__in=pending, sent_at__isnull=True).update(
        claim=token, claimed_at=now
    )
    mine = list(Reminder.objects.filter(claim=token).select_related("recipient"))
    by_user: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in mine:
        by_user[reminder.recipient_id].append(reminder)
    attempts = []
    for reminders in by_user.values():
        user = reminders[0].recipient
        for channel in CHANNELS:
            try:
                channel.deliver(user, reminders)
            except Exception as exc:  # a channel's failure is recorded, not raised
                attempts += [DeliveryAttempt(channel=channel.key, user=user, reminder=r, ok=False,
                                             error=type(exc).__name__) for r in reminders]  # fmt: skip
            else:
                attempts += [DeliveryAttempt(channel=channel.key, user=user, reminder=r, ok=True)
                             for r in reminders]  # fmt: skip
    with transaction.atomic():
        # Only what is still ours: a run that outlived its lease lost its rows to
        # the run that took them again, and records nothing for them.
        ours = set(
            Reminder.objects.select_for_update()
            .filter(claim=token, sent_at__isnull=True)
            .values_list("pk", flat=True)
        )
        Reminder.objects.filter(claim=token, sent_at__isnull=True).update(sent_at=now)
        DeliveryAttempt.objects.bulk_create(
            [a for a in attempts if a.reminder_id in ours], batch_size=INSERT_BATCH
        )
    retry_failed()
    return len(ours)


def retry_failed(*, limit: int = 5_000) -> int:
    """Try again each (channel, reminder) whose attempts all failed, up to
    MAX_ATTEMPTS times; every try is recorded. Returns how many succeeded now."""
    channels = {c.key: c for c in CHANNELS}
    failed = (
        DeliveryAttempt.objects.filter(reminder__isnull=False, channel__in=list(channels))
        .values("channel", "reminder_id")
        .annotate(tries=Count("pk"), good=Count("pk", filter=Q(ok=True)))
        .filter(good=0, tries__lt=MAX_ATTEMPTS)[:limit]
    )
    done = 0
    reminders = Reminder.objects.in_bulk([row["reminder_id"] for row in failed])
    for row in failed:
        reminder = reminders.get(row["reminder_id"])
        if reminder is None:
            continue
        channel = channels[row["channel"]]
        try:
            channel.deliver(reminder.recipient, [reminder])
        except Exception as exc:
            DeliveryAttempt.objects.create(channel=channel.key, user=reminder.recipient,
                                           reminder=reminder, ok=False,
                                           error=type(exc).__name__)  # fmt: skip
        else:
            DeliveryAttempt.objects.create(channel=channel.key, user=reminder.recipient,
                                           reminder=reminder, ok=True)  # fmt: skip
            done += 1
    return done
