"""The cadres' own pages (issue 23): a cadre's home page on the synthetic district,
for the cadre with the most visits received. Inside a transaction rolled back."""

import statistics
import time
from collections.abc import Iterable

from .bench import BenchContext, Figure, _queries_of, benchmark


class _Rollback(Exception):
    pass


@benchmark
def portal_figures(ctx: BenchContext) -> Iterable[Figure]:
    from django.db import transaction
    from django.db.models import Count
    from django.test import Client

    from members.models import Cadre
    from portal.models import SignInMethod
    from portal.selectors import COOKIE, Identity
    from portal.services import portal_session_start
    from services.models import VisitedCadre

    busiest = (
        VisitedCadre.objects.filter(cadre__status="active")
        .values("cadre")
        .annotate(n=Count("pk"))
        .order_by("-n", "cadre")
        .first()
    )
    cadre = Cadre.objects.get(pk=busiest["cadre"])
    figures: list[Figure] = []
    try:
        with transaction.atomic():
            key = portal_session_start(identity=Identity(cadre), method=SignInMethod.CODE,
                                       address=None)  # fmt: skip
            client = Client(HTTP_HOST="localhost")
            client.cookies[COOKIE] = key
            assert client.get("/my/").status_code == 200
            times = []
            for _ in range(7):
                start = time.perf_counter()
                client.get("/my/")
                times.append((time.perf_counter() - start) * 1000)
            figures.append(("portal_home_ms", round(statistics.median(times), 1), "ms"))
            figures.append(
                ("portal_home_queries", len(_queries_of(client, "/my/", {})), "queries")
            )
            raise _Rollback
    except _Rollback:
        pass
    yield from figures
