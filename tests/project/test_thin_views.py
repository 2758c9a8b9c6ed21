"""Views and forms write only through services (issue 15).

During a request to each writing view, every write to a model of ours
(`Model.save`, `QuerySet.update` / `create` / `bulk_create` / `delete`) is caught and
the call stack inspected: a frame of a services module (`<app>.services`,
`<app>.<package>.services`, or the audit service `grids.audit`) must stand between
the view and the write. A view, a form or a selector writing on its own fails."""

import datetime
import inspect
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from activities.models import Honour, HonourKind
from grids.models import StaffRole
from members.imports.models import ImportJob
from services.models import Reminder
from services.services import hospitalization_record, visit_log
from tests.factories import UserFactory, assign
from tests.members.roster_files import id_number, write_roster

OUR_APPS = {"grids", "members", "activities", "services", "portal", "gridparty"}
AUDIT_SERVICE = "grids.audit"


def is_service_module(name: str) -> bool:
    parts = name.split(".")
    return name == AUDIT_SERVICE or (parts[0] in OUR_APPS and "services" in parts[1:])


class WriteWatch:
    def __init__(self):
        self.writes: list[tuple[str, str, bool, str]] = []

    def record(self, model, how: str) -> None:
        if model._meta.app_label not in OUR_APPS:
            return  # sessions, users' last login, axes: Django's and libraries' own
        modules = [
            f.frame.f_globals.get("__name__", "") for f in inspect.stack(context=0)[2:]
        ]
        ours = [m for m in modules if m.split(".")[0] in OUR_APPS]
        through_service = any(is_service_module(m) for m in ours)
        self.writes.append(
            (model.__name__, how, through_service, ours[0] if ours else "")
        )


@pytest.fixture
def watch(monkeypatch):
    watch = WriteWatch()

    def wrap(owner, name, model_of):
        original = getattr(owner, name)

        def watched(self, *args, **kwargs):
            watch.record(model_of(self), name)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(owner, name, watched)

    wrap(Model, "save", lambda obj: type(obj))
    for name in ("update", "create", "bulk_create", "delete", "bulk_update"):
        wrap(QuerySet, name, lambda qs: qs.model)
    return watch


@pytest.fixture
def world(cast):
    jinqiao = UserFactory(username="jinqiao")
    assign(jinqiao, cast.tree["community_A"], StaffRole.COMMUNITY_WORKER)
    visit = visit_log(cadres=[cast.cadre_a], kinds=["home_visit"], by=jinqiao,
                      client_key=uuid.uuid4(), follow_up="送药")  # fmt: skip
    stay = hospitalization_record(cadre=cast.cadre_a, hospital="瑞金医院",
                                  admitted_on=timezone.localdate(), by=jinqiao)  # fmt: skip
    honour = Honour.objects.create(cadre=cast.cadre_a, kind=HonourKind.PARTY_50_YEARS,
                                   year=2026)  # fmt: skip
    reminder = Reminder.objects.create(
        rule="birthday", subject_type="cadre", subject_id=cast.cadre_a.pk,
        due_on=timezone.localdate(), recipient=cast.officer, text="生日",
        sent_at=timezone.now(),
    )  # fmt: skip
    from activities.services import meeting_record

    meeting = meeting_record(branch=cast.tree["branch_A"], kind="themed_party_day",
                             starts_at=timezone.now(), topic="主题党日")  # fmt: skip
    from activities.models import PointsItem, PointsScheme
    from activities.services import award_propose

    scheme = PointsScheme.objects.create(unit=cast.tree["township"],
                                         year=timezone.localdate().year)  # fmt: skip
    deed = PointsItem.objects.create(
        scheme=scheme, name="好人好事", source="manual", points=5
    )
    award = award_propose(cadre=cast.cadre_a, year=scheme.year, item=deed, reason="表扬",
                          by=cast.secretary)  # fmt: skip
    from activities.services.campaigns import campaign_serve, campaign_start

    campaign = campaign_start(by=cast.officer, name="吴淞江", unit=cast.tree["township"],
                              start_on=timezone.localdate())  # fmt: skip
    survey = campaign.roles.get(kind="survey")
    service = campaign_serve(by=cast.officer, role=survey, cadre=cast.cadre_b)
    from services.services.patrols import patrol_log
    from services.services.requests import request_create

    campaign_serve(
        by=cast.officer, role=campaign.roles.get(kind="patrol"), cadre=cast.cadre_a
    )
    patrol = patrol_log(by=cast.officer, campaign=campaign, patrolled_at=timezone.now(),
                        place="北岸", members=[cast.cadre_a], finding_kind="garbage",
                        notes="垃圾")  # fmt: skip
    from activities.models import MeetingKind, SignUp
    from activities.services.menu import menu_offer

    def on_menu(topic, starts_at):
        return menu_offer(by=cast.officer, unit=cast.tree["grid_A"], topic=topic,
                          kind=MeetingKind.objects.get(code="other"), starts_at=starts_at,
                          suits="nearby")  # fmt: skip

    offered = on_menu("观影", timezone.now() + datetime.timedelta(days=1))
    held = on_menu("讲座", timezone.now() - datetime.timedelta(hours=1))
    SignUp.objects.create(activity=held, cadre=cast.cadre_a)
    from activities.models import DuesAccount
    from activities.services.dues import dues_year_open
    from members.models import Cadre

    Cadre.objects.filter(pk=cast.cadre_b.pk).update(monthly_pension=6000)
    dues_year_open(unit=cast.tree["township"], year=timezone.localdate().year)
    dues = DuesAccount.objects.get(cadre=cast.cadre_b)
    from members.services import relation_transfer_out
    from tests.factories import make_cadre

    gone = make_cadre(branch=cast.tree["branch_B"], name="将转出")
    relation = relation_transfer_out(by=cast.officer, cadre=gone, to="外区",
                                     on=timezone.localdate())  # fmt: skip
    return {"offered": offered, "held": held, "dues": dues, "relation": relation,
            "jinqiao": jinqiao, "visit": visit, "stay": stay, "honour": honour,
            "reminder": reminder, "meeting": meeting, "deed": deed, "award": award,
            "campaign": campaign, "survey": survey, "service": service,
            "patrol": patrol, "request": request_create(
                by=cast.officer, unit=None, cadre=cast.cadre_a, kind="ride", need="复查")}  # fmt: skip


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "PNG")
    return SimpleUploadedFile("p.png", buffer.getvalue(), "image/png")


def dossier(cadre, **changes) -> dict:
    data = {
        "name": cadre.name, "id_number": cadre.id_number, "ethnicity": "汉族",
        "category": cadre.category, "is_party_member": "on",
        "joined_party_on": "1970-03-01", "joined_party_precision": "day",
        "full_member_on": "1971-03-01", "full_member_precision": "day",
        "member_status": "full", "residence_unit": cadre.residence_unit_id,
        "living_situation": "with_family", "mobility": "travel",
        "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0",
    }  # fmt: skip
    data.update(changes)
    return data


def writing_requests(cast, world, tmp_path):
    """(user, url, data, expected status) of a request to each writing view."""
    today = timezone.localdate().isoformat()
    a, tree = cast.cadre_a, cast.tree
    roster = write_roster(tmp_path / "r.xlsx", ["姓名", "身份证号", "所属支部"],
                          [["导入", id_number(), "社区A党支部"]])  # fmt: skip
    new = dossier(a, name="新来", id_number=id_number(), branch=tree["branch_A"].pk)
    return [
        (cast.officer, reverse("members:cadre_create"), new, 302),
        (cast.officer, reverse("members:cadre_edit", args=[a.pk]),
         dossier(a, address="新地址"), 302),
        (cast.officer, reverse("members:cadre_reveal", args=[a.pk]), {"field": "phone"}, 200),
        (cast.officer, reverse("members:cadre_talents", args=[a.pk]),
         {f"skill-{_skill('书法')}": "on", f"willing-{_skill('书法')}": "on"}, 302),
        (cast.officer, reverse("members:cadre_transfer", args=[a.pk]),
         {"to_branch": tree["village_branch_A"].pk, "on": today}, 302),
        (cast.officer, reverse("members:cadre_archive", args=[cast.cross.pk]),
         {"reason": "deceased", "on": today}, 302),
        (cast.officer, reverse("imports:home"),
         {"kind": "roster", "mode": "create",
          "file": SimpleUploadedFile("r.xlsx", roster.read_bytes())}, 302),
        (world["jinqiao"], reverse("visits:new", args=[a.pk]),
         {"client_key": str(uuid.uuid4()), "kinds": ["home_visit"], "cadres": [str(a.pk)],
          "visited_on": today, "outcome": "met", "photo": png()}, 302),
        (world["jinqiao"], reverse("visits:edit", args=[world["visit"].pk]),
         {"kinds": ["home_visit", "medicine"], "visited_on": today, "outcome": "met", "follow_up": "送药",
          "notes": "补记"}, 302),
        (world["jinqiao"], reverse("visits:follow_up_done", args=[world["visit"].pk]), {}, 302),
        (world["jinqiao"], reverse("visits:discharge", args=[world["stay"].pk]),
         {"discharged_on": today}, 302),
        (world["jinqiao"], reverse("visits:admit", args=[a.pk]),
         {"admitted_on": today, "hospital": "华山医院"}, 302),
        (cast.officer, reverse("visits:tier", args=[a.pk]),
         {"tier": "high", "reason": "术后"}, 302),
        (cast.officer, reverse("health:record", args=[a.pk]),
         {"checked_on": today, "systolic": "130", "diastolic": "80"}, 302),
        (cast.officer, reverse("honours:status", args=[world["honour"].pk]),
         {"status": "recommended"}, 302),
        (cast.officer, reverse("inbox_read"), {"reminder": [str(world["reminder"].pk)]}, 302),
        (cast.officer, reverse("inbox_email"), {"email": ["birthday"]}, 302),
        (cast.grid_a, reverse("account"),
         {"first_name": "陆晓东", "email": "lu@example.cn", "phone": "021-5555 1234"}, 302),
        (cast.officer, reverse("staff_new"),
         {"username": "newworker", "first_name": "新同事", "role": "grid_worker",
          "unit": tree["grid_B"].pk}, 200),
        (cast.officer, reverse("staff_detail", args=[cast.grid_b.pk]),
         {"role": "community_worker", "unit": tree["community_B"].pk}, 302),
        (cast.officer, reverse("staff_role_remove",
                               args=[cast.grid_b.pk, cast.grid_b.assignments.get().pk]), {}, 302),
        (cast.officer, reverse("staff_reset", args=[cast.grid_a.pk]), {}, 200),
        (cast.officer, reverse("portal_staff:sheet", args=[a.pk]), {}, 200),
        (cast.officer, reverse("portal:signin"), {"phone": "13812348000"}, 302),
        (cast.secretary, reverse("meetings:upcoming"),
         {"branch": tree["branch_A"].pk, "kind": _kind("themed_party_day"),
          "day": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
          "time": "09:00", "topic": "预告"}, 302),
        (cast.officer, reverse("portal_staff:notices"),
         {"unit": tree["grid_A"].pk, "kind": "notice", "title": "通知", "body": "正文"}, 302),
        (cast.secretary, reverse("meetings:new"),
         {"branch": tree["branch_A"].pk, "kind": _kind("themed_party_day"), "day": today,
          "topic": "主题党日", "token": str(uuid.uuid4()), "action": "submit",
          f"a{a.pk}": "on_leave", f"n{a.pk}": "外出"}, 302),
        (cast.officer, reverse("meetings:detail", args=[world["meeting"].pk]),
         {f"a{a.pk}": "present", "action": "submit"}, 302),
        (cast.officer, reverse("points:ledger", args=[cast.cadre_b.pk, world["deed"].scheme.year]),
         {"item": world["deed"].pk, "reason": "帮助邻居"}, 302),
        (cast.officer, reverse("points:decide", args=[world["award"].pk]), {"approve": "1"}, 302),
        (cast.officer, reverse("reviews:branch", args=[tree["branch_A"].pk, 2026]),
         {"action": "start"}, 302),
        (cast.officer, reverse("campaigns:list"),
         {"name": "河道保洁", "unit": tree["township"].pk, "start_on": today}, 302),
        (cast.officer, reverse("campaigns:role_new", args=[world["campaign"].pk]),
         {"name": "电话回访", "kind": "other", "needs": "home"}, 302),
        (cast.officer, reverse("campaigns:serve", args=[world["campaign"].pk]),
         {"role": world["survey"].pk, "name": "张三丰"}, 302),
        (cast.officer, reverse("campaigns:entry_new", args=[world["campaign"].pk]),
         {"service": world["service"].pk, "on": today, "hours": "2", "done": "走访"}, 302),
        (cast.officer, reverse("patrols:new", args=[world["campaign"].pk]),
         {"client_key": str(uuid.uuid4()), "day": today, "time": "00:01", "place": "南岸",
          "members": [str(a.pk)], "finding_kind": "none"}, 302),
        (cast.officer, reverse("patrols:finding", args=[world["patrol"].pk]),
         {"close": "on", "resolution": "已清运"}, 302),
        (cast.officer, reverse("requests:list"),
         {"unit": tree["community_A"].pk, "kind": "lecture", "need": "健康讲座"}, 302),
        (cast.officer, reverse("requests:step", args=[world["request"].pk]),
         {"status": "assigned", "user": str(cast.grid_a.pk)}, 302),
        *_dues_requests(cast, world),
        (cast.officer, reverse("care_funds"),
         {"cadre": cast.cadre_b.pk, "kind": "hardship", "amount": "300", "given_on": today,
          "handed_by": "组织委员"}, 302),
        (cast.officer, reverse("election_record", args=[tree["branch_B"].pk]),
         {"elected_on": today, f"post_{cast.cadre_b.pk}": "secretary"}, 302),
        (cast.officer, reverse("visits:lost_contact"), {"cadre": cast.cadre_b.pk, "action": "set"},
         302),
        (cast.officer, reverse("members:relations"),
         {"name": "转入者", "id_number": id_number(), "category": "tuixiu", "member_status": "full",
          "branch": tree["branch_B"].pk, "origin": "外区", "on": today}, 302),
        (cast.officer, reverse("members:relation_out", args=[cast.cadre_b.pk]),
         {"to": "外区", "on": today, "valid_days": "30"}, 302),
        (cast.officer, reverse("members:relations"),
         {"action": "receipt", "transfer": str(world["relation"].pk)}, 302),
        (cast.secretary, reverse("menu:page"),
         {"unit": tree["branch_A"].pk, "kind": _kind("other"), "topic": "剪纸", "day": today,
          "time": "23:59", "suits": "home"}, 302),
        (cast.officer, reverse("menu:signup", args=[world["offered"].pk]),
         {"cadre": a.pk}, 302),
        (cast.officer, reverse("menu:cancel", args=[world["offered"].pk]),
         {"cadre": a.pk}, 302),
        (cast.officer, reverse("menu:activity", args=[world["held"].pk]),
         {"came": [str(a.pk)]}, 302),
    ]  # fmt: skip


def _dues_requests(cast, world):
    today = timezone.localdate()
    account, branch = world["dues"], cast.tree["branch_B"]
    post = {"branch": branch.pk, "year": today.year, "month": today.month}
    other = 1 if today.month != 1 else 2
    return [
        (cast.officer, reverse("dues:ledger"), {"action": "paid", "account": account.pk, **post},
         302),
        (cast.officer, reverse("dues:ledger"), {**post, "action": "open", "year": today.year + 1},
         302),
        (cast.officer, reverse("dues:ledger"), {**post, "action": "collection",
                                                 "collection": "quarterly",
                                                 "approved_on": today.isoformat()}, 302),
        (cast.officer, reverse("dues:account", args=[account.pk]),
         {"action": "pay", "months": [other], "paid_on": today.isoformat(), "paid_by": "cash",
          "note": "补交"}, 302),
        (cast.officer, reverse("dues:account", args=[account.pk]),
         {"action": "change", "kind": "adjustment", "from_month": today.month,
          "monthly_due": "40", "reason": "调整"}, 302),
        (cast.officer, reverse("dues:account", args=[account.pk]),
         {"action": "reason", "arrears_reason": "住院"}, 302),
    ]  # fmt: skip


def _skill(name: str) -> int:
    from members.models import Skill

    return Skill.objects.get(name=name).pk


def _kind(code: str) -> int:
    from activities.models import MeetingKind

    return MeetingKind.objects.get(code=code).pk


def test_every_writing_view_writes_through_services(client, cast, world, tmp_path, watch):
    for user, url, data, status in writing_requests(cast, world, tmp_path):
        client.force_login(user)
        watch.writes.clear()
        response = client.post(url, data)
        assert response.status_code == status, (url, getattr(response, "context", None)
                                                and response.context.get("form")
                                                and response.context["form"].errors,
                                                [str(m) for m in response.context.get("messages", [])]
                                                if getattr(response, "context", None) else "")  # fmt: skip
        assert watch.writes, f"{url} wrote nothing: the test does not reach its write"
        around = [w for w in watch.writes if not w[2]]
        assert around == [], f"{url} writes around the services: {around}"
    # The import waits for confirmation: confirming writes through services too.
    client.force_login(cast.officer)
    job = ImportJob.objects.get()
    watch.writes.clear()
    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 302
    assert watch.writes and all(w[2] for w in watch.writes), watch.writes
    # A file with two address columns waits for a choice: the choice goes through
    # services too.
    two = write_roster(tmp_path / "two.xlsx", ["姓名", "身份证号", "所属支部", "家庭住址", "现住址"],
                       [["选列", id_number(), "社区A党支部", "甲", "乙"]])  # fmt: skip
    client.post(reverse("imports:home"), {"kind": "roster", "mode": "create",
                "file": SimpleUploadedFile("two.xlsx", two.read_bytes())})  # fmt: skip
    job = ImportJob.objects.get(status="choosing")
    watch.writes.clear()
    choose = reverse("imports:choose", args=[job.pk])
    assert client.post(choose, {"column-address": "现住址"}).status_code == 302
    assert watch.writes and all(w[2] for w in watch.writes), watch.writes


def test_the_watch_catches_a_view_that_writes_on_its_own(rf, cast, watch):
    """The test above can fail: a write made in a view module is reported."""
    from services.views import reminders as reminder_views

    exec(  # a view module's own write, as a view would make it
        "from services.models import Reminder\n"
        "Reminder.objects.filter(pk=-1).update(read_at=None)",
        vars(reminder_views).copy(),
    )
    assert watch.writes == [("Reminder", "update", False, "services.views.reminders")]


def test_service_modules_are_recognized():
    assert is_service_module("members.services")
    assert is_service_module("services.services")
    assert is_service_module("members.imports.services")
    assert is_service_module("grids.audit")
    assert not is_service_module("services.views")
    assert not is_service_module("services.views.reminders")
    assert not is_service_module("members.forms")
    assert datetime  # the module's own imports stay used
