"""Logging visits, photos, the edit window and "my visits" (issue 8)."""

import datetime
import io
import os
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from members.models import Household
from members.services import cadre_update
from services.models import CareVisit, VisitedCadre, VisitPhoto, VisitPlan
from services.plans import visit_plans_refresh
from tests.factories import make_cadre

D = datetime.date


@pytest.fixture
def couple(cast):
    home = Household.objects.create(address="金桥路 1 号")
    wife = make_cadre(branch=cast.tree["branch_A"], name="张夫人", male=False)
    cadre_update(cadre=cast.cadre_a, household=home)
    cadre_update(cadre=wife, household=home)
    return cast.cadre_a, wife


def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def post_visit(client, cadre, **fields):
    data = {
        "client_key": str(uuid.uuid4()),
        "kinds": ["home_visit", "medicine"],
        "cadres": [str(cadre.pk)],
        "visited_on": timezone.localdate().isoformat(),
        "outcome": "met",
    }
    data.update(fields)
    return client.post(reverse("visits:new", args=[cadre.pk]), data), data


def test_a_household_visit_with_two_kinds_moves_both_plans_and_is_sent_once(
    client, cast, couple
):
    husband, wife = couple
    client.force_login(cast.grid_a)
    page = client.get(reverse("visits:new", args=[husband.pk])).content.decode()
    assert "张夫人" in page and "全户" in page
    response, data = post_visit(client, husband, cadres=[str(husband.pk), str(wife.pk)],
                                notes="身体尚好", follow_up="送降压药", follow_up_due="2030-01-01")  # fmt: skip
    assert response.status_code == 302
    visit = CareVisit.objects.get()
    assert set(visit.kinds.values_list("kind", flat=True)) == {"home_visit", "medicine"}
    assert set(visit.visited.values_list("cadre_id", flat=True)) == {husband.pk, wife.pk}
    assert list(visit.visitors.all()) == [cast.grid_a]
    today = timezone.localdate()
    for cadre in couple:
        plan = VisitPlan.objects.get(cadre=cadre)
        assert (
            plan.last_contact_on == today
            and plan.next_due_on == today + datetime.timedelta(days=91)
        )
        profile = client.get(
            reverse("members:cadre_detail", args=[cadre.pk])
        ).content.decode()
        assert "走访慰问" in profile and "送药" in profile and "身体尚好" in profile
    # The same form again (a double tap, a resend): nothing new.
    again = client.post(reverse("visits:new", args=[husband.pk]), data,
                        HTTP_ACCEPT="application/json")  # fmt: skip
    assert again.status_code == 200 and again.json()["visit"] == visit.pk
    assert CareVisit.objects.count() == 1 and VisitedCadre.objects.count() == 2


def test_bad_input_gets_chinese_messages_and_saves_nothing(client, cast):
    client.force_login(cast.grid_a)
    response, _ = post_visit(client, cast.cadre_a, kinds=[], visited_on="2999-01-01",
                             follow_up_due="2026-12-01")  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "至少选择一种" in page and "晚于今天" in page and "跟进" in page
    assert not CareVisit.objects.exists()


def test_a_photo_must_be_an_image_and_is_stored_privately(client, cast, settings):
    client.force_login(cast.grid_a)
    fake = SimpleUploadedFile(
        "照片.jpg", b"%PDF-1.7 not a picture", content_type="image/jpeg"
    )
    response, _ = post_visit(client, cast.cadre_a, photo=fake)
    assert response.status_code == 400 and "不是照片" in response.content.decode()
    assert not CareVisit.objects.exists()
    real = SimpleUploadedFile("x.png", png_bytes((3000, 1500)), content_type="image/png")
    response, _ = post_visit(client, cast.cadre_a, photo=real)
    assert response.status_code == 302
    photo = VisitPhoto.objects.get()
    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 2000, 1000)
    path = settings.VISIT_PHOTO_DIR / photo.stored_file
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    served = client.get(reverse("visits:photo", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    # Someone in another grid gets nothing, not even that it exists.
    client.force_login(cast.grid_b)
    assert client.get(reverse("visits:photo", args=[photo.pk])).status_code == 404


def test_a_worker_cannot_log_visits_outside_their_grid(client, cast):
    client.force_login(cast.grid_b)
    assert client.get(reverse("visits:new", args=[cast.cadre_a.pk])).status_code == 404
    response, _ = post_visit(client, cast.cadre_a)
    assert response.status_code == 404 and not CareVisit.objects.exists()
    client.force_login(cast.leader)  # sees everything, changes nothing
    assert client.get(reverse("visits:new", args=[cast.cadre_a.pk])).status_code == 403
    # A community worker visits those who live in the community, whatever the branch.
    client.force_login(cast.community_b)
    response, _ = post_visit(client, cast.cross)
    assert response.status_code == 302


def test_the_author_edits_for_24_hours_then_only_an_officer(client, cast):
    client.force_login(cast.grid_a)
    post_visit(client, cast.cadre_a)
    visit = CareVisit.objects.get()
    edit = reverse("visits:edit", args=[visit.pk])
    assert client.get(edit).status_code == 200
    CareVisit.objects.filter(pk=visit.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    assert client.get(edit).status_code == 403
    client.force_login(cast.officer)
    response = client.post(edit, {
        "client_key": str(visit.client_key), "kinds": ["home_visit"],
        "visited_on": visit.visited_on.isoformat(), "outcome": "not_at_home", "notes": "补记",
    })  # fmt: skip
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.outcome == "not_at_home" and visit.notes == "补记"
    assert not VisitedCadre.objects.get(visit=visit).met
    assert VisitPlan.objects.get(cadre=cast.cadre_a).last_contact_on is None


def test_my_visits_lists_due_cadres_most_overdue_first_in_fixed_queries(client, cast):
    from services.services import hospitalization_record, visit_log

    tree = cast.tree
    old = make_cadre(branch=tree["branch_A"], name="甲久未访")
    recent = make_cadre(branch=tree["branch_A"], name="乙刚访过")
    visit_log(cadres=[old], kinds=["home_visit"], visited_on=D(2025, 1, 5))
    visit_log(cadres=[recent], kinds=["home_visit"], visited_on=timezone.localdate())
    visit_log(cadres=[old], kinds=["phone_call"], visited_on=timezone.localdate(),
              follow_up="送轮椅", follow_up_due=timezone.localdate())  # fmt: skip
    visit_log(cadres=[cast.cadre_a], kinds=["home_visit"], visited_on=D(2025, 6, 1))
    hospitalization_record(
        cadre=cast.cadre_a, admitted_on=timezone.localdate(), hospital="区医院"
    )
    client.force_login(cast.grid_a)
    client.get(reverse("visits:mine"))  # warm the session
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("visits:mine")).content.decode()
    names = [
        n
        for n in ("张三丰", "甲久未访", "乙刚访过", "王五常")
        if n in page.split('id="queue-due"')[1]
    ]
    assert names[0] == "张三丰" and "乙刚访过" not in names
    assert "送轮椅" in page and "区医院" in page
    assert "李四光" not in page  # grid B
    for n in range(30):
        make_cadre(branch=tree["branch_A"], name=f"新{n}")
    visit_plans_refresh()
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("visits:mine")).content.decode()
    assert "新29" in page and len(many) == len(few)


def test_hospital_from_the_visit_form_and_follow_ups_done_in_one_tap(client, cast):
    from services.models import Hospitalization
    from services.services import visit_log

    client.force_login(cast.grid_a)
    form_url = reverse("visits:new", args=[cast.cadre_a.pk])
    assert "登记住院" in client.get(form_url).content.decode()
    response = client.post(reverse("visits:admit", args=[cast.cadre_a.pk]), {
        "hospital": "区中心医院", "admitted_on": timezone.localdate().isoformat(),
        "next": form_url,
    })  # fmt: skip
    assert response.status_code == 302 and response["Location"] == form_url
    assert Hospitalization.objects.get(cadre=cast.cadre_a).hospital == "区中心医院"
    # "next" leads only within the site.
    stay = Hospitalization.objects.get()
    response = client.post(reverse("visits:discharge", args=[stay.pk]), {
        "discharged_on": timezone.localdate().isoformat(), "next": "https://evil.example/",
    })  # fmt: skip
    assert response["Location"] == reverse("members:cadre_detail", args=[cast.cadre_a.pk])
    visit = visit_log(cadres=[cast.cadre_a], kinds=["home_visit"], follow_up="送药",
                      follow_up_due=timezone.localdate())  # fmt: skip
    assert "送药" in client.get(reverse("visits:mine")).content.decode()
    client.force_login(cast.grid_b)
    assert (
        client.post(reverse("visits:follow_up_done", args=[visit.pk])).status_code == 404
    )
    client.force_login(cast.grid_a)
    client.post(reverse("visits:follow_up_done", args=[visit.pk]))
    visit.refresh_from_db()
    assert visit.follow_up_done_on == timezone.localdate()
    assert "送药" not in client.get(reverse("visits:mine")).content.decode()
