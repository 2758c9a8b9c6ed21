"""The access cast on every page of the staff UI (issue 4)."""

from django.urls import reverse

from members.models import BranchTransfer, Cadre


def login(client, user):
    client.force_login(user)
    return client


def names_on(response) -> set[str]:
    return {c.name for c in response.context["page"].object_list}


def test_anonymous_users_are_sent_to_the_login_page(client, cast):
    for url in ["/", "/units/", "/cadres/", f"/cadres/{cast.cadre_a.pk}/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


def test_the_township_officer_sees_cadres_of_every_grid(client, cast):
    login(client, cast.officer)
    assert names_on(client.get("/cadres/")) == {"张三丰", "李四光", "王五常"}
    for cadre in (cast.cadre_a, cast.cadre_b):
        assert client.get(f"/cadres/{cadre.pk}/").status_code == 200
        assert client.get(f"/cadres/{cadre.pk}/edit/").status_code == 200
    units = client.get("/units/").content.decode()
    assert "网格A" in units and "网格B" in units
    home = client.get("/").context["counts"]
    assert home["active"] == 3


def test_the_grid_a_worker_sees_only_grid_a(client, cast):
    login(client, cast.grid_a)
    # 王五常 belongs to branch A (grid A) although living in grid B: visible.
    assert names_on(client.get("/cadres/")) == {"张三丰", "王五常"}
    units = client.get("/units/").content.decode()
    assert "网格A" in units and "网格B" not in units
    assert client.get("/").context["counts"]["active"] == 2


def test_the_grid_b_worker_gets_404_on_grid_a_cadres_even_guessing_the_id(client, cast):
    login(client, cast.grid_b)
    for suffix in ["", "edit/", "archive/", "transfer/"]:
        url = f"/cadres/{cast.cadre_a.pk}/{suffix}"
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "改名"}).status_code == 404, url
    assert client.get("/cadres/999999/").status_code == 404
    assert client.get("/cadres/abc/").status_code == 404
    assert Cadre.objects.get(pk=cast.cadre_a.pk).name == "张三丰"


def test_the_leader_reads_everything_and_changes_nothing(client, cast):
    login(client, cast.leader)
    assert names_on(client.get("/cadres/")) == {"张三丰", "李四光", "王五常"}
    page = client.get(f"/cadres/{cast.cadre_a.pk}/").content.decode()
    assert "张三丰" in page
    assert reverse("members:cadre_edit", args=[cast.cadre_a.pk]) not in page
    assert reverse("members:cadre_archive", args=[cast.cadre_a.pk]) not in page
    assert reverse("members:cadre_create") not in client.get("/cadres/").content.decode()
    for suffix in ["edit/", "archive/", "transfer/"]:
        url = f"/cadres/{cast.cadre_a.pk}/{suffix}"
        assert client.get(url).status_code == 403
        assert (
            client.post(url, {"reason": "deceased", "on": "2026-01-01"}).status_code
            == 403
        )
    assert client.get("/cadres/new/").status_code == 403
    assert client.post("/cadres/new/", {"name": "x"}).status_code == 403
    assert Cadre.objects.active().count() == 3


def test_a_user_without_assignment_sees_nothing(client, cast):
    login(client, cast.outsider)
    assert names_on(client.get("/cadres/")) == set()
    assert client.get(f"/cadres/{cast.cadre_a.pk}/").status_code == 404
    home = client.get("/")
    assert home.context["no_scope"]
    assert "尚未分配管理范围" in home.content.decode()
    assert "测试镇" not in client.get("/units/").content.decode()


def test_a_community_worker_sees_a_resident_of_another_branch_but_cannot_edit(
    client, cast
):
    login(client, cast.community_b)
    assert names_on(client.get("/cadres/")) == {"李四光", "王五常"}
    assert client.get(f"/cadres/{cast.cross.pk}/").status_code == 200
    page = client.get(f"/cadres/{cast.cross.pk}/").content.decode()
    assert reverse("members:cadre_edit", args=[cast.cross.pk]) not in page
    assert client.get(f"/cadres/{cast.cross.pk}/edit/").status_code == 403
    assert client.post(f"/cadres/{cast.cross.pk}/edit/", {"name": "x"}).status_code == 403
    # The cadre of its own branch it may edit.
    assert client.get(f"/cadres/{cast.cadre_b.pk}/edit/").status_code == 200


def test_the_branch_secretary_edits_its_members_wherever_they_live(client, cast):
    login(client, cast.secretary)
    assert names_on(client.get("/cadres/")) == {"张三丰", "王五常"}
    assert client.get(f"/cadres/{cast.cross.pk}/edit/").status_code == 200
    assert client.get(f"/cadres/{cast.cadre_b.pk}/").status_code == 404


def test_the_403_and_404_pages_say_what_happened_in_chinese(client, cast):
    login(client, cast.leader)
    forbidden = client.get(f"/cadres/{cast.cadre_a.pk}/edit/").content.decode()
    assert "您无权进行此操作" in forbidden
    login(client, cast.grid_b)
    missing = client.get(f"/cadres/{cast.cadre_a.pk}/").content.decode()
    assert "找不到页面" in missing


def test_the_cadre_list_query_count_is_fixed(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_cadre

    login(client, cast.officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/cadres/", {"sort": "-age"})
        assert response.status_code == 200
        return len(ctx)

    queries()  # warm up: the first request stamps the session's activity
    for _ in range(7):
        make_cadre(branch=cast.tree["branch_B"])
    small = queries()  # 10 cadres in scope
    for _ in range(190):
        make_cadre(branch=cast.tree["village_branch_A"])
    large = queries()  # 200 cadres in scope, 50 a page
    assert Cadre.objects.count() == 200
    assert small == large
    page = client.get("/cadres/").context["page"]
    assert len(page.object_list) == 50


def test_search_by_pinyin_initials_id_tail_and_name(client, cast):
    login(client, cast.officer)
    assert names_on(client.get("/cadres/", {"q": "zsf"})) == {"张三丰"}
    assert names_on(client.get("/cadres/", {"q": "ZS"})) == {"张三丰"}
    tail = cast.cadre_b.id_number[-6:]
    assert names_on(client.get("/cadres/", {"q": tail})) == {"李四光"}
    assert names_on(client.get("/cadres/", {"q": "四光"})) == {"李四光"}


def test_filters_by_unit_age_and_archived(client, cast):
    from members.models import ArchiveReason
    from members.services import cadre_archive

    login(client, cast.officer)
    unit = cast.tree["grid_B"].pk
    # Grid B: 李四光 by branch and residence, 王五常 by residence.
    assert names_on(client.get("/cadres/", {"unit": unit})) == {"李四光", "王五常"}
    cadre_archive(
        cadre=cast.cadre_b,
        reason=ArchiveReason.DECEASED,
        on=cast.cadre_b.created_at.date(),
    )
    assert names_on(client.get("/cadres/")) == {"张三丰", "王五常"}
    assert names_on(client.get("/cadres/", {"status": "archived"})) == {"李四光"}
    assert names_on(client.get("/cadres/", {"age": "80"})) == {
        "张三丰",
        "王五常",
    }  # born 1945
    assert names_on(client.get("/cadres/", {"age": "90"})) == set()


def test_editing_with_a_wrong_phone_shows_the_error_on_the_field_then_saves(client, cast):
    login(client, cast.grid_a)
    url = f"/cadres/{cast.cadre_a.pk}/edit/"
    form = client.get(url).context["form"]
    data = {
        name: (value.isoformat() if hasattr(value, "isoformat") else value)
        for name, value in form.initial.items()
        if name in form.fields and value is not None and value is not False
    }
    data["residence_unit"] = cast.cadre_a.residence_unit_id
    data.update({"contacts-TOTAL_FORMS": 0, "contacts-INITIAL_FORMS": 0})
    data["phone"] = "1381234"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "不是有效的电话号码" in str(response.context["form"].errors["phone"])
    assert Cadre.objects.get(pk=cast.cadre_a.pk).phone == "13812348000"
    data["phone"] = "139 0000 1111"
    response = client.post(url, data)
    assert response.status_code == 302
    assert Cadre.objects.get(pk=cast.cadre_a.pk).phone == "13900001111"


def test_archive_and_transfer_are_confirmed_actions_through_the_services(client, cast):
    login(client, cast.officer)
    url = f"/cadres/{cast.cadre_a.pk}/transfer/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"to_branch": cast.tree["branch_B"].pk, "on": "2026-03-01"}
    )
    assert response.status_code == 302
    assert BranchTransfer.objects.filter(
        cadre=cast.cadre_a, to_branch=cast.tree["branch_B"]
    ).exists()
    url = f"/cadres/{cast.cadre_a.pk}/archive/"
    response = client.post(url, {"reason": "transferred_out", "on": "2026-04-01"})
    assert response.status_code == 200
    assert "请填写组织关系转往何处" in response.content.decode()
    response = client.post(
        url,
        {
            "reason": "transferred_out",
            "on": "2026-04-01",
            "transferred_to": "宝山区某街道",
        },
    )
    assert response.status_code == 302
    cadre = Cadre.objects.get(pk=cast.cadre_a.pk)
    assert (cadre.status, cadre.transferred_to) == ("archived", "宝山区某街道")


def test_creating_a_cadre_shows_chinese_errors_on_the_fields_then_saves(client, cast):
    from tests.factories import make_id_number

    login(client, cast.grid_a)
    form = client.get("/cadres/new/").context["form"]
    # Only branches and places the worker may use are offered.
    assert set(form.fields["branch"].queryset) == {
        cast.tree["branch_A"],
        cast.tree["village_branch_A"],
    }
    data = {
        "name": "赵六",
        "id_number": "110105194912310021",  # wrong check character
        "ethnicity": "汉族",
        "category": "tuixiu",
        "is_party_member": "on",
        "member_status": "full",
        "joined_party_on": "1970-01-01",
        "joined_party_precision": "day",
        "full_member_on": "1971-01-01",
        "full_member_precision": "day",
        "branch": cast.tree["branch_A"].pk,
        "residence_unit": cast.tree["community_A"].pk,
        "living_situation": "alone",
        "mobility": "travel",
        "contacts-TOTAL_FORMS": 1,
        "contacts-INITIAL_FORMS": 0,
        "contacts-0-relation": "女儿",
        "contacts-0-name": "赵小红",
        "contacts-0-phone": "12345",
    }
    response = client.post("/cadres/new/", data)
    assert response.status_code == 200
    assert "校验位错误" in str(response.context["form"].errors["id_number"])
    assert "不是有效的电话号码" in str(response.context["formset"].errors)
    assert not Cadre.objects.filter(name="赵六").exists()
    data["id_number"] = make_id_number()
    data["contacts-0-phone"] = "13600001111"
    response = client.post("/cadres/new/", data)
    assert response.status_code == 302
    cadre = Cadre.objects.get(name="赵六")
    assert cadre.family_contacts.get().phone == "13600001111"
    assert cadre.name_initials == "zl"


def test_the_tree_browser_counts_with_a_fixed_number_of_queries(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_cadre

    login(client, cast.officer)
    client.get("/")  # the first request stamps the session's activity
    with CaptureQueriesContext(connection) as before:
        rows = client.get("/units/").context["rows"]
    counts = {row["unit"].name: row["count"] for row in rows}
    # Residents roll up the tree; branches count their members.
    assert counts["测试镇"] == 3
    assert counts["网格B"] == 2  # 李四光 and 王五常 live there
    assert counts["社区A党支部"] == 2  # 张三丰 and 王五常 belong there
    for _ in range(20):
        make_cadre(
            branch=cast.tree["village_branch_B"], residence_unit=cast.tree["village_B"]
        )
    with CaptureQueriesContext(connection) as after:
        rows = client.get("/units/").context["rows"]
    assert {r["unit"].name: r["count"] for r in rows}["测试镇"] == 23
    assert len(before) == len(after)


def test_the_500_page_speaks_chinese_without_any_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "系统出错了" in html and "没有保存" in html
