"""Reminders (issue 10): rules find what is due with set-based queries over stored
dates, the engine turns each into one row per recipient (unique: a second scan makes
nothing), and delivery claims rows atomically so nothing is sent twice.

Adding a rule is adding a Rule subclass to RULES; the engine does not change.
Recipients: the community or village workers of the cadre's residence; where there
are none, the grid's workers; where none, the township officers. Township-wide lists
go to the township officers. Never for archived cadres; nothing is triggered by an
import (only the scan makes reminders).
"""

import calendar
import datetime
import uuid
from abc import ABC, abstractmethod
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Honour, HonourKind
from activities.services import honours_50_prepare
from grids.bulk import load_rows
from grids.models import OrgUnit, StaffAssignment, StaffRole, UnitKind
from members.dates import latest_birth_date_for_age, whole_years
from members.models import Cadre, CadreStatus

from .models import (
    CareVisit,
    DeliveryAttempt,
    HealthCheck,
    Reminder,
    ReminderChoice,
    VisitPlan,
)

INSERT_BATCH = 5_000
MAX_ATTEMPTS = 5  # per channel and reminder; then it stays failed (recorded)
_PLACEHOLDER = 987654321


def url_for(name: str):
    """A function pk → URL of `name`, reversing once (a scan makes 100,000s)."""
    pattern = reverse(name, args=[_PLACEHOLDER])
    return lambda pk: pattern.replace(str(_PLACEHOLDER), str(pk))


@dataclass(frozen=True)
class Due:
    """Something a rule found due: about a subject, for the people of a unit."""

    subject_type: str
    subject_id: int
    due_on: datetime.date
    unit_id: int  # the residence unit (cadres) or the township (lists)
    text: str
    link: str = ""


class Rule(ABC):
    key = ""
    label = ""
    township_wide = False  # True: for the township officers of `unit_id`

    @abstractmethod
    def due(self, today: datetime.date):
        """Yield a Due for each reminder due on `today` (set-based queries)."""


def _birthday_in(birth: datetime.date, year: int) -> datetime.date:
    """The birthday in `year` (a 29 February birthday is 28 February otherwise)."""
    if birth.month == 2 and birth.day == 29 and not calendar.isleap(year):
        return datetime.date(year, 2, 28)
    return birth.replace(year=year)


def _days_q(days: list[datetime.date]) -> Q:
    """Cadres whose birthday falls on one of `days`."""
    q = Q(pk__in=[])
    for day in days:
        q |= Q(birth_date__month=day.month, birth_date__day=day.day)
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            q |= Q(birth_date__month=2, birth_date__day=29)
    return q


def _active():
    return Cadre.objects.filter(status=CadreStatus.ACTIVE)


class BirthdayRule(Rule):
    key = "birthday"
    label = gettext_lazy("Birthday within 7 days")
    days = 7

    def due(self, today):
        window = [today + datetime.timedelta(days=n) for n in range(self.days + 1)]
        link = url_for("members:cadre_detail")
        for pk, name, birth, unit in (
            _active()
            .filter(_days_q(window))
            .values_list("pk", "name", "birth_date", "residence_unit_id")
        ):
            day = _birthday_in(birth, today.year)
            if day < today:
                day = _birthday_in(birth, today.year + 1)
            age = whole_years(birth, day)
            yield Due("cadre", pk, day, unit,
                      _("%(name)s turns %(age)d on %(date)s.")
                      % {"name": name, "age": age, "date": f"{day:%m-%d}"},
                      link(pk))  # fmt: skip


def milestone(age: int) -> bool:
    """80, 85, 90, 95, 100 and every decade after."""
    return age in (80, 85, 90, 95) or (age >= 100 and age % 10 == 0)


class MilestoneRule(Rule):
    key = "milestone_birthday"
    label = gettext_lazy("Milestone birthday (80, 85, 90, 95, 100…) within 30 days")
    days = 30

    def due(self, today):
        window = [today + datetime.timedelta(days=n) for n in range(self.days + 1)]
        oldest = today.replace(year=today.year - 130)
        born_by = latest_birth_date_for_age(
            79, today + datetime.timedelta(days=self.days)
        )
        rows = _active().filter(_days_q(window), birth_date__lte=born_by,
                                birth_date__gte=oldest)  # fmt: skip
        link = url_for("members:cadre_detail")
        for pk, name, birth, unit in rows.values_list(
            "pk", "name", "birth_date", "residence_unit_id"
        ):
            day = _birthday_in(birth, today.year)
            if day < today:
                day = _birthday_in(birth, today.year + 1)
            age = whole_years(birth, day)
            if milestone(age):
                yield Due("cadre", pk, day, unit,
                          _("%(name)s's %(age)dth birthday is on %(date)s: a milestone.")
                          % {"name": name, "age": age, "date": f"{day:%Y-%m-%d}"},
                          link(pk))  # fmt: skip


class CollectiveBirthdayRule(Rule):
    key = "collective_birthday"
    label = gettext_lazy("Monthly collective birthday list (80+)")

    def due(self, today):
        if today.day != 1:
            return
        last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
        born_by = latest_birth_date_for_age(80, last)
        months = Q(birth_date__month=today.month)
        units = (
            _active().filter(months, birth_date__lte=born_by)
            .values_list("residence_unit_id", flat=True).distinct()
        )  # fmt: skip
        for unit in units:
            yield Due("unit", unit, today, unit,
                      _("The collective birthday list of %(month)s is ready.")
                      % {"month": f"{today:%Y-%m}"},
                      reverse("visits:birthdays", args=[unit, today.year, today.month]))  # fmt: skip


class CheckupRule(Rule):
    key = "checkup_due"
    label = gettext_lazy("Check-up due within 30 days")
    overdue = False

    def due(self, today):
        interval = datetime.timedelta(days=settings.HEALTH_CHECK_INTERVAL_DAYS)
        window = datetime.timedelta(days=settings.HEALTH_DUE_WINDOW_DAYS)
        last = (
            HealthCheck.objects.filter(cadre__status=CadreStatus.ACTIVE)
            .values("cadre_id")
            .annotate(last=Max("checked_on"))
        )
        if self.overdue:
            last = last.filter(last__lt=today - interval)
        else:
            last = last.filter(
                last__gte=today - interval, last__lte=today + window - interval
            )
        found = dict(last.values_list("cadre_id", "last"))
        link = reverse("health:due")
        text = (
            _("%(name)s's yearly check-up is overdue (due %(date)s).")
            if self.overdue
            else _("%(name)s's yearly check-up is due on %(date)s.")
        )
        for pk, name, unit in (
            _active()
            .filter(pk__in=list(found))
            .values_list("pk", "name", "residence_unit_id")
        ):
            day = found[pk] + interval
            yield Due("cadre", pk, day, unit,
                      text % {"name": name, "date": f"{day:%Y-%m-%d}"}, link)  # fmt: skip


class CheckupOverdueRule(CheckupRule):
    key = "checkup_overdue"
    label = gettext_lazy("Check-up overdue")
    overdue = True


class VisitOverdueRule(Rule):
    key = "visit_overdue"
    label = gettext_lazy("Visit overdue")

    def due(self, today):
        rows = VisitPlan.objects.filter(
            next_due_on__lt=today, cadre__status=CadreStatus.ACTIVE
        ).values_list(
            "cadre_id", "cadre__name", "next_due_on", "cadre__residence_unit_id"
        )
        for pk, name, day, unit in rows.iterator(chunk_size=10_000):
            yield Due("cadre", pk, day, unit,
                      _("A visit to %(name)s was due on %(date)s.")
                      % {"name": name, "date": f"{day:%Y-%m-%d}"},
                      reverse("visits:new", args=[pk]))  # fmt: skip


class FollowUpRule(Rule):
    key = "follow_up_overdue"
    label = gettext_lazy("Follow-up past due")

    def due(self, today):
        rows = CareVisit.objects.filter(
            follow_up_done_on__isnull=True,
            follow_up_due__lt=today,
            visited__cadre__status=CadreStatus.ACTIVE,
        ).values_list("pk", "follow_up", "follow_up_due", "visited__cadre__name",
                      "visited__cadre__residence_unit_id")  # fmt: skip
        seen = set()
        for pk, what, day, name, unit in rows:
            if (pk, unit) in seen:
                continue
            seen.add((pk, unit))
            yield Due("visit", pk, day, unit,
                      _("Follow-up for %(name)s past due since %(date)s: %(what)s")
                      % {"name": name, "date": f"{day:%Y-%m-%d}", "what": what},
                      reverse("visits:mine"))  # fmt: skip


class Party50Rule(Rule):
    """光荣在党50年: on 1 April the township officers get the list of living members
    reaching 50 years of 党龄 by 1 July; the eligible Honour rows are created."""

    key = "party_50"
    label = gettext_lazy("50 years in the party (1 April)")
    township_wide = True

    def due(self, today):
        if (today.month, today.day) != (4, 1):
            return
        honours_50_prepare(year=today.year, batch_size=INSERT_BATCH)
        townships = OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP, is_active=True)
        for township in townships:
            count = Honour.objects.filter(
                kind=HonourKind.PARTY_50_YEARS, year=today.year,
                cadre__residence_unit__tree_id=township.tree_id,
                cadre__residence_unit__lft__gte=township.lft,
                cadre__residence_unit__rght__lte=township.rght,
            ).count()  # fmt: skip
            if count:
                yield Due("unit", township.pk, today, township.pk,
                          _("%(n)d members reach 50 years in the party by 1 July %(year)d: "
                            "the list for the 七一 ceremony is ready.")
                          % {"n": count, "year": today.year},
                          reverse("honours:list", args=[today.year]))  # fmt: skip


RULES: list[Rule] = [
    BirthdayRule(), MilestoneRule(), CollectiveBirthdayRule(), CheckupRule(),
    CheckupOverdueRule(), VisitOverdueRule(), FollowUpRule(), Party50Rule(),
]  # fmt: skip


def enabled_rules() -> list[Rule]:
    off = set(settings.REMINDER_RULES_OFF)
    return [r for r in RULES if r.key not in off]


# ---- recipients ---------------------------------------------------------------------


class Recipients:
    """Who gets a unit's reminders, worked out once per scan (two queries)."""

    def __init__(self):
        units = {u[0]: u for u in OrgUnit.objects.values_list("pk", "parent_id", "kind")}
        by_unit: dict[tuple[int, str], list[int]] = defaultdict(list)
        for user, unit, role in StaffAssignment.objects.filter(
            user__is_active=True, unit__is_active=True
        ).values_list("user_id", "unit_id", "role"):
            by_unit[(unit, role)].append(user)
        self.units, self.by_unit = units, by_unit
        self._cache: dict[tuple[int, bool], list[int]] = {}

    def _up(self, unit_id: int, kind: str) -> int | None:
        while unit_id is not None:
            row = self.units.get(unit_id)
            if row is None:
                return None
            if row[2] == kind:
                return unit_id
            unit_id = row[1]
        return None

    def of(self, unit_id: int, township_wide: bool = False) -> list[int]:
        key = (unit_id, township_wide)
        if key not in self._cache:
            township = self._up(unit_id, UnitKind.TOWNSHIP)
            officers = self.by_unit.get((township, StaffRole.TOWNSHIP_OFFICER), [])
            if township_wide:
                found = officers
            else:
                found = (
                    self.by_unit.get((unit_id, StaffRole.COMMUNITY_WORKER))
                    or self.by_unit.get((self._up(unit_id, UnitKind.GRID), StaffRole.GRID_WORKER))
                    or officers
                )  # fmt: skip
            self._cache[key] = list(dict.fromkeys(found))
        return self._cache[key]


# ---- the scan ---------------------------------------------------------------------------


def reminders_scan(*, today: datetime.date | None = None) -> dict[str, int]:
    """Make the rows of every due reminder; return how many each rule made. Safe to
    run again (the unique constraint drops what exists)."""
    today = today or timezone.localdate()
    recipients = Recipients()
    created: dict[str, int] = {}
    for rule in enabled_rules():
        with transaction.atomic():
            # The rule's queries run to the end first: the COPY below holds the
            # connection, so nothing may query while it streams.
            found = list(rule.due(today))
            rows = (
                (
                    rule.key,
                    due.subject_type,
                    due.subject_id,
                    due.due_on,
                    user,
                    due.text[:300],
                    due.link,
                )  # fmt: skip
                for due in found
                for user in recipients.of(due.unit_id, rule.township_wide)
            )
            created[rule.key] = _insert_new(rows)
    return created


_COLUMNS = [
    "rule",
    "subject_type",
    "subject_id",
    "due_on",
    "recipient_id",
    "text",
    "link",
]


def _insert_new(rows) -> int:
    """Insert the rows that are not there yet; return how many were new. PostgreSQL:
    COPY into a temporary table, then one INSERT … ON CONFLICT DO NOTHING."""
    now = timezone.now()
    if connection.vendor != "postgresql":
        before = Reminder.objects.count()
        batch: list[Reminder] = []
        for row in rows:
            batch.append(Reminder(**dict(zip(_COLUMNS, row, strict=True))))
            if len(batch) >= INSERT_BATCH:
                Reminder.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        Reminder.objects.bulk_create(batch, ignore_conflicts=True)
        return Reminder.objects.count() - before
    table = Reminder._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS reminder_scan")
        cursor.execute(
            f"CREATE TEMP TABLE reminder_scan ON COMMIT DROP AS "
            f"SELECT {', '.join(_COLUMNS)} FROM {table} WITH NO DATA"
        )
    load_rows("reminder_scan", _COLUMNS, rows)
    columns = ", ".join(_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}, created_at) "
            f"SELECT {columns}, %s FROM reminder_scan "
            "ON CONFLICT (rule, subject_type, subject_id, due_on, recipient_id) DO NOTHING",
            [now],
        )
        return cursor.rowcount


# ---- delivery ---------------------------------------------------------------------------


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
