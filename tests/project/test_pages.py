"""Whole-page checks on the demo township: masking and language (issue 4)."""

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import TestCase

from grids.models import OrgUnit, StaffAssignment, StaffRole
from members.models import Cadre, FamilyContact
from members.selectors import cadres_visible_to


class VisibleText(HTMLParser):
    """The text a person reads: no tags, scripts, styles or attribute values."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


class DemoPages(TestCase):
    # The pages of the crawl a role may not open, and the answer it gets.
    REFUSED: dict[str, str] = {
        # Grid workers may not open the health record (REVEAL_ROLES["health"]).
        "grid1": r"/health/\d+/",
        # Leaders read: no imports, no visit form, no health record.
        "leader": r"/imports/|/visits/new/\d+/|/health/\d+/",
    }

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=io.StringIO())

    def pages(self, username: str) -> dict[str, str]:
        self.client.logout()
        user = get_user_model().objects.get(username=username)
        self.client.force_login(user)
        urls = ["/", "/units/", "/cadres/", "/accounts/password/", "/imports/",
                "/visits/mine/", "/coverage/", "/health/due/", "/partners/",
                "/partners/?year=2025", "/reminders/"]  # fmt: skip
        first = self.client.get("/cadres/").context["page"]
        urls += [f"/cadres/?page={n}" for n in first.paginator.page_range]
        urls += [f"/cadres/?status=all&page={n}" for n in range(1, 5)]
        # The role's own cadres (others answer 404: the scope tests cover that).
        visible = cadres_visible_to(user).filter(status="active").order_by("pk")
        urls += [f"/cadres/{c.pk}/" for c in visible[:40]]
        urls += [f"/visits/new/{c.pk}/" for c in visible[:3]]
        urls += [f"/health/{c.pk}/" for c in visible[:3]]
        pages, answers = {}, {}
        for url in urls:
            response = self.client.get(url)
            if response.status_code == 200:
                pages[url] = response.content.decode()
            else:
                answers[url] = response.status_code
        # Every page answers 200, but for the refusals (403) this role must get.
        refused = re.compile(self.REFUSED.get(username, "(?!)"))
        expected = {url: 403 for url in urls if refused.fullmatch(url)}
        assert answers == expected, (username, answers)
        return pages

    def test_no_full_id_number_or_phone_in_any_list_or_profile(self):
        secrets = set(Cadre.objects.values_list("id_number", flat=True))
        secrets |= {p for p in Cadre.objects.values_list("phone", flat=True) if p}
        secrets |= set(FamilyContact.objects.values_list("phone", flat=True))
        pages = self.pages("township")
        assert len(pages) > 40
        for url, html in pages.items():
            leaked = [s for s in secrets if s in html]
            assert leaked == [], (url, leaked[:3])
        # …while the masked forms are there.
        cadre = Cadre.objects.exclude(phone="").first()
        profile = (
            pages.get(f"/cadres/{cadre.pk}/")
            or self.client.get(f"/cadres/{cadre.pk}/").content.decode()
        )
        assert cadre.masked_id_number in profile and cadre.masked_phone in profile

    def test_the_main_pages_show_no_untranslated_english(self):
        po = polib.pofile(
            str(Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.po")
        )
        msgids = {e.msgid for e in po if len(e.msgid) > 3 and " " in e.msgid}
        # Two English words in a row would be an untranslated phrase.
        english = re.compile(r"\b[A-Za-z]{2,}(?:[ ,.'’-]+[A-Za-z]{2,})+\b")
        for username in ("township", "grid1", "leader", "jinqiao"):
            for url, html in self.pages(username).items():
                text = visible_text(html)
                found = [m for m in msgids if m in text]
                assert found == [], (username, url, found[:3])
                phrases = [m.group(0) for m in english.finditer(text)]
                assert phrases == [], (username, url, phrases[:5])

    def test_english_is_selectable_but_not_the_default(self):
        self.client.force_login(get_user_model().objects.get(username="township"))
        page = self.client.get("/cadres/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert "老干部" in page.content.decode()
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/cadres/"})
        assert "Cadres" in self.client.get("/cadres/").content.decode()

    def test_the_admin_is_scoped_for_administrators_who_are_not_superusers(self):
        user = get_user_model().objects.create_user(
            "gridadmin", password="x-Pass-2026", is_staff=True
        )
        user.user_permissions.add(
            *Permission.objects.filter(codename__startswith="view_")
        )
        StaffAssignment.objects.create(
            user=user,
            unit=OrgUnit.objects.get(name="第一网格"),
            role=StaffRole.ADMINISTRATOR,
        )
        self.client.force_login(user)
        response = self.client.get("/admin/members/cadre/")
        shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
        grid = OrgUnit.objects.get(name="第一网格")
        inside = OrgUnit.objects.filter(
            tree_id=grid.tree_id, lft__gte=grid.lft, rght__lte=grid.rght
        )
        expected = set(
            Cadre.objects.filter(branch__in=inside).values_list("pk", flat=True)
        ) | set(
            Cadre.objects.filter(residence_unit__in=inside).values_list("pk", flat=True)
        )
        assert shown == expected and 0 < len(shown) < Cadre.objects.count()
        units = set(self.client.get("/admin/grids/orgunit/").context["cl"].queryset)
        assert OrgUnit.objects.get(name="幸福村") in units
        assert OrgUnit.objects.get(name="沙河村") not in units
        visits = self.client.get("/admin/services/carevisit/").context["cl"].queryset
        assert visits.exists()
        assert not visits.exclude(visited__cadre__in=expected).exists()
