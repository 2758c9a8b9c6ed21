"""Issue 18's measure of done: every demo login crawls every page it can reach from
the home page; no English word or raw key a user reads, no error page reached from
the menu, no server error anywhere. (The browser crawl, tests/e2e, adds console
errors on a phone and at a desk.)"""

import io
import re

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, TestCase

from gridparty.demo import USERS
from grids.models import OrgUnit

from .crawl import crawl


class EveryDemoLoginCrawlsEveryPage(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=io.StringIO())
        # Login names and unit codes are codes, not words.
        words = re.compile(r"[A-Za-z][A-Za-z']+")
        codes = [*get_user_model().objects.values_list("username", flat=True),
                 *OrgUnit.objects.exclude(code="").exclude(code=None).values_list("code", flat=True)]  # fmt: skip
        cls.names = frozenset(w for code in codes for w in words.findall(code))

    def test_every_page_reads_in_chinese_without_dead_ends(self):
        report = []
        for username in USERS:
            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            statuses, problems = crawl(client, names=self.names)
            assert len(statuses) > 10, (username, statuses)
            report += [f"{username}: {p}" for p in problems]
        assert report == [], "\n".join(sorted(set(report)))
