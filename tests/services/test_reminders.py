"""Reminders (issue 10): rules at fixed dates, recipients, exactly once."""

import datetime
import json
import threading
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from activities.models import Honour, HonourKind
from grids.models import StaffRole
from members.models import ArchiveReason, LivingSituation
from members.services import cadre_archive
from services.models import DeliveryAttempt, Reminder, ReminderChoice
from services.reminders import digests_send, reminders_deliver, reminders_scan
from services.services import health_check_record, visit_log
from tests.factories import UserFactory, assign, make_cadre

D = datetime.date


def rows(rule, **filters):
    return Reminder.objects.filter(rule=rule, **filters)


def test_birthdays_within_a_week_and_29_february_on_28_february(cast):
    leap = make_cadre(branch=cast.tree["branch_A"], name="闰日", birth=D(1944, 2, 29))
    reminders_scan(today=D(2027, 2, 22))
    r = rows("birthday", subject_id=leap.pk).get()
    assert r.due_on == D(2027, 2, 28) and "83" in r.text  # 28 Feb in a common year
    # Year end: a birthday on 3 January is found on 30 December.
    january = make_cadre(branch=cast.tree["branch_A"], name="元旦", birth=D(1940, 1, 3))
    reminders_scan(today=D(2026, 12, 30))
    assert rows("birthday", subject_id=january.pk).get().due_on == D(2027, 1, 3)


def test_a_milestone_90th_is_flagged_30_days_ahead_and_the_dead_get_nothing(cast):
    ninety = make_cadre(branch=cast.tree["branch_A"], name="九十", birth=D(1936, 6, 30))
    eighty_one = make_cadre(
        branch=cast.tree["branch_A"], name="八一", birth=D(1945, 6, 30)
    )
    gone = make_cadre(branch=cast.tree["branch_A"], name="已故", birth=D(1936, 6, 29))
    cadre_archive(cadre=gone, reason=ArchiveReason.DECEASED, on=D(2026, 5, 31))
    created = reminders_scan(today=D(2026, 6, 1))
    r = rows("milestone_birthday").get()
    assert r.subject_id == ninety.pk and r.due_on == D(2026, 6, 30) and "90" in r.text
    assert not rows("milestone_birthday", subject_id=eighty_one.pk).exists()
    # No birthday for the dead: only the funeral condolence left at their death.
    about_gone = Reminder.objects.filter(subject_type="cadre", subject_id=gone.pk)
    assert set(about_gone.values_list("rule", flat=True)) == {"funeral_condolence"}
    assert created["milestone_birthday"] == 1


def test_the_50_year_boundary_on_1_april(cast):
    def member(name, full):
        return make_cadre(branch=cast.tree["branch_A"], name=name, joined_party_on=full.replace(year=full.year - 1),
                          full_member_on=full)  # fmt: skip

    on_day = member("正好", D(1976, 7, 1))
    before = member("早一天", D(1976, 6, 30))
    after = member("晚一天", D(1976, 7, 2))
    reminders_scan(today=D(2026, 3, 31))
    assert not Honour.objects.exists()  # only on 1 April
    reminders_scan(today=D(2026, 4, 1))
    listed = set(Honour.objects.filter(kind=HonourKind.PARTY_50_YEARS, year=2026)
                 .values_list("cadre_id", flat=True))  # fmt: skip
    assert on_day.pk in listed and before.pk in listed and after.pk not in listed
    r = rows("party_50").get()
    assert r.recipient == cast.officer and r.subject_id == cast.tree["township"].pk
    reminders_scan(today=D(2026, 4, 1))  # again: no second honour, no second reminder
    assert (
        Honour.objects.filter(cadre=on_day).count() == 1 and rows("party_50").count() == 1
    )


def test_recipients_fall_back_from_community_to_grid_to_township(cast):
    worker = UserFactory(username="worker_a")
    assign(worker, cast.tree["community_A"], StaffRole.COMMUNITY_WORKER)
    in_a = make_cadre(branch=cast.tree["branch_A"], name="社区甲", birth=D(1950, 6, 3))
    in_village = make_cadre(branch=cast.tree["village_branch_A"], name="村甲",
                            birth=D(1950, 6, 3))  # fmt: skip
    in_b = make_cadre(branch=cast.tree["branch_B"], name="社区乙", birth=D(1950, 6, 3))
    reminders_scan(today=D(2026, 6, 1))

    def recipients(pk):
        return set(
            rows("birthday", subject_id=pk).values_list("recipient__username", flat=True)
        )

    assert recipients(in_a.pk) == {"worker_a"}  # the community's worker
    assert recipients(in_village.pk) == {"grid_a"}  # no village worker: the grid's
    assert recipients(in_b.pk) == {"community_b"}
    # With no grid worker either, the township officers.
    from grids.models import StaffAssignment

    StaffAssignment.objects.filter(user=cast.grid_a).delete()
    Reminder.objects.all().delete()
    reminders_scan(today=D(2026, 6, 1))
    assert recipients(in_village.pk) == {"officer"}


def test_visits_check_ups_and_follow_ups(cast):
    visit_log(cadres=[cast.cadre_a], kinds=["home_visit"], visited_on=D(2026, 1, 5),
              follow_up="送药", follow_up_due=D(2026, 1, 20))  # fmt: skip
    health_check_record(cadre=cast.cadre_a, checked_on=D(2025, 6, 20))
    health_check_record(cadre=cast.cadre_b, checked_on=D(2025, 5, 1))
    created = reminders_scan(today=D(2026, 6, 1))
    assert rows("visit_overdue", subject_id=cast.cadre_a.pk).get().due_on == D(2026, 4, 6)
    assert rows("follow_up_overdue").get().due_on == D(2026, 1, 20)
    assert rows("checkup_due", subject_id=cast.cadre_a.pk).get().due_on == D(2026, 6, 20)
    assert rows("checkup_overdue", subject_id=cast.cadre_b.pk).get().due_on == D(
        2026, 5, 1
    )
    assert created["checkup_due"] == 1


def test_the_scan_twice_makes_nothing_and_the_command_prints_one_json_line(cast):
    make_cadre(branch=cast.tree["branch_A"], birth=D(1950, 12, 3), name="甲")
    out = StringIO()
    call_command("scan_reminders", "--on", "2026-12-01", "--json", stdout=out)
    first = json.loads(out.getvalue())
    assert out.getvalue().count("\n") == 1 and first["created"]["birthday"] == 1
    assert first["total"] == sum(first["created"].values())
    out = StringIO()
    call_command("scan_reminders", "--on", "2026-12-01", "--json", stdout=out)
    assert json.loads(out.getvalue())["total"] == 0


def test_importing_cadres_sends_nothing_and_the_next_scan_finds_them(cast, tmp_path):
    from django.utils import timezone

    from members.roster.importer import import_roster
    from tests.members.roster_files import id_number, write_roster

    birthday = timezone.localdate() + datetime.timedelta(days=3)
    born = birthday.replace(year=1950) if not (birthday.month == 2 and birthday.day == 29) \
        else D(1952, 2, 29)  # fmt: skip
    numbers = [id_number(born) for _ in range(1000)]
    path = write_roster(tmp_path / "r.xlsx", ["姓名", "身份证号", "所属支部"],
                        [[f"寿{i}", n, "社区A党支部"] for i, n in enumerate(numbers)])  # fmt: skip
    before = Reminder.objects.count()
    assert import_roster(path, user=cast.officer).created == 1000
    assert Reminder.objects.count() == before and len(mail.outbox) == 0
    created = reminders_scan()
    assert created["birthday"] >= 1000
    assert (
        rows(
            "birthday",
            subject_id__in=list(
                __import__("members.models", fromlist=["Cadre"])
                .Cadre.objects.filter(id_number__in=numbers)
                .values_list("pk", flat=True)
            ),
        ).count()
        == 1000
    )


def test_delivery_claims_once_and_the_digest_is_one_mail_a_day(cast):
    worker = cast.grid_a  # community A has no worker of its own: the grid's
    worker.email = "grid_a@example.gov.cn"
    worker.save()
    ReminderChoice.objects.create(user=worker, rule="birthday", email=True)
    for n in range(3):
        make_cadre(branch=cast.tree["branch_A"], birth=D(1950, 6, 2 + n), name=f"生{n}")
    reminders_scan(today=D(2026, 6, 1))
    # The birthdays, and the other rules' reminders of the day (the branches'
    # elections, none recorded): each delivered once.
    assert rows("birthday").count() == 3
    count = Reminder.objects.count()
    assert reminders_deliver() == count and reminders_deliver() == 0
    assert DeliveryAttempt.objects.filter(channel="inbox", ok=True).count() == count
    from django.utils import timezone

    assert digests_send(day=timezone.localdate()) == 1
    (message,) = mail.outbox
    assert message.to == ["grid_a@example.gov.cn"]
    assert all(f"生{n}" in message.body for n in range(3))
    assert digests_send(day=timezone.localdate()) == 0 and len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_racing_send_each_reminder_once(cast):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks (SQLite serializes writers)")
    for n in range(40):
        make_cadre(branch=cast.tree["branch_A"], birth=D(1950, 6, 2), name=f"赛{n}")
    reminders_scan(today=D(2026, 6, 1))
    total = Reminder.objects.count()
    barrier = threading.Barrier(2)
    counts = []

    def run():
        from django.db import connections

        try:
            barrier.wait()
            counts.append(reminders_deliver())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(counts) == total
    assert DeliveryAttempt.objects.filter(channel="inbox").count() == total


def test_the_inbox_the_bell_and_the_pages_reminders_lead_to(client, cast):
    from django.urls import reverse

    make_cadre(branch=cast.tree["branch_A"], birth=D(1940, 6, 3), name="寿星",
               living_situation=LivingSituation.ALONE)  # fmt: skip
    reminders_scan(today=D(2026, 6, 1))
    reminders_deliver()
    client.force_login(cast.grid_a)
    page = client.get("/").content.decode()
    assert 'id="bell-count"' in page
    inbox = client.get(reverse("inbox")).content.decode()
    assert "寿星" in inbox and "集体生日名单已生成" in inbox
    link = rows("collective_birthday").filter(recipient=cast.grid_a).get().link
    birthdays = client.get(link).content.decode()
    assert "寿星" in birthdays and "86" in birthdays
    only = client.get(reverse("inbox"), {"rule": "birthday"}).content.decode()
    assert "集体生日名单已生成" not in only.split('id="inbox"')[1]
    client.post(reverse("inbox_read"), {"all": "1"})
    assert 'id="bell-count"' not in client.get("/").content.decode()
    client.force_login(cast.grid_b)  # someone else's inbox stays theirs
    assert "寿星" not in client.get(reverse("inbox")).content.decode()
    assert client.get(link).status_code == 404


def test_officers_mark_the_50_year_list(client, cast):
    from django.urls import reverse

    make_cadre(branch=cast.tree["branch_A"], name="老党员", full_member_on=D(1970, 3, 1),
               joined_party_on=D(1969, 3, 1))  # fmt: skip
    reminders_scan(today=D(2026, 4, 1))
    honour = Honour.objects.get(cadre__name="老党员")
    client.force_login(cast.outsider)
    assert client.get(reverse("honours:list", args=[2026])).status_code == 403
    client.force_login(cast.officer)
    assert "老党员" in client.get(reverse("honours:list", args=[2026])).content.decode()
    for status in ("recommended", "approved", "awarded"):
        client.post(reverse("honours:status", args=[honour.pk]), {"status": status})
    honour.refresh_from_db()
    assert honour.status == "awarded" and honour.awarded_on is not None


def test_a_failing_channel_is_recorded_retried_and_never_blocks_the_inbox(
    cast, monkeypatch
):
    from services import reminders

    class Flaky(reminders.Channel):
        key = "sms"
        calls = 0

        def deliver(self, user, items):
            Flaky.calls += 1
            if Flaky.calls == 1:
                raise ConnectionError("gateway down")

    monkeypatch.setattr(
        reminders.delivery, "CHANNELS", [reminders.InboxChannel(), Flaky()]
    )
    make_cadre(branch=cast.tree["branch_A"], birth=D(1950, 6, 3), name="甲")
    reminders_scan(today=D(2026, 6, 1))
    reminders_deliver()
    reminder = rows("birthday").get()
    attempts = DeliveryAttempt.objects.filter(reminder=reminder)
    assert attempts.filter(channel="inbox", ok=True).count() == 1  # not blocked
    assert attempts.filter(channel="sms", ok=False, error="ConnectionError").count() == 1
    assert attempts.filter(channel="sms", ok=True).count() == 1  # retried at once
    reminders.retry_failed()
    assert attempts.filter(channel="sms").count() == 2  # nothing more to retry


def test_users_choose_the_rules_of_their_daily_e_mail(client, cast):
    from django.urls import reverse

    client.force_login(cast.grid_a)
    client.post(reverse("inbox_email"), {"email": ["birthday", "visit_overdue"]})
    chosen = set(ReminderChoice.objects.filter(user=cast.grid_a, email=True)
                 .values_list("rule", flat=True))  # fmt: skip
    assert chosen == {"birthday", "visit_overdue"}
    client.post(reverse("inbox_email"), {"email": ["birthday"]})
    assert set(ReminderChoice.objects.filter(user=cast.grid_a, email=True)
               .values_list("rule", flat=True)) == {"birthday"}  # fmt: skip


def test_bad_input_on_the_reminder_pages_and_command_is_no_error_page(client, cast):
    from django.core.management.base import CommandError
    from django.urls import reverse

    client.force_login(cast.grid_a)
    response = client.post(
        reverse("inbox_read"), {"reminder": ["abc", "1; drop"], "rule": "生日&x"}
    )
    assert response.status_code == 302 and response["Location"].startswith(
        "/reminders/?rule="
    )
    url = reverse("visits:birthdays", args=[cast.tree["community_A"].pk, 99999, 1])
    assert client.get(url).status_code == 404
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("scan_reminders", "--on", "2026-13-45")
