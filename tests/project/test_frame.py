"""The page frame (the user's place, which menu entries to show) is kept per user and
scope: a changed assignment shows at once, and a kept frame costs no queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grids.models import StaffRole
from tests.factories import assign


def _get(client, path="/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_frame_is_kept_and_follows_the_scope(client, cast, settings):
    settings.FRAME_CACHE_SECONDS = 300
    client.force_login(cast.secretary)
    coverage = f'href="{reverse("coverage")}"'
    _get(client)  # the session's first request writes its activity stamp
    first, first_queries = _get(client)
    assert coverage not in first  # a branch's secretary: no coverage by residence
    assert cast.tree["branch_A"].name in first  # their place in the crumbs
    again, again_queries = _get(client)
    assert coverage not in again
    assert again_queries == first_queries  # both from the cache (kept by the first)
    # A new assignment changes the scope, and with it the frame, at once.
    assign(cast.secretary, cast.tree["grid_A"], StaffRole.GRID_WORKER)
    after, _ = _get(client)
    assert coverage in after
    assert cast.tree["grid_A"].name in after


def test_without_keeping_each_page_computes_it(client, cast, settings):
    settings.FRAME_CACHE_SECONDS = 0
    client.force_login(cast.secretary)
    _get(client)  # the session's first request writes its activity stamp
    _, queries = _get(client)
    settings.FRAME_CACHE_SECONDS = 300
    _get(client)
    _, kept_queries = _get(client)
    assert kept_queries == queries - 5
