"""The dashboard (issue 18): the to-do panel and the charts — each a title, a kind,
its labels and series, and the table behind it. Read across the apps for the user's scope, with a fixed
number of aggregate queries; kept in the cache per user and refreshed in the
background when older than DASHBOARD_CACHE_SECONDS (the page says how fresh they are)."""

import datetime
from collections import Counter, defaultdict
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.periods import current_quarter, parse_period
from activities.selectors.partylife import participation_by_branch_month
from grids.cache import cache_add, cache_delete, cache_get, cache_set
from grids.grading import grade
from grids.models import UnitKind
from grids.selectors import units_visible_to
from grids.todo import todos_for
from members.dates import latest_birth_date_for_age
from members.models import CadreStatus, Category, LivingSituation
from members.selectors import cadres_visible_to
from portal.selectors import portal_use
from services.models import CareVisit, HealthCheck, VisitedCadre
from services.selectors.coverage import coverage

from .upcoming import upcoming_for

BAND = 5


def _months(today: datetime.date, n: int = 12) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for _i in range(n):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def _month_of(value) -> datetime.date:
    return value.date().replace(day=1) if isinstance(value, datetime.datetime) else value


def dashboard_key(user) -> str:
    return f"dashboard:v4:{user.pk}"


def _lock_key(user) -> str:
    return f"dashboard:v4:refreshing:{user.pk}"


def dashboard_refresh(user, today: datetime.date | None = None) -> dict:
    """Compute the user's to-do panel and charts and keep them (the slow part: a
    district's 200,000 cadres take seconds). Run by the Celery task when the kept copy
    is older than DASHBOARD_CACHE_SECONDS, by the periodic warm-up for the users who
    logged in lately, and on the first visit ever."""
    today = today or timezone.localdate()
    result = {
        "counts": _counts(user, today),
        "charts": _charts(user, today),
        "todos": todos_for(user, today),
        "upcoming": upcoming_for(user, today),
        "coverage": _coverage_grid(user, today),
        "portal": _portal_use(user, today),
        "made_at": timezone.now(),
        "day": today,
    }
    cache_set(dashboard_key(user), result, settings.DASHBOARD_KEEP_SECONDS)
    cache_delete(_lock_key(user))
    return result


def charts_for(user, today: datetime.date | None = None) -> dict:
    """The kept dashboard, served at once; when it is older than
    DASHBOARD_CACHE_SECONDS (or of another day) one refresh is queued and the page
    shows the kept figures with their time — a change shows within minutes, and no
    visit waits for the district's aggregates. Without a kept copy (a first visit),
    it is computed now."""
    today = today or timezone.localdate()
    cached = cache_get(dashboard_key(user))
    if cached is None:
        return dashboard_refresh(user, today)
    age = (timezone.now() - cached["made_at"]).total_seconds()
    if (age > settings.DASHBOARD_CACHE_SECONDS or cached["day"] != today) and cache_add(
        _lock_key(user), 1, settings.DASHBOARD_CACHE_SECONDS
    ):
        from .tasks import dashboard_refresh_task

        dashboard_refresh_task.delay(user.pk)  # in-process without a broker
        cached = cache_get(dashboard_key(user)) or cached
    return cached


def _coverage_grid(user, today) -> dict | None:
    """This quarter's visit coverage per child unit of the user's first place unit,
    coloured as on the coverage page (None for a scope of branches only)."""
    top = (
        units_visible_to(user)
        .exclude(kind__in=[UnitKind.BRANCH, UnitKind.PARTY_GROUP])
        .order_by("tree_id", "lft")
        .first()
    )
    if top is None:
        return None
    quarter = current_quarter(today)
    result = coverage(unit=top, start=quarter.start, end=quarter.end, today=today)
    green, amber = settings.COVERAGE_GREEN, settings.COVERAGE_AMBER
    base = {"period": "quarter", "year": today.year, "number": (today.month - 1) // 3 + 1}
    return {
        "unit": top.name, "quarter": quarter.label,
        "rows": [{"name": r.unit.name, "percent": r.cuts["all"].percent,
                  "covered": r.cuts["all"].covered, "eligible": r.cuts["all"].eligible,
                  "grade": grade(r.cuts["all"].percent, green, amber),
                  "url": reverse("coverage") + "?" + urlencode({**base, "unit": r.unit.pk})}
                 for r in result.rows],
    }  # fmt: skip


def _portal_use(user, today) -> dict:
    """The cadres' own pages this quarter: who of the roster signed in, per branch."""
    start = current_quarter(today).start
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    return {
        **portal_use(cadres_visible_to(user), since),
        "quarter": current_quarter(today).label,
    }


def _counts(user, today) -> dict[str, int]:
    """The roster's headline counts, with the month's change: who came onto the
    roster and who left it since the first of the month (one aggregate)."""
    month_start = today.replace(day=1)
    born_80 = latest_birth_date_for_age(80, today)
    born_90 = latest_birth_date_for_age(90, today)
    active = Q(status=CadreStatus.ACTIVE)
    return cadres_visible_to(user).aggregate(
        active=Count("pk", filter=active),
        lixiu=Count("pk", filter=active & Q(category=Category.LIXIU)),
        over_80=Count("pk", filter=active & Q(birth_date__lte=born_80)),
        over_90=Count("pk", filter=active & Q(birth_date__lte=born_90)),
        alone=Count("pk", filter=active & Q(living_situation=LivingSituation.ALONE)),
        archived=Count("pk", filter=Q(status=CadreStatus.ARCHIVED)),
        came=Count("pk", filter=active & Q(on_roster_since__gte=month_start)),
        left=Count(
            "pk", filter=Q(status=CadreStatus.ARCHIVED, archived_on__gte=month_start)
        ),
    )


def _charts(user, today):
    cadres = cadres_visible_to(user)
    active = cadres.filter(status=CadreStatus.ACTIVE)
    months = _months(today)
    labels = [f"{m:%Y-%m}" for m in months]
    total = active.count()

    # 1. Cadres met on a visit, per month, and the share of the roster.
    met = dict(
        VisitedCadre.objects.filter(cadre__in=active.values("pk"), met=True,
                                    visited_on__gte=months[0])
        .annotate(month=TruncMonth("visited_on")).values("month")
        .annotate(n=Count("cadre", distinct=True)).values_list("month", "n")
    )  # fmt: skip
    met = {_month_of(k): v for k, v in met.items()}
    visits = [met.get(m, 0) for m in months]
    share = [round(v * 100 / total, 1) if total else 0 for v in visits]

    # 2. The age pyramid by sex, 离休 and 退休.
    this_year = today.year
    pyramid: dict[tuple, int] = Counter()
    for year, sex, category, n in (
        active.annotate(y=ExtractYear("birth_date")).values("y", "sex", "category")
        .annotate(n=Count("pk")).values_list("y", "sex", "category", "n")
    ):  # fmt: skip
        if year:
            band = min((this_year - year) // BAND * BAND, 100)
            pyramid[(band, sex, category)] += n
    bands = sorted({b for b, _s, _c in pyramid} | {60})
    band_labels = [f"{b}–{b + BAND - 1}" if b < 100 else "100+" for b in bands]
    series = {
        (sex, cat): [pyramid.get((b, sex, cat), 0) for b in bands]
        for sex in ("M", "F") for cat in (Category.LIXIU, Category.TUIXIU)
    }  # fmt: skip

    # 3. Participation in organizational life per month (pooled).
    branch_ids = list(
        units_visible_to(user).filter(kind=UnitKind.BRANCH).values_list("pk", flat=True)
    )
    period = parse_period(f"{months[0]:%Y-%m}..{months[-1]:%Y-%m}")
    took, expected = defaultdict(int), defaultdict(int)
    for (_branch, month), rate in participation_by_branch_month(
        branch_ids, period
    ).items():
        took[month] += rate.took_part
        expected[month] += rate.expected
    rates = [
        round(took[m] * 100 / expected[m], 1) if expected[m] else None for m in months
    ]

    # 4. Partner units' visits and services in the last twelve months.
    partners = list(
        CareVisit.objects.filter(partner__isnull=False, visited_on__gte=months[0],
                                 visited__cadre__in=active.values("pk"))
        .values("partner__name").annotate(n=Count("pk", distinct=True))
        .order_by("-n", "partner__name").values_list("partner__name", "n")[:10]
    )  # fmt: skip

    # 5. Check-up coverage: the roster with a check-up in the last year, per unit kind
    #    of residence (community or village).
    year_ago = today - datetime.timedelta(days=365)
    recent = HealthCheck.objects.filter(cadre=OuterRef("pk"), checked_on__gte=year_ago)
    by_place = {
        place: [n, done]
        for place, n, done in active.annotate(recent=Exists(recent))
        .values("residence_unit__name")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(recent=True)))
        .values_list("residence_unit__name", "n", "done")
    }  # one aggregate, not a row per cadre
    places = sorted(by_place)[:30]

    men, women, lixiu, tuixiu = _("Men"), _("Women"), _("Lixiu"), _("Tuixiu")
    names = {("M", Category.LIXIU): f"{men}·{lixiu}", ("M", Category.TUIXIU): f"{men}·{tuixiu}",
             ("F", Category.LIXIU): f"{women}·{lixiu}", ("F", Category.TUIXIU): f"{women}·{tuixiu}"}  # fmt: skip
    return [
        {"id": "chart-visits", "kind": "line", "title": _("Cadres met on a visit, by month"),
         "labels": labels, "unit": "%",
         "series": [{"name": _("Share of the roster, per cent"), "values": share}],
         "table": [[_("Month"), _("Cadres met"), _("Share of the roster, per cent")],
                   *[[lab, v, s] for lab, v, s in zip(labels, visits, share, strict=True)]]},
        {"id": "chart-ages", "kind": "pyramid", "title": _("Age by sex, lixiu and tuixiu"),
         "labels": band_labels,
         "series": [{"name": names[k], "values": series[k], "side": -1 if k[0] == "M" else 1}
                    for k in series],
         "table": [[_("Age"), *(names[k] for k in series)],
                   *[[lab, *(series[k][i] for k in series)] for i, lab in enumerate(band_labels)]]},
        {"id": "chart-participation", "kind": "line",
         "title": _("Participation in organizational life, by month"), "labels": labels, "unit": "%",
         "series": [{"name": _("Took part ÷ expected, per cent"), "values": rates}],
         "table": [[_("Month"), _("Took part"), _("Expected"), "%"],
                   *[[lab, took[m], expected[m], r if r is not None else "—"]
                     for lab, m, r in zip(labels, months, rates, strict=True)]]},
        {"id": "chart-partners", "kind": "bar", "title": _("Partner units' visits and services"),
         "labels": [p for p, _n in partners],
         "series": [{"name": _("Visits and services"), "values": [n for _p, n in partners]}],
         "table": [[_("Partner unit"), _("Visits and services")], *[[p, n] for p, n in partners]]},
        {"id": "chart-checkups", "kind": "bar", "title": _("Check-up in the last year, by place"),
         "labels": places, "unit": "%",
         "series": [{"name": _("Checked, per cent"),
                     "values": [round(by_place[p][1] * 100 / by_place[p][0], 1) for p in places]}],
         "table": [[_("Place"), _("Cadres"), _("Checked"), "%"],
                   *[[p, by_place[p][0], by_place[p][1],
                      round(by_place[p][1] * 100 / by_place[p][0], 1)] for p in places]]},
    ]  # fmt: skip
