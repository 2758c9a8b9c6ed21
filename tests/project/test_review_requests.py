"""The requests the hostile review saw fail with HTTP 500 (issue 14), kept as a
regression table: each must now answer with a page or a message, never 5xx, and
leave nothing broken behind."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from grids.models import StaffRole
from services.models import CareVisit, HealthCheck, Hospitalization
from services.services import hospitalization_record, visit_log
from tests.factories import UserFactory, assign


@pytest.fixture
def jinqiao(cast):
    """A community worker of community A (the review's `jinqiao`)."""
    user = UserFactory(username="jinqiao")
    assign(user, cast.tree["community_A"], StaffRole.COMMUNITY_WORKER)
    return user


def _visit(cast, by):
    return visit_log(cadres=[cast.cadre_a], kinds=["home_visit"], by=by)


def test_a_check_up_dated_9999_is_refused_and_the_cadre_pages_stay_up(
    client, cast, jinqiao
):
    client.force_login(jinqiao)
    url = reverse("health:record", args=[cast.cadre_a.pk])
    response = client.post(url, {"checked_on": "9999-12-31"})
    assert response.status_code == 400
    assert "晚于今天" in response.content.decode()
    assert not HealthCheck.objects.exists()
    # A date already stored (from before the bounds) breaks no page.
    HealthCheck.objects.bulk_create(
        [HealthCheck(cadre=cast.cadre_a, checked_on="9999-12-31")]
    )
    for role in (jinqiao, cast.officer):
        client.force_login(role)
        assert client.get(url).status_code == 200
        assert (
            client.get(
                reverse("members:cadre_detail", args=[cast.cadre_a.pk])
            ).status_code
            == 200
        )
        assert client.get(reverse("health:due")).status_code == 200


@pytest.mark.parametrize("fmt", ["", "xlsx"])
def test_a_coverage_range_in_year_0001_gets_a_message(client, cast, fmt):
    client.force_login(cast.officer)
    query = {"period": "custom", "start": "0001-01-01", "end": "0001-12-31"}
    if fmt:
        query["format"] = fmt
    response = client.get(reverse("coverage"), query)
    assert response.status_code == 400
    assert "过早" in response.content.decode()
    response = client.get(reverse("coverage"), {"period": "year", "year": "99999"})
    assert response.status_code == 400


def test_a_300_character_username_gets_the_login_page(client, db):
    response = client.post(reverse("login"), {"username": "u" * 300, "password": "x"})
    assert response.status_code in (200, 400)
    assert "用户名" in response.content.decode()


def test_a_non_image_on_the_visit_edit_form_gets_the_message(client, cast, jinqiao):
    visit = _visit(cast, cast.officer)
    client.force_login(cast.officer)
    response = client.post(
        reverse("visits:edit", args=[visit.pk]),
        {
            "kinds": ["home_visit"],
            "visited_on": timezone.localdate().isoformat(),
            "outcome": "met",
            "photo": SimpleUploadedFile("x.jpg", b"%PDF-1.4 not an image", "image/jpeg"),
        },
    )
    assert response.status_code == 400
    assert "图片" in response.content.decode()
    assert not visit.photos.exists()


def test_a_discharge_on_9999_gets_a_message_and_changes_nothing(client, cast, jinqiao):
    stay = hospitalization_record(
        cadre=cast.cadre_a,
        hospital="瑞金医院",
        admitted_on=timezone.localdate(),
        by=jinqiao,
    )
    client.force_login(jinqiao)
    response = client.post(
        reverse("visits:discharge", args=[stay.pk]),
        {"discharged_on": "9999-12-31"},
        follow=True,
    )
    assert response.status_code == 200
    assert "晚于今天" in response.content.decode()
    stay.refresh_from_db()
    assert stay.discharged_on is None
    assert Hospitalization.objects.count() == 1


def test_huge_and_odd_numerals_in_a_check_up_get_messages(client, cast, jinqiao):
    client.force_login(jinqiao)
    url = reverse("health:record", args=[cast.cadre_a.pk])
    for height, weight in (("1e400", "NaN"), ("inf", "-inf"), ("１６０", "9" * 400)):
        response = client.post(
            url,
            {
                "checked_on": timezone.localdate().isoformat(),
                "height_cm": height,
                "weight_kg": weight,
            },
        )
        assert response.status_code == 400, (height, weight)
    assert not HealthCheck.objects.exists()


def test_a_superscript_digit_as_reminder_id_is_ignored(client, cast):
    client.force_login(cast.officer)
    for value in ("²", "٣", "9" * 40, "-1"):
        response = client.post(reverse("inbox_read"), {"reminder": value})
        assert response.status_code == 302


def test_a_nul_username_to_unlock_gets_a_message(client, cast):
    client.force_login(cast.officer)
    response = client.post(reverse("unlock_account"), {"username": "\x00"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    response = client.post(reverse("unlock_account"), {"username": "x" * 300})
    assert response.status_code == 403


def test_a_visit_without_a_client_key_can_be_edited(client, cast):
    visit = _visit(cast, cast.officer)
    assert visit.client_key is None
    client.force_login(cast.officer)
    url = reverse("visits:edit", args=[visit.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {
            "kinds": ["home_visit", "medicine"],
            "visited_on": timezone.localdate().isoformat(),
            "outcome": "met",
            "notes": "补记",
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.notes == "补记"
    assert set(visit.kinds.values_list("kind", flat=True)) == {"home_visit", "medicine"}


def test_the_same_visit_form_sent_again_answers_success(client, cast, jinqiao):
    client.force_login(jinqiao)
    key = str(uuid.uuid4())
    data = {
        "client_key": key,
        "kinds": ["home_visit"],
        "cadres": [str(cast.cadre_a.pk)],
        "visited_on": timezone.localdate().isoformat(),
        "outcome": "met",
    }
    url = reverse("visits:new", args=[cast.cadre_a.pk])
    answers = [
        client.post(url, data, HTTP_ACCEPT="application/json").json() for _ in range(3)
    ]
    assert len({a["visit"] for a in answers}) == 1 and all(a["ok"] for a in answers)
    assert CareVisit.objects.filter(client_key=key).count() == 1


def test_an_uploaded_file_of_10_mb_in_a_field_is_refused_cleanly(client, cast):
    client.force_login(cast.officer)
    response = client.post(reverse("inbox_read"), {"reminder": "1" * (10 * 1024 * 1024)})
    assert response.status_code == 400
    assert io  # the body was refused before any view ran


def test_an_edit_that_breaks_a_rule_of_a_field_the_form_leaves_out_gets_a_message(
    client, cast
):
    """Found by the fuzz: a party member's dossier sent without 是否党员 broke the
    rule on the branch, which the edit form leaves to transfers (a server error)."""
    client.force_login(cast.officer)
    response = client.post(
        reverse("members:cadre_edit", args=[cast.cadre_a.pk]), {"q": "x"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "只有党员才有此项信息" in page and "尚未保存" in page
    cast.cadre_a.refresh_from_db()
    assert cast.cadre_a.is_party_member


def test_a_next_that_is_not_a_path_goes_back_to_the_profile(client, cast, jinqiao):
    """Found by the fuzz: redirect() tried to reverse a `next` like "0001-01-01"."""
    client.force_login(jinqiao)
    profile = reverse("members:cadre_detail", args=[cast.cadre_a.pk])
    for target in (
        "0001-01-01",
        "members:cadre_list",
        "//evil.example/",
        "https://evil.example/",
    ):
        response = client.post(
            reverse("visits:admit", args=[cast.cadre_a.pk]),
            {"admitted_on": "", "hospital": "", "next": target},
        )
        assert (response.status_code, response["Location"]) == (302, profile), target
    response = client.post(
        reverse("visits:admit", args=[cast.cadre_a.pk]), {"next": "/visits/mine/"}
    )
    assert response["Location"] == "/visits/mine/"
