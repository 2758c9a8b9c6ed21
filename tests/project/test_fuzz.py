"""No server error on any input (issue 14).

Every URL pattern the resolver knows is fuzzed: its path arguments (real ids, absent
ids, huge numbers), and the fields of the forms its page renders plus the query
parameters the pages read, sent by GET and POST as each member of the access cast,
with boundary and hostile values (dates at 0001 and 9999, NUL, lone surrogates sent
as raw bytes, fields over the upload limit, huge and odd numerals, formula prefixes,
HTML, non-images as photos). Any 5xx (or an exception out of a view) fails, and so
does a URL pattern the table below does not cover. Workbooks that come back are
opened and must hold no formula from user text.

Hypothesis draws the requests; FUZZ_EXAMPLES (default 25) sets the examples per
pattern, which keeps a run within a few minutes for CI (the suite runs twice there).
The admin (Django's own pages over our models) gets a fixed hostile pass instead.
"""

import datetime
import io
import os
import re
import uuid

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import (
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activities.models import Honour, HonourKind
from grids.models import Pairing, PartnerKind, PartnerUnit, StaffRole
from members.imports.models import ImportJob, ImportStatus
from services.models import Reminder
from services.services import health_check_record, hospitalization_record, visit_log
from tests.factories import UserFactory, assign
from tests.project.test_workbooks import formula_cells

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
ROLES = ("officer", "grid_a", "jinqiao", "secretary", "leader", "outsider", "anonymous")

# ---- hostile values -----------------------------------------------------------------

DATES = ["0001-01-01", "9999-12-31", "0000-00-00", "2026-02-30", "1899-12-31",
         "1949-10-01", "2099-01-01", "10000-01-01", "-1", "2026-13-01"]  # fmt: skip
NUMERALS = ["1e400", "NaN", "-inf", "inf", "-0", "9" * 400, "²", "٣", "１２", "0x10",
            "1_000", "-1", "0", str(2**63), str(-(2**63) - 1), "3.5", " 7 "]  # fmt: skip
TEXTS = ["\x00", "a\x00b", "=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1",
         "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "x" * 300,
         "𠮷" * 50, "\u202eabc", "", " ", "' OR 1=1 --", "../../etc/passwd",
         "%00", "null", "undefined", "[]", "{}", "true"]  # fmt: skip
UUIDS = ["00000000-0000-0000-0000-000000000000", "not-a-uuid"]
HOSTILE = DATES + NUMERALS + TEXTS + UUIDS
# Raw bytes a browser might send (a lone surrogate, invalid UTF-8, a bare %).
RAW = ["%ED%A0%80", "%FF%FE", "%C0%AF", "%", "%E4%B8", "%00"]
FILES = [
    b"%PDF-1.4 not an image",
    b"",
    b"PK\x03\x04" + b"\x00" * 64,
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,  # a PNG signature and nothing else
    "张三,110105194912310029\n".encode("gbk"),
]
BIG = "9" * (10 * 1024 * 1024)  # 10 MB: over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)

# Query parameters the pages read besides their forms' fields.
PARAMS = ["q", "page", "format", "year", "period", "number", "start", "end", "unit",
          "cut", "rule", "corrected", "kind", "mode", "next", "status", "field",
          "reminder", "all", "email", "username", "password", "language", "expired",
          "client_key", "cadres", "kinds", "visited_on", "sort", "age", "care", "party",
          "living", "category", "user", "cadre", "date_from", "date_to"]  # fmt: skip


# ---- the world the requests act in ---------------------------------------------------


@pytest.fixture
def world(cast):
    jinqiao = UserFactory(username="jinqiao")
    assign(jinqiao, cast.tree["community_A"], StaffRole.COMMUNITY_WORKER)
    cast.jinqiao = jinqiao
    partner = PartnerUnit.objects.create(name="镇卫生院", kind=PartnerKind.INSTITUTIONAL)
    Pairing.objects.create(partner=partner, unit=cast.tree["community_A"],
                           start_on=datetime.date(2025, 1, 1))  # fmt: skip
    visit = visit_log(cadres=[cast.cadre_a], kinds=["home_visit"], by=jinqiao,
                      client_key=uuid.uuid4(), follow_up="送药",
                      follow_up_due=timezone.localdate(), partner=partner)  # fmt: skip
    stay = hospitalization_record(cadre=cast.cadre_a, hospital="瑞金医院",
                                  admitted_on=timezone.localdate(), by=jinqiao)  # fmt: skip
    health_check_record(cadre=cast.cadre_a, checked_on=timezone.localdate(), systolic=130,
                        diastolic=80, by=cast.officer)  # fmt: skip
    honour = Honour.objects.create(cadre=cast.cadre_a, kind=HonourKind.PARTY_50_YEARS,
                                   year=2026)  # fmt: skip
    reminder = Reminder.objects.create(
        rule="birthday", subject_type="cadre", subject_id=cast.cadre_a.pk,
        due_on=timezone.localdate(), recipient=cast.officer, text="生日",
        sent_at=timezone.now(),
    )  # fmt: skip
    job = ImportJob.objects.create(kind="roster", user=cast.officer, file_name="r.xlsx",
                                   file_size=1, status=ImportStatus.PREVIEWED)  # fmt: skip
    from services.photos import store_photo

    png = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (8, 8)).save(png, "PNG")
    photo = store_photo(visit=visit, upload=SimpleUploadedFile("p.png", png.getvalue()))
    from activities.services import meeting_record

    meeting = meeting_record(branch=cast.tree["branch_A"], kind="themed_party_day",
                             starts_at=timezone.now(), topic="主题党日")  # fmt: skip
    from activities.services.campaigns import campaign_start

    campaign = campaign_start(by=cast.officer, name="吴淞江", unit=cast.tree["township"],
                              start_on=timezone.localdate())  # fmt: skip
    from activities.services.campaigns import campaign_serve
    from services.services.patrols import patrol_log
    from services.services.requests import request_create

    campaign_serve(
        by=cast.officer, role=campaign.roles.get(kind="patrol"), cadre=cast.cadre_a
    )
    patrol = patrol_log(by=cast.officer, campaign=campaign, patrolled_at=timezone.now(),
                        place="北岸", members=[cast.cadre_a], finding_kind="garbage",
                        notes="垃圾")  # fmt: skip
    from activities.models import MeetingKind
    from activities.services.menu import menu_offer

    offered = menu_offer(by=cast.officer, unit=cast.tree["branch_A"],
                         kind=MeetingKind.objects.get(code="other"), topic="观影",
                         starts_at=timezone.now() + datetime.timedelta(days=1),
                         suits="nearby", capacity=5)  # fmt: skip
    from activities.services.dues import dues_year_open

    dues_year_open(unit=cast.tree["township"], year=timezone.localdate().year)
    from activities.models import DuesAccount

    return {
        "offered": offered, "dues": DuesAccount.objects.order_by("pk").first(),
        "cast": cast, "visit": visit, "stay": stay, "honour": honour, "photo": photo,
        "reminder": reminder, "job": job, "partner": partner, "meeting": meeting,
        "campaign": campaign, "patrol": patrol, "request": request_create(
            by=cast.officer, unit=None, cadre=cast.cadre_a, kind="ride", need="复查"),
    }  # fmt: skip


def _ids(*real):
    return [*real, 0, 10**20]


# Each URL pattern → its path arguments (a list of kwargs to draw from). A pattern
# missing here fails the coverage test: new pages join the fuzz.
def _args(world) -> dict[str, list[dict]]:
    cast, tree = world["cast"], world["cast"].tree
    cadres = _ids(cast.cadre_a.pk, cast.cadre_b.pk)
    none = [{}]
    return {
        "home": none, "units": none,
        "members:cadre_list": none, "members:cadre_create": none,
        "members:cadre_export": none, "members:roster_template": none,
        "members:cadre_detail": [{"pk": p} for p in cadres],
        "members:cadre_edit": [{"pk": p} for p in cadres],
        "members:cadre_archive": [{"pk": p} for p in cadres],
        "members:cadre_transfer": [{"pk": p} for p in cadres],
        "members:cadre_reveal": [{"pk": p} for p in cadres],
        "members:talent_pool": none, "members:relations": none,
        "members:relation_out": [{"pk": p} for p in cadres],
        "members:relation_letter": [{"pk": p} for p in _ids()],
        "members:cadre_talents": [{"pk": p} for p in cadres],
        "imports:home": none,
        "imports:template": [{"kind": k} for k in ("roster", "tree", "partners", "meetings",
                                                   "x" * 80)],
        "imports:demo_roster": none,
        **{f"imports:{name}": [{"pk": world["job"].pk}, {"pk": uuid.uuid4()}]
           for name in ("detail", "progress", "confirm", "cancel", "choose", "error_file")},
        "visits:mine": none, "visits:lost_contact": none, "care_funds": none,
        "visits:new": [{"cadre_pk": p} for p in cadres],
        "visits:edit": [{"pk": p} for p in _ids(world["visit"].pk)],
        "visits:follow_up_done": [{"pk": p} for p in _ids(world["visit"].pk)],
        "visits:photo": [{"pk": p} for p in _ids(world["photo"].pk)],
        "visits:admit": [{"cadre_pk": p} for p in cadres],
        "visits:discharge": [{"pk": p} for p in _ids(world["stay"].pk)],
        "visits:tier": [{"cadre_pk": p} for p in cadres],
        "visits:birthdays": [
            {"unit_pk": u, "year": y, "month": m}
            for u in _ids(tree["community_A"].pk) for y in (2026, 0, 10**12)
            for m in (5, 0, 13)
        ],
        "honours:list": [{"year": y} for y in (2026, 0, 10**12)],
        "honours:status": [{"pk": p} for p in _ids(world["honour"].pk)],
        "meetings:list": none, "meetings:new": none,
        "campaigns:list": none,
        **{f"campaigns:{name}": [{"pk": p} for p in _ids(world["campaign"].pk)]
           for name in ("detail", "role_new", "serve", "entry_new")},
        **{f"patrols:{name}": [{"campaign_pk": p} for p in _ids(world["campaign"].pk)]
           for name in ("list", "new")},
        "patrols:finding": [{"pk": p} for p in _ids(world["patrol"].pk)],
        "patrols:photo": [{"pk": p} for p in _ids()],
        "requests:list": none,
        "menu:page": none,
        "dues:ledger": none, "dues:summary": none,
        "dues:account": [{"pk": p} for p in _ids(world["dues"].pk)],
        "dues:receipt": [{"receipt": r} for r in ("DF2026-0000001", "x" * 60, "收据")],
        "menu:cadre": [{"pk": p} for p in cadres],
        **{f"menu:{name}": [{"pk": p} for p in _ids(world["offered"].pk)]
           for name in ("activity", "signup", "cancel")},
        **{f"requests:{name}": [{"pk": p} for p in _ids(world["request"].pk)]
           for name in ("detail", "step")},
        "meetings:detail": [{"pk": p} for p in _ids(world["meeting"].pk)],
        "meetings:file": [{"pk": p} for p in _ids()],
        "compliance": none, "participation": none, "elections": none,
        "election_record": [{"branch_pk": p} for p in _ids(tree["branch_A"].pk, tree["grid_A"].pk)],
        "points:ranking": none, "reviews:progress": none, "political_birthdays": none,
        "honour_certificates": [{"year": y} for y in (2026, 0, 10**12)],
        "honour_invitations": [{"year": y} for y in (2026, 0, 10**12)],
        "handbook": [{"cadre_pk": p, "year": y} for p in cadres for y in (2026, 0, 10**12)],
        "reviews:branch": [{"branch_pk": b, "year": y}
                           for b in _ids(tree["branch_A"].pk) for y in (2026, 0, 10**12)],
        "points:ledger": [{"cadre_pk": p, "year": y} for p in cadres for y in (2026, 0, 10**12)],
        "points:decide": [{"pk": p} for p in _ids()],
        "coverage": none, "health:due": none,
        "health:record": [{"cadre_pk": p} for p in cadres],
        "partners:list": none,
        "partners:detail": [{"pk": p} for p in _ids(world["partner"].pk)],
        "inbox": none, "inbox_read": none, "inbox_email": none, "access_log": none,
        "login": none, "locked_accounts": none, "unlock_account": none, "logout": none,
        "password_change": none, "password_change_done": none, "set_language": none,
        "account": none, "staff_list": none, "staff_new": none, "upward_report": none,
        "favicon": none, "healthz_live": none, "healthz_ready": none,
        "staff_detail": [{"pk": p} for p in _ids(cast.grid_a.pk)],
        "staff_active": [{"pk": p} for p in _ids(cast.grid_a.pk)],
        "staff_reset": [{"pk": p} for p in _ids(cast.grid_a.pk)],
        "portal:home": none, "portal:signin": none, "portal:code": none,
        "portal:choose": none, "portal:signout": none,
        "portal:link": [{"token": t} for t in ("abc", "x" * 300, "令牌")],
        "portal_staff:sheet": [{"pk": p} for p in cadres],
        "portal_staff:revoke": [{"pk": p} for p in _ids()],
        "portal_staff:end": [{"pk": p} for p in _ids()],
        "portal:notices": none, "portal_staff:notices": none,
        "portal:opinions": none, "portal_staff:opinions": none, "portal:menu": none,
        "portal:meetings": none, "meetings:upcoming": none, "my_handbook": none,
        "portal:requests": none,
        "portal:notice_file": [{"pk": p} for p in _ids()],
        "portal_staff:notice_file": [{"pk": p} for p in _ids()],
        "my_handbook_year": [{"year": y} for y in (2026, 0, 10**12)],
        "portal:leave": [{"pk": p} for p in _ids()],
        "portal:signup": [{"pk": p} for p in _ids(world["offered"].pk)],
        "portal:cancel": [{"pk": p} for p in _ids(world["offered"].pk)],
        "portal_staff:answer": [{"pk": p} for p in _ids()],
        "portal:notice": [{"pk": p} for p in _ids()],
        "portal_staff:notice": [{"pk": p} for p in _ids()],
        "staff_role_remove": [{"pk": p, "assignment_pk": q} for p in _ids(cast.grid_a.pk)
                              for q in _ids(cast.grid_a.assignments.get().pk)],
    }  # fmt: skip


def url_patterns(patterns=None, prefix="", namespace=""):
    """(route, name) of every URL pattern outside the admin."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("admin/"):
                continue  # Django's admin: the fixed pass below
            ns = namespace + (f"{p.namespace}:" if p.namespace else "")
            yield from url_patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace + (p.name or "")


NAMES = sorted({name for _route, name in url_patterns()})


def test_every_url_pattern_is_fuzzed(world):
    table = _args(world)
    unnamed = [route for route, name in url_patterns() if not name]
    assert unnamed == [], "name these URL patterns so the fuzz can cover them"
    missing = sorted(set(NAMES) - set(table))
    assert missing == [], f"URL patterns the fuzz does not cover: {missing}"
    assert sorted(table) == NAMES


# ---- the requests --------------------------------------------------------------------

_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
_ACTION = re.compile(r'\baction="([^"]*)"')
_FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"([^>]*)>')


def _forms(html: str, page_path: str) -> dict[str, tuple[set[str], set[str]]]:
    """The fields (and file fields) of each form on a page, by the path it sends to."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    for attrs, inner in _FORM.findall(html):
        action = _ACTION.search(attrs)
        target = (action.group(1) if action else "") or page_path
        target = target.split("?")[0].replace("&amp;", "&")
        names, files = found.setdefault(target, (set(), set()))
        for name, rest in _FIELD.findall(inner):
            if name != "csrfmiddlewaretoken":
                (files if 'type="file"' in rest else names).add(name)
    return found


_FORMS_BY_NAME: dict[str, tuple[set[str], set[str]]] = {}


def _crawl(world, clients) -> dict[str, tuple[set[str], set[str]]]:
    """Every form the pages render (as the roles that see most), by the URL name it
    sends to; crawled once per test run."""
    if _FORMS_BY_NAME:
        return _FORMS_BY_NAME
    forms = _FORMS_BY_NAME
    for name, choices in _args(world).items():
        path = reverse(name, kwargs=choices[0])
        for role in ("officer", "jinqiao", "secretary"):
            page = clients[role].get(path)
            _check(page, f"GET {path} as {role}")
            if page.status_code != 200 or getattr(page, "streaming", False):
                continue
            if not page.get("Content-Type", "").startswith("text/html"):
                continue
            for target, (names, files) in _forms(page.content.decode(), path).items():
                try:
                    view_name = resolve(target).view_name
                except Resolver404:
                    continue
                have = forms.setdefault(view_name, (set(), set()))
                have[0].update(names)
                have[1].update(files)
    return forms


def _clients(world) -> dict[str, Client]:
    cast = world["cast"]
    clients = {}
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(getattr(cast, role))
        clients[role] = client
    return clients


def _check(response, label: str) -> None:
    assert response.status_code < 500, label
    if response.get("Content-Type", "").startswith("application/vnd.openxml"):
        data = (
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        )
        assert formula_cells(data) == [], label


values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(lambda d: d.isoformat()),
)


@pytest.mark.parametrize("name", NAMES)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=bool(os.environ.get("CI")),
)
@given(data=st.data())
def test_no_input_makes_a_server_error(world, name, data):
    if not hasattr(world["cast"], "_clients"):
        world["cast"]._clients = _clients(world)
        world["cast"]._forms = _crawl(world, world["cast"]._clients)
    clients, forms = world["cast"]._clients, world["cast"]._forms
    kwargs = data.draw(st.sampled_from(_args(world)[name]), label="path")
    path = reverse(name, kwargs=kwargs)
    names, file_fields = forms.get(name, (set(), set()))
    role = data.draw(st.sampled_from(ROLES), label="role")
    client = clients[role]
    method = data.draw(st.sampled_from(["GET", "POST"]), label="method")
    # Mostly the fields of the forms that send here, some query parameters besides.
    own = sorted(names) or PARAMS
    keys = data.draw(
        st.lists(st.sampled_from(own), max_size=10, unique=True), label="fields"
    )
    keys += data.draw(
        st.lists(st.sampled_from(PARAMS), max_size=2, unique=True), label="params"
    )
    form = {
        k: data.draw(st.one_of(values, st.lists(values, max_size=3)), label=k)
        for k in keys
    }
    how = data.draw(st.sampled_from(["form"] * 6 + ["raw", "big"]), label="how")
    label = f"{role} {method} {path} {how} {sorted(form)}"
    if how == "raw":
        raw = (
            "&".join(f"{k}={data.draw(st.sampled_from(RAW), label=k)}" for k in keys)
            or "q=%ED%A0%80"
        )
        if method == "GET":
            response = client.get(f"{path}?{raw}")
        else:
            response = client.generic(
                "POST",
                path,
                raw.encode(),
                content_type="application/x-www-form-urlencoded",
            )
    elif how == "big":
        response = client.generic(
            method,
            path,
            f"q={BIG}".encode(),
            content_type="application/x-www-form-urlencoded",
        )
    elif method == "GET":
        response = client.get(path, form)
    else:
        for field in file_fields:
            if data.draw(st.booleans(), label=f"file {field}"):
                content = data.draw(st.sampled_from(FILES), label=field)
                form[field] = SimpleUploadedFile("upload.jpg", content, "image/jpeg")
        response = client.post(path, form)
    _check(response, label)


# ---- the admin: a fixed hostile pass over every registered model -------------------


@pytest.mark.parametrize(
    "model_admin",
    [
        pytest.param(m, id=f"{m._meta.app_label}.{m._meta.model_name}")
        for m in admin.site._registry
    ],
)
def test_the_admin_survives_hostile_lists_and_ids(world, model_admin):
    user = get_user_model().objects.create_superuser("root", password="x-Pass-2026")
    client = Client()
    client.force_login(user)
    meta = model_admin._meta
    base = f"/admin/{meta.app_label}/{meta.model_name}/"
    for value in ["\x00", "=1+1", "x" * 300, "²", "9" * 40, "0001-01-01", "9999-12-31"]:
        _check(client.get(base, {"q": value}), f"{base}?q={value!r}")
        _check(client.get(base, {"o": value, "p": value}), f"{base} o/p {value!r}")
    for raw in RAW:
        _check(client.get(f"{base}?q={raw}"), f"{base}?q={raw}")
    for pk in ["0", "99999999999999999999", "%ED%A0%80", "abc"]:
        _check(client.get(f"{base}{pk}/change/"), f"{base}{pk}/change/")
