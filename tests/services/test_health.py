"""Health check-ups (issue 9): series, trend, due list at the one-year boundary,
access-logged record."""

import datetime

from django.urls import reverse
from django.utils import timezone

from grids.models import AccessLog
from services.selectors.health import (
    health_due,
    label_due,
    next_check_due,
    pressure_chart,
)
from services.services import health_check_record
from tests.factories import make_cadre

D = datetime.date


def test_the_next_check_up_is_due_a_year_after_the_last(tree, settings):
    assert next_check_due(D(2025, 6, 1), D(2026, 1, 1)) == D(2026, 6, 1)
    assert next_check_due(None, D(2026, 1, 1)) == D(2026, 1, 1)  # never: due now
    settings.HEALTH_CHECK_INTERVAL_DAYS = 182
    assert next_check_due(D(2025, 6, 1), D(2026, 1, 1)) == D(2025, 11, 30)


def test_the_due_list_at_the_one_year_boundary(tree, cast):
    today = D(2026, 6, 1)
    a, b, c, d = (
        make_cadre(branch=tree["branch_A"], name=n) for n in ("甲", "乙", "丙", "丁")
    )
    health_check_record(
        cadre=a, checked_on=D(2025, 5, 31), systolic=130, diastolic=80
    )  # overdue
    health_check_record(
        cadre=b, checked_on=D(2025, 7, 1)
    )  # due 2026-07-01: within 30 days
    health_check_record(cadre=c, checked_on=D(2025, 7, 2))  # due 2026-07-02: 31 days away
    # d: never checked: due now
    listed = list(health_due(cast.officer, today))
    label_due(listed, today)
    names = {x.name: x for x in listed}
    assert set(names) >= {"甲", "乙", "丁"} and "丙" not in names
    assert names["甲"].check_overdue and not names["乙"].check_overdue
    assert names["乙"].check_due == D(2026, 7, 1)
    assert "李四光" not in {x.name for x in health_due(cast.grid_a, today)}


def test_the_series_and_its_trend_chart(tree):
    cadre = make_cadre(branch=tree["branch_A"])
    for year, (sys, dia) in zip(
        (2023, 2024, 2025), ((150, 95), (140, 90), (128, 82)), strict=True
    ):
        health_check_record(
            cadre=cadre, checked_on=D(year, 5, 1), systolic=sys, diastolic=dia
        )
    health_check_record(cadre=cadre, checked_on=D(2026, 5, 1))  # no pressure taken
    chart = pressure_chart(list(cadre.health_checks.order_by("checked_on")))
    assert [label for _, label in chart["labels"]] == [2023, 2024, 2025]
    ys = [float(p.split(",")[1]) for p in chart["systolic"].split()]
    assert ys[0] > 0 and ys == sorted(ys)  # falling pressure: rising y on screen


def test_the_full_record_is_for_the_right_roles_and_every_view_is_logged(client, cast):
    health_check_record(cadre=cast.cadre_a, checked_on=timezone.localdate(), systolic=135,
                        diastolic=85, findings="血压偏高")  # fmt: skip
    url = reverse("health:record", args=[cast.cadre_a.pk])
    client.force_login(cast.grid_a)  # not a health role by default
    assert client.get(url).status_code == 403
    profile = client.get(
        reverse("members:cadre_detail", args=[cast.cadre_a.pk])
    ).content.decode()
    assert "血压偏高" not in profile and "135/85" not in profile
    client.force_login(cast.grid_b)
    assert client.get(url).status_code == 404
    client.force_login(cast.officer)
    page = client.get(url).content.decode()
    assert "135/85" in page and "血压偏高" in page
    log = AccessLog.objects.get(object_type="health_record")
    assert (log.user, log.action, log.object_id) == (
        cast.officer,
        "view",
        str(cast.cadre_a.pk),
    )
    due_page = client.get(reverse("health:due")).content.decode()
    assert "血压偏高" not in due_page and "135" not in due_page  # lists: due/overdue only


def test_an_officer_records_a_check_up_with_a_partner_as_provider(client, cast):
    from grids.models import PartnerKind, PartnerUnit

    clinic = PartnerUnit.objects.create(name="镇卫生院", kind=PartnerKind.INSTITUTIONAL)
    client.force_login(cast.officer)
    url = reverse("health:record", args=[cast.cadre_a.pk])
    response = client.post(url, {"checked_on": "2026-05-01", "partner": clinic.pk,
                                 "systolic": 90, "diastolic": 120})  # fmt: skip
    assert response.status_code == 400 and "收缩压" in response.content.decode()
    response = client.post(url, {"checked_on": "2026-05-01", "partner": clinic.pk,
                                 "systolic": 128, "diastolic": 80})  # fmt: skip
    assert response.status_code == 302
    check = cast.cadre_a.health_checks.get()
    assert check.partner == clinic and check.recorded_by == cast.officer


def test_outsiders_get_no_health_or_partner_pages(client, cast):
    client.force_login(cast.outsider)
    assert client.get(reverse("health:due")).status_code == 403
    assert client.get(reverse("health:record", args=[cast.cadre_a.pk])).status_code == 404
    assert client.get(reverse("coverage")).status_code == 403
    assert client.get(reverse("visits:mine")).status_code == 200  # an empty queue
    assert "张三丰" not in client.get(reverse("visits:mine")).content.decode()
