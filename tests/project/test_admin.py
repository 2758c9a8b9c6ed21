import datetime
import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from grids.models import OrgUnit, UnitKind
from grids.services import tree_problems
from members.models import BranchTransfer, Cadre


class AdminOnTheDemoTownship(TestCase):
    """The admin as the demo administrator sees it (demo loaded once per class)."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=io.StringIO())

    def setUp(self):
        self.client.force_login(get_user_model().objects.get(username="admin"))
        self.admin_client = self.client

    def test_the_admin_index_is_in_chinese(self):
        page = self.admin_client.get(reverse("admin:index")).content.decode()
        for label in [
            "组织单位",
            "共建单位",
            "结对共建",
            "离退休干部",
            "岗位分配",
            "访问日志",
        ]:
            assert label in page

    def test_the_tree_is_shown_indented(self):
        page = self.admin_client.get(
            reverse("admin:grids_orgunit_changelist")
        ).content.decode()
        assert "金桥社区党支部" in page
        branch = OrgUnit.objects.get(name="金桥社区党支部")
        # MPTTModelAdmin indents each level by mptt_level_indent (24) pixels:
        # township 8px, grid 32px, community 56px, branch 80px.
        assert 'style="padding-left:56px"><a href="/admin/grids/orgunit/' in page
        assert (
            f'80px"><a href="/admin/grids/orgunit/{branch.pk}/change/">金桥社区党支部'
            in page
        )

    def test_the_cadre_list_masks_id_numbers_and_filters_by_unit(self):
        cadre = Cadre.objects.filter(residence_unit__name="幸福村").first()
        url = reverse("admin:members_cadre_changelist")
        grid = OrgUnit.objects.get(name="第一网格")
        page = self.admin_client.get(url, {"unit": grid.pk}).content.decode()
        assert cadre.name in page
        assert cadre.id_number not in page
        assert cadre.masked_id_number in page
        other_grid = OrgUnit.objects.get(name="第三网格")
        page = self.admin_client.get(
            url, {"unit": other_grid.pk, "q": cadre.id_number}
        ).content.decode()
        assert cadre.masked_id_number not in page

    def test_the_cadre_list_filters_by_age_band(self):
        url = reverse("admin:members_cadre_changelist")
        response = self.admin_client.get(url, {"age": "90"})
        shown = response.context["cl"].queryset
        assert shown.exists()
        assert all(c.age() >= 90 for c in shown)
        assert Cadre.objects.count() > shown.count()

    def test_the_cadre_page_shows_family_contacts_and_party_age(self):
        cadre = Cadre.objects.filter(
            family_contacts__isnull=False, full_member_on__isnull=False
        ).first()
        page = self.admin_client.get(
            reverse("admin:members_cadre_change", args=[cadre.pk])
        ).content.decode()
        contact = cadre.family_contacts.first()
        assert contact.name in page
        assert "家属联系人" in page and "党龄" in page
        assert str(cadre.party_age()) in page

    def test_no_cadre_can_be_deleted_from_the_admin(self):
        cadre = Cadre.objects.first()
        response = self.admin_client.post(
            reverse("admin:members_cadre_delete", args=[cadre.pk]), {"post": "yes"}
        )
        assert response.status_code == 403
        changelist = self.admin_client.get(reverse("admin:members_cadre_changelist"))
        action_form = changelist.context["action_form"]
        assert action_form is None  # no bulk action at all: deletion was the only one
        assert Cadre.objects.filter(pk=cadre.pk).exists()

    def test_changing_the_branch_in_the_admin_writes_a_transfer(self):
        cadre = Cadre.objects.filter(
            branch__name="金桥社区党支部", status="active"
        ).first()
        target = OrgUnit.objects.get(name="绿一社区党支部")
        url = reverse("admin:members_cadre_change", args=[cadre.pk])
        form = self.admin_client.get(url).context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v is not None}
        data.update(
            {
                "branch": target.pk,
                "residence_unit": cadre.residence_unit_id,
                "household": "",
                "family_contacts-TOTAL_FORMS": 0,
                "family_contacts-INITIAL_FORMS": 0,
                "transfers-TOTAL_FORMS": 0,
                "transfers-INITIAL_FORMS": 0,
            }
        )
        for key in (
            "birth_date",
            "joined_party_on",
            "full_member_on",
            "retirement_date",
            "archived_on",
        ):
            if data.get(key):
                data[key] = data[key].isoformat()
        for key in list(data):
            if data[key] is False:
                del data[key]
        before = BranchTransfer.objects.filter(cadre=cadre).count()
        response = self.admin_client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        cadre.refresh_from_db()
        assert cadre.branch == target
        assert BranchTransfer.objects.filter(cadre=cadre).count() == before + 1

    def test_adding_a_branch_under_a_township_in_the_admin_shows_the_message(self):
        township = OrgUnit.objects.get(name="XX镇")
        response = self.admin_client.post(
            reverse("admin:grids_orgunit_add"),
            {
                "parent": township.pk,
                "kind": UnitKind.BRANCH,
                "name": "错误支部",
                "is_active": "on",
            },
        )
        assert response.status_code == 200
        assert "党支部不能设在镇「XX镇」之下" in response.content.decode()
        assert not OrgUnit.objects.filter(name="错误支部").exists()

    def test_moving_a_unit_in_the_admin_goes_through_the_tree_service(self):
        grid = OrgUnit.objects.get(name="第三网格")
        village = OrgUnit.objects.get(name="华庄村")
        response = self.admin_client.post(
            reverse("admin:grids_orgunit_change", args=[village.pk]),
            {
                "parent": OrgUnit.objects.get(name="第一网格").pk,
                "kind": "village",
                "name": "华庄村",
                "is_active": "on",
            },
        )
        assert response.status_code == 302
        assert tree_problems() == []
        assert not grid.get_descendants().filter(pk=village.pk).exists()

    def test_closing_a_unit_with_cadres_in_the_admin_shows_the_message(self):
        village = OrgUnit.objects.get(name="华庄村")
        response = self.admin_client.post(
            reverse("admin:grids_orgunit_change", args=[village.pk]),
            {"parent": village.parent_id, "kind": "village", "name": "华庄村"},
        )
        assert response.status_code == 200
        assert "名在册老干部" in response.content.decode()
        assert OrgUnit.objects.get(pk=village.pk).is_active

    def test_the_new_models_have_chinese_admin_pages(self):
        from activities.models import Activity, Campaign, Honour
        from services.models import CareVisit, HealthCheck, Hospitalization

        pages = {
            "admin:activities_activity_changelist": "活动",
            "admin:activities_campaign_changelist": "专项工作",
            "admin:activities_honour_changelist": "光荣在党50年纪念章",
            "admin:services_carevisit_changelist": "走访服务",
            "admin:services_hospitalization_changelist": "住院记录",
            "admin:services_healthcheck_changelist": "健康体检",
        }
        for name, label in pages.items():
            response = self.admin_client.get(reverse(name))
            assert response.status_code == 200, name
            assert label in response.content.decode(), name
        for model, labels in [
            (Activity, ["出勤", "主持人", "会议记录"]),
            (Campaign, ["工作岗位"]),
            (Honour, ["颁发单位"]),
            (CareVisit, ["服务类型", "走访对象", "走访结果"]),
            (Hospitalization, ["入院日期"]),
            (HealthCheck, ["收缩压", "空腹血糖"]),
        ]:
            obj = model.objects.first()
            opts = model._meta
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]
            )
            page = self.admin_client.get(url).content.decode()
            for label in labels:
                assert label in page, (model, label)

    def test_a_visit_without_kinds_or_cadres_is_refused_in_the_admin(self):
        from services.models import CareVisit

        before = CareVisit.objects.count()
        response = self.admin_client.post(
            reverse("admin:services_carevisit_add"),
            {
                "visited_on": "2026-05-01",
                "outcome": "met",
                "kinds-TOTAL_FORMS": 0,
                "kinds-INITIAL_FORMS": 0,
                "kinds-MIN_NUM_FORMS": 1,
                "visited-TOTAL_FORMS": 0,
                "visited-INITIAL_FORMS": 0,
                "visited-MIN_NUM_FORMS": 1,
            },
        )
        assert response.status_code == 200
        assert (
            "请提交至少 1 个表单" in response.content.decode()
            or "至少" in response.content.decode()
        )
        assert CareVisit.objects.count() == before

    def test_a_visit_added_in_the_admin_links_its_cadre_with_date_and_outcome(self):
        from services.models import CareVisit, VisitedCadre

        cadre = Cadre.objects.active().first()
        response = self.admin_client.post(
            reverse("admin:services_carevisit_add"),
            {
                "visited_on": "2026-05-01",
                "outcome": "not_at_home",
                "kinds-TOTAL_FORMS": 1,
                "kinds-INITIAL_FORMS": 0,
                "kinds-0-kind": "phone_call",
                "visited-TOTAL_FORMS": 1,
                "visited-INITIAL_FORMS": 0,
                "visited-0-cadre": cadre.pk,
            },
        )
        assert response.status_code == 302
        visit = CareVisit.objects.latest("pk")
        link = VisitedCadre.objects.get(visit=visit)
        assert (link.cadre, link.visited_on, link.met) == (
            cadre,
            datetime.date(2026, 5, 1),
            False,
        )


def test_the_admin_import_buttons_lead_to_the_import_pages(client, cast):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", password="x-Pass-2026")
    client.force_login(root)
    for path, kind in (
        ("/admin/members/cadre/", "roster"),
        ("/admin/grids/orgunit/", "tree"),
        ("/admin/grids/partnerunit/", "partners"),
    ):
        assert (
            f"href='{path}import/' class=\"import_link\""
            in client.get(path).content.decode()
        )
        response = client.get(f"{path}import/")
        assert (response.status_code, response["Location"]) == (
            302,
            f"/imports/?kind={kind}",
        )
    # A grid worker on the admin (staff, without the import right) gets no button.
    client.force_login(cast.grid_a)
    assert client.get("/admin/members/cadre/import/").status_code in (302, 403)


def test_a_township_enters_its_local_rule_in_the_admin_and_the_result_changes(
    client, cast
):
    """ "5+7" and the like: a kind and its rule added in the admin, no code."""
    from activities.models import MeetingKind
    from activities.periods import parse_period
    from activities.selectors.partylife import branches_in, compliance

    admin = get_user_model().objects.create_superuser("root", "", "Test-pass-2026")
    client.force_login(admin)
    response = client.post(reverse("admin:activities_meetingkind_add"), {
        "code": "village_film", "name": "乡村电影放映", "expected": "branch",
        "study_hours": "on", "sort_order": "200", "is_active": "on",
        "rules-TOTAL_FORMS": "1", "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0", "rules-MAX_NUM_FORMS": "1000",
        "rules-0-at_least": "1", "rules-0-per": "month", "rules-0-applies_to": "village",
        "rules-0-is_active": "on", "rules-0-note": "本镇5+7模式",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert MeetingKind.objects.get(code="village_film").rules.count() == 1
    township = OrgUnit.objects.get(pk=cast.tree["township"].pk)
    results = {
        r.name: r
        for r in compliance(
            branches_in(township), parse_period("2026-08"), datetime.date(2026, 12, 2)
        )  # fmt: skip
    }
    assert ("乡村电影放映", "2026-08") in results["村A党支部"].missing
    assert ("乡村电影放映", "2026-08") not in results["社区A党支部"].missing
    page = client.get(reverse("admin:activities_meetingkind_changelist")).content.decode()
    assert "乡村电影放映" in page and "主题党日" in page
