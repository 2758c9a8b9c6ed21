"""活动 on the cadre's own pages: the menu suited to them, sign-up and cancel, with
the menu's rules (never a trip for one who cannot travel) — issue 23."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from activities.models import MeetingKind, SignUp
from activities.services.menu import menu_offer
from members.models import Mobility
from portal.sms import ConsoleSMS
from tests.factories import make_cadre


def _portal_client(client_class, phone):
    client = client_class()
    ConsoleSMS.outbox.clear()
    client.post(reverse("portal:signin"), {"phone": phone})
    code = re.search(r"(\d{6})", ConsoleSMS.outbox[-1][1]).group(1)
    client.post(reverse("portal:code"), {"code": code})
    return client


def _offer(cast, unit, topic, suits, minutes):
    when = timezone.now().replace(microsecond=0) + datetime.timedelta(minutes=minutes)
    return menu_offer(by=cast.officer, unit=unit, kind=MeetingKind.objects.get(code="other"),
                      topic=topic, starts_at=when, suits=suits, capacity=None)  # fmt: skip


def test_a_cadre_at_home_signs_up_and_cancels_on_the_phone(client, cast):
    tree = cast.tree
    trip = _offer(cast, tree["branch_A"], "参观革命历史陈列馆", "travel", 60)
    film = _offer(cast, tree["grid_A"], "送电影上门", "home", 70)
    make_cadre(branch=tree["branch_A"], name="钱居家", mobility=Mobility.HOME,
               phone="13700000001")  # fmt: skip
    phone = _portal_client(client.__class__, "13700000001")
    page = phone.get(reverse("portal:menu")).content.decode()
    # What suits comes first; the trip has no sign-up button.
    assert page.index("送电影上门") < page.index("参观革命历史陈列馆")
    assert reverse("portal:signup", args=[film.pk]) in page
    assert reverse("portal:signup", args=[trip.pk]) not in page
    # Forced, the trip is refused with the menu's message.
    response = phone.post(reverse("portal:signup", args=[trip.pk]), follow=True)
    assert "不适合" in response.content.decode()
    assert not SignUp.objects.exists()
    phone.post(reverse("portal:signup", args=[film.pk]))
    phone.post(reverse("portal:signup", args=[film.pk]))  # a second tap: one place
    assert SignUp.objects.get().activity == film
    assert (
        reverse("portal:cancel", args=[film.pk])
        in phone.get(reverse("portal:menu")).content.decode()
    )
    phone.post(reverse("portal:cancel", args=[film.pk]))
    assert not SignUp.objects.exists()
    # Another branch's activity is not on this cadre's menu.
    other = _offer(cast, tree["branch_B"], "社区B联欢会", "home", 80)
    phone.post(reverse("portal:signup", args=[other.pk]))
    assert not SignUp.objects.exists()
    assert phone.post(reverse("portal:signup", args=[10**20])).status_code == 404
