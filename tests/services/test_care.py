import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from members.models import ArchiveReason
from members.services import cadre_archive
from services.models import (
    CareVisit,
    Hospitalization,
    VisitedCadre,
    VisitKind,
    VisitOutcome,
)
from services.services import (
    follow_up_done,
    health_check_record,
    hospitalization_discharge,
    hospitalization_record,
    visit_log,
)
from tests.factories import UserFactory, make_cadre

D = datetime.date


@pytest.fixture
def couple(tree):
    return [make_cadre(branch=tree["branch_A"]), make_cadre(branch=tree["branch_A"])]


def test_a_visit_with_two_kinds_for_a_household(couple):
    worker = UserFactory(username="jinqiao")
    visit = visit_log(
        cadres=couple,
        kinds=[VisitKind.HOME_VISIT, VisitKind.MEDICINE, VisitKind.HOME_VISIT],
        visited_on=D(2026, 5, 3),
        visitors=[worker],
        partner_staff="家庭医生 张医生",
        notes="血压平稳",
        by=worker,
    )
    assert sorted(visit.kinds.values_list("kind", flat=True)) == [
        "home_visit",
        "medicine",
    ]
    links = VisitedCadre.objects.filter(visit=visit)
    assert {link.cadre_id for link in links} == {c.pk for c in couple}
    assert all(link.visited_on == D(2026, 5, 3) and link.met for link in links)
    assert list(visit.visitors.all()) == [worker]


def test_a_visit_needs_at_least_one_cadre_and_one_kind(couple):
    with pytest.raises(ValidationError) as exc:
        visit_log(cadres=[], kinds=[VisitKind.HOME_VISIT], visited_on=D(2026, 5, 3))
    assert "至少选择一位" in exc.value.message_dict["cadres"][0]
    with pytest.raises(ValidationError) as exc:
        visit_log(cadres=couple, kinds=[], visited_on=D(2026, 5, 3))
    assert "至少选择一种" in exc.value.message_dict["kinds"][0]
    with pytest.raises(ValidationError):
        visit_log(cadres=couple, kinds=["dancing"], visited_on=D(2026, 5, 3))
    assert not CareVisit.objects.exists()


def test_logging_a_visit_costs_the_same_queries_for_one_or_many_cadres(tree):
    from services.plans import visit_plans_refresh

    cadres = [make_cadre(branch=tree["branch_A"]) for _ in range(6)]
    visit_plans_refresh()  # as every night: each active cadre has a plan
    with CaptureQueriesContext(connection) as one:
        visit_log(
            cadres=cadres[:1], kinds=[VisitKind.HOME_VISIT], visited_on=D(2026, 1, 2)
        )
    with CaptureQueriesContext(connection) as many:
        visit_log(
            cadres=cadres,
            kinds=[VisitKind.HOME_VISIT, VisitKind.STUDY, VisitKind.GREETINGS],
            visited_on=D(2026, 1, 2),
        )
    assert len(many) == len(one)


def test_a_visit_not_at_home_is_recorded_but_does_not_count(couple):
    visit = visit_log(
        cadres=couple[:1],
        kinds=[VisitKind.HOME_VISIT],
        visited_on=D(2026, 5, 3),
        outcome=VisitOutcome.NOT_AT_HOME,
    )
    assert VisitedCadre.objects.get(visit=visit).met is False


def test_no_visit_after_a_cadre_left_the_roster(couple):
    cadre_archive(cadre=couple[0], reason=ArchiveReason.DECEASED, on=D(2026, 2, 1))
    couple[0].refresh_from_db()
    with pytest.raises(ValidationError):
        visit_log(
            cadres=couple[:1], kinds=[VisitKind.HOME_VISIT], visited_on=D(2026, 3, 1)
        )


def test_a_follow_up_needs_its_text_and_can_be_closed(couple):
    with pytest.raises(ValidationError) as exc:
        visit_log(
            cadres=couple,
            kinds=[VisitKind.HOME_SAFETY],
            visited_on=D(2026, 5, 3),
            follow_up_due=D(2026, 5, 10),
        )
    assert "跟进" in str(exc.value)
    visit = visit_log(
        cadres=couple,
        kinds=[VisitKind.HOME_SAFETY],
        visited_on=D(2026, 5, 3),
        follow_up="安装浴室扶手",
        follow_up_due=D(2026, 5, 10),
    )
    follow_up_done(visit=visit, on=D(2026, 5, 9))
    assert CareVisit.objects.get(pk=visit.pk).follow_up_done_on == D(2026, 5, 9)


def test_a_discharge_before_the_admission_is_refused(couple):
    stay = hospitalization_record(
        cadre=couple[0], admitted_on=D(2026, 4, 10), hospital="区中心医院"
    )
    with pytest.raises(ValidationError) as exc:
        hospitalization_discharge(hospitalization=stay, discharged_on=D(2026, 4, 9))
    assert "出院日期早于入院日期" in str(exc.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Hospitalization.objects.filter(pk=stay.pk).update(discharged_on=D(2026, 4, 1))
    hospitalization_discharge(hospitalization=stay, discharged_on=D(2026, 4, 20))


def test_a_second_open_hospitalization_is_refused(couple):
    hospitalization_record(
        cadre=couple[0], admitted_on=D(2026, 4, 10), hospital="区中心医院"
    )
    with pytest.raises(ValidationError) as exc:
        hospitalization_record(
            cadre=couple[0], admitted_on=D(2026, 4, 12), hospital="瑞金医院"
        )
    assert "区中心医院" in exc.value.messages[0]


def test_a_health_check_with_implausible_values_is_refused_in_chinese(couple):
    with pytest.raises(ValidationError) as exc:
        health_check_record(
            cadre=couple[0], checked_on=D(2026, 3, 1), systolic=1300, diastolic=80
        )
    assert "systolic" in exc.value.message_dict
    assert "300" in exc.value.message_dict["systolic"][0]
    with pytest.raises(ValidationError) as exc:
        health_check_record(
            cadre=couple[0], checked_on=D(2026, 3, 1), systolic=80, diastolic=90
        )
    assert "收缩压" in str(exc.value)
    check = health_check_record(
        cadre=couple[0],
        checked_on=D(2026, 3, 1),
        systolic=135,
        diastolic=85,
        fasting_glucose=Decimal("6.1"),
        height_cm=Decimal("165"),
        weight_kg=Decimal("62.5"),
    )
    assert check.blood_pressure == "135/85"
