"""The daily e-mail digest: once per user and day, the rules they chose."""

import datetime
from collections import defaultdict

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    DeliveryAttempt,
    Reminder,
    ReminderChoice,
)


def digests_send(*, day: datetime.date | None = None) -> int:
    """One e-mail a day per user who chose e-mail for some rule: that day's delivered
    reminders of those rules. The success row is unique per user and day, so a digest
    is never sent twice; a failure is recorded and tried again at the next run."""
    day = day or timezone.localdate()
    sent = 0
    choices = defaultdict(set)
    for user_id, rule in ReminderChoice.objects.filter(email=True).values_list(
        "user_id", "rule"
    ):
        choices[user_id].add(rule)
    done = set(
        DeliveryAttempt.objects.filter(
            channel="email", digest_day=day, ok=True
        ).values_list("user_id", flat=True)
    )
    for user_id, rules in choices.items():
        if user_id in done:
            continue
        reminders = list(
            Reminder.objects.filter(
                recipient_id=user_id, rule__in=rules, sent_at__date=day
            )
            .select_related("recipient")
            .order_by("due_on")
        )
        if not reminders or not reminders[0].recipient.email:
            continue
        user = reminders[0].recipient
        body = "\n".join(f"· {r.text}" for r in reminders)
        try:
            with transaction.atomic():
                DeliveryAttempt.objects.create(
                    channel="email", user=user, digest_day=day, ok=True
                )
                send_mail(
                    _("Reminders of %(day)s (%(n)d)") % {"day": f"{day:%Y-%m-%d}", "n": len(reminders)},
                    body, None, [user.email],
                )  # fmt: skip
        except IntegrityError:
            continue  # another run sent it
        except Exception as exc:
            DeliveryAttempt.objects.create(channel="email", user=user, digest_day=day, ok=False,
                                           error=type(exc).__name__)  # fmt: skip
            continue
        sent += 1
    return sent
