"""Party dues figures (issue 21): opening the year's books for the synthetic district
(a book per branch, each member's monthly dues fixed from the pension, set-based),
and a branch's ledger page. Each run inside a transaction rolled back."""

import statistics
import time
from collections.abc import Iterable

from .bench import BenchContext, Figure, _queries_of, _township_officer, benchmark


class _Rollback(Exception):
    pass


@benchmark
def dues_figures(ctx: BenchContext) -> Iterable[Figure]:
    from django.db import transaction
    from django.test import Client

    from activities.models import DuesAccount
    from activities.services.dues import dues_year_open
    from gridparty.models import SyntheticDataset
    from grids.models import OrgUnit, UnitKind

    district = OrgUnit.objects.filter(kind=UnitKind.DISTRICT).order_by("pk").first()
    year = SyntheticDataset.objects.order_by("-pk").first().anchor.year + 1
    seconds, added = [], 0
    for _ in range(3):
        try:
            with transaction.atomic():
                start = time.perf_counter()
                added = dues_year_open(unit=district, year=year)
                seconds.append(time.perf_counter() - start)
                raise _Rollback
        except _Rollback:
            pass
    yield ("dues_year_open_200k_s", round(statistics.median(seconds), 2), "s")
    yield ("dues_year_open_accounts", added, "accounts")
    # A branch's ledger page: its queries whatever the branch's size.
    assignment = _township_officer()
    client = Client(HTTP_HOST="localhost")
    client.force_login(assignment.user)
    try:
        with transaction.atomic():
            dues_year_open(unit=assignment.unit, year=year)
            branch = (
                DuesAccount.objects.filter(year=year)
                .values("book__branch")
                .order_by("book__branch")
                .first()["book__branch"]
            )
            query = {"branch": branch, "month": f"{year}-03"}
            client.get("/dues/", query)
            queries = _queries_of(client, "/dues/", query)
            start = time.perf_counter()
            client.get("/dues/", query)
            yield (
                "dues_ledger_page_ms",
                round((time.perf_counter() - start) * 1000, 1),
                "ms",
            )
            yield ("dues_ledger_page_queries", len(queries), "queries")
            raise _Rollback
    except _Rollback:
        pass
