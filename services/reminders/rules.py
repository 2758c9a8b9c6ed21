"""The reminder rules: each finds what is due on a day with set-based queries over
stored dates (RULES; REMINDER_RULES_OFF switches rules off)."""

import calendar
import datetime
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Honour, HonourKind
from activities.periods import parse_period
from activities.selectors.partylife import DUE, branches_in, compliance
from activities.services import honours_50_prepare
from grids.models import OrgUnit, UnitKind
from members.dates import DatePrecision, latest_birth_date_for_age, whole_years
from members.models import Cadre, CadreStatus, Direction, RelationTransfer

from ..models import (
    CareVisit,
    HealthCheck,
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


class PoliticalBirthdayRule(Rule):
    """On the 1st: the branch's members whose 入党 falls this month (dates known to
    the month or the day), to the secretary (a card or a short talk)."""

    key = "political_birthday"
    label = gettext_lazy("Political birthdays of the month (the 1st)")

    def due(self, today):
        if today.day != 1:
            return
        rows = (
            _active().filter(
                is_party_member=True, branch__isnull=False, joined_party_on__month=today.month,
                joined_party_precision__in=[DatePrecision.DAY, DatePrecision.MONTH],
            )
            .values("branch_id", "branch__name").annotate(n=Count("pk"))
        )  # fmt: skip
        link = reverse("political_birthdays") + f"?month={today:%Y-%m}"
        for row in rows:
            yield Due("unit", row["branch_id"], today, row["branch_id"],
                      _("%(branch)s: %(n)d members celebrate their political birthday in "
                        "%(month)s.") % {"branch": row["branch__name"], "n": row["n"],
                                         "month": f"{today:%Y-%m}"}, link)  # fmt: skip


class MeetingDueRule(Rule):
    """On the 20th: a branch that has not yet held a meeting its monthly rule asks
    for this month (issue 16) — its secretary, else the community worker, the grid,
    the township."""

    key = "meeting_due"
    label = gettext_lazy("Monthly meeting not yet held (the 20th)")

    def due(self, today):
        if today.day != 20:
            return
        month = parse_period(f"{today:%Y-%m}")
        for result in compliance(branches_in(None), month, today):
            kinds = [c.rule.kind.name for c in result.checks if c.rule.per == "month"
                     and any(w.status == DUE for w in c.windows)]  # fmt: skip
            if kinds:
                yield Due("unit", result.pk, today, result.pk,
                          _("%(branch)s has not yet held this month: %(kinds)s")
                          % {"branch": result.name, "kinds": "、".join(dict.fromkeys(kinds))},
                          reverse("compliance") + f"?unit={result.pk}&period={month.label}")  # fmt: skip


class RelationReceiptRule(Rule):
    """A transfer out whose return slip (回执) is late: the branch's secretary is
    reminded when it falls due and every 30 days after, until it is recorded."""

    key = "relation_receipt"
    label = gettext_lazy("Return slip of a transfer late")

    def due(self, today):
        rows = RelationTransfer.objects.filter(
            direction=Direction.OUT, receipt_on__isnull=True, receipt_due_on__lt=today
        ).values_list("pk", "cadre__name", "other_organization", "receipt_due_on",
                      "branch_id", "year", "number")  # fmt: skip
        link = reverse("members:relations")
        for pk, name, to, day, branch, year, number in rows:
            step = (today - day).days // 30 * 30
            yield Due("transfer", pk, day + datetime.timedelta(days=step), branch,
                      _("The return slip of %(name)s's letter (%(year)s)第%(number)s号 to "
                        "%(to)s was due on %(date)s.")
                      % {"name": name, "year": year, "number": number, "to": to,
                         "date": f"{day:%Y-%m-%d}"}, link)  # fmt: skip


class ElectionRule(Rule):
    """A branch's election (换届): six and three months before its committee's term
    ends, every month once it has ended, every month when none is recorded."""

    key = "branch_election"
    label = gettext_lazy("Branch election due")

    def due(self, today):
        from activities.selectors.elections import Stage, elections_due

        link = reverse("elections")
        for pk, name, day, stage, end in elections_due(today):
            if stage == Stage.NONE:
                text = _("%(branch)s has no committee election recorded: record it, or "
                         "plan the election.") % {"branch": name}  # fmt: skip
            elif stage == Stage.ENDED:
                text = _("The term of %(branch)s's committee ended on %(date)s: hold the "
                         "election.") % {"branch": name, "date": f"{end:%Y-%m-%d}"}  # fmt: skip
            else:
                text = _("The term of %(branch)s's committee ends on %(date)s: prepare the "
                         "election.") % {"branch": name, "date": f"{end:%Y-%m-%d}"}  # fmt: skip
            yield Due("unit", pk, day, pk, text, link)


RULES: list[Rule] = [
    BirthdayRule(), MilestoneRule(), CollectiveBirthdayRule(), CheckupRule(),
    CheckupOverdueRule(), VisitOverdueRule(), FollowUpRule(), Party50Rule(),
    MeetingDueRule(), PoliticalBirthdayRule(), RelationReceiptRule(), ElectionRule(),
]  # fmt: skip


def enabled_rules() -> list[Rule]:
    off = set(settings.REMINDER_RULES_OFF)
    return [r for r in RULES if r.key not in off]
