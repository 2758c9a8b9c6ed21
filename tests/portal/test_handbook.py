"""我的手册 on the cadre's own pages: their own year, unmasked to themselves, with
their dues — never another person's (issue 23)."""

import re
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from activities.services.dues import dues_pay, dues_year_open
from members.services import cadre_update
from portal.sms import ConsoleSMS


def _portal_client(client_class, phone):
    client = client_class()
    ConsoleSMS.outbox.clear()
    client.post(reverse("portal:signin"), {"phone": phone})
    code = re.search(r"(\d{6})", ConsoleSMS.outbox[-1][1]).group(1)
    client.post(reverse("portal:code"), {"code": code})
    return client


def test_my_handbook_is_mine_unmasked_with_my_dues(client, cast):
    today = timezone.localdate()
    cadre_update(cadre=cast.cadre_a, monthly_pension=Decimal("6000"))
    dues_year_open(unit=cast.tree["township"], year=today.year, by=cast.officer)
    from activities.models import DuesAccount

    account = DuesAccount.objects.get(cadre=cast.cadre_a, year=today.year)
    dues_pay(
        account=account,
        months=[1],
        paid_on=today,
        paid_by="cash",
        by=cast.officer,
        note="补交",
    )
    phone = _portal_client(client.__class__, "13812348000")
    page = phone.get(reverse("my_handbook")).content.decode()
    assert "张三丰" in page and cast.cadre_a.id_number in page  # unmasked to themselves
    assert "13812348000" in page
    assert "李四光" not in page and cast.cadre_b.id_number not in page
    dues = page.split('id="my-dues"')[1].split("</section>")[0]
    assert "60.00" in dues  # 1 % of 6,000 a month
    assert "今年已交1个月" in dues
    if today.month > 1:
        assert "尚未交纳：2" in dues  # month 2 onward is not yet paid
    # Another year; a year out of range is refused; without a session, the sign-in.
    assert (
        phone.get(reverse("my_handbook_year", args=[today.year - 1])).status_code == 200
    )
    assert phone.get(reverse("my_handbook_year", args=[1800])).status_code == 403
    response = client.get(reverse("my_handbook"))
    assert response.status_code == 302 and response.url == reverse("portal:signin")
