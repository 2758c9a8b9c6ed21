"""Delivery: pending rows claimed with one conditional UPDATE, handed to each
channel, every attempt recorded, failures retried."""

import uuid
from abc import ABC, abstractmethod
from collections import defaultdict

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
    """Claim the undelivered reminders (one conditional UPDATE: a second worker or a
    second run finds them taken) and pass each user's to every channel. A failing
    channel is recorded and never blocks the others. Returns how many were claimed."""
    now = now or timezone.now()
    token = uuid.uuid4()
    pending = list(
        Reminder.objects.filter(sent_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not pending:
        return 0
    Reminder.objects.filter(pk__in=pending, sent_at__isnull=True).update(
        sent_at=now, claim=token
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
    DeliveryAttempt.objects.bulk_create(attempts, batch_size=INSERT_BATCH)
    retry_failed()
    return len(mine)


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
