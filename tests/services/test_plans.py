"""Visit plans: tiers at their boundaries, overrides, hospital stays, archiving
(issue 8)."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from members.models import ArchiveReason, Category, LivingSituation
from members.services import cadre_archive, cadre_update
from services.models import VisitKind, VisitOutcome, VisitPlan, VisitTier
from services.plans import visit_plans_refresh
from services.selectors import visit_queue
from services.services import (
    hospitalization_discharge,
    hospitalization_record,
    visit_log,
    visit_plan_override,
)
from tests.factories import make_cadre

D = datetime.date


def plan(cadre) -> VisitPlan:
    return VisitPlan.objects.get(cadre=cadre)


def test_the_80th_birthday_makes_a_cadre_living_alone_high_that_very_day(tree):
    cadre = make_cadre(branch=tree["branch_A"], birth=D(1946, 12, 1),
                       living_situation=LivingSituation.ALONE)  # fmt: skip
    visit_plans_refresh(today=D(2026, 11, 30))
    assert plan(cadre).tier == VisitTier.GENERAL  # 79 on the eve
    visit_plans_refresh(today=D(2026, 12, 1))
    assert plan(cadre).tier == VisitTier.HIGH  # 80 today
    # Not living alone any more: general again, at once (the change moves the plan).
    cadre_update(cadre=cadre, living_situation=LivingSituation.WITH_FAMILY)
    visit_plans_refresh(today=D(2026, 12, 1))
    assert plan(cadre).tier == VisitTier.GENERAL
    cadre_update(cadre=cadre, living_situation=LivingSituation.EMPTY_NEST)
    visit_plans_refresh(today=D(2026, 12, 1))
    assert plan(cadre).tier == VisitTier.HIGH


def test_a_29_february_birthday_counts_on_28_february_in_other_years(tree):
    # 80 is a multiple of 4: the 80th birthday of a 29 February child is a 29 February.
    # With the age set to 81 by an administrator, it falls on a 28 February.
    from services.models import VisitPolicy

    VisitPolicy.objects.update_or_create(
        pk=VisitPolicy.current().pk, defaults={"high_age": 81}
    )
    cadre = make_cadre(branch=tree["branch_A"], birth=D(1944, 2, 29),
                       living_situation=LivingSituation.ALONE)  # fmt: skip
    visit_plans_refresh(today=D(2025, 2, 27))
    assert plan(cadre).tier == VisitTier.GENERAL
    visit_plans_refresh(today=D(2025, 2, 28))
    assert plan(cadre).tier == VisitTier.HIGH


def test_lixiu_disabled_hardship_are_priority_and_critically_ill_is_high(tree):
    lixiu = make_cadre(branch=tree["branch_A"], category=Category.LIXIU,
                       lixiu_period="liberation")  # fmt: skip
    hardship = make_cadre(branch=tree["branch_A"], in_hardship=True)
    ill = make_cadre(branch=tree["branch_A"], critically_ill=True, category=Category.LIXIU,
                     lixiu_period="liberation")  # fmt: skip
    plain = make_cadre(branch=tree["branch_A"])
    visit_plans_refresh(today=D(2026, 6, 1))
    assert [plan(c).tier for c in (lixiu, hardship, ill, plain)] == [
        VisitTier.PRIORITY, VisitTier.PRIORITY, VisitTier.HIGH, VisitTier.GENERAL]  # fmt: skip


def test_the_next_due_date_counts_only_contacts_where_the_cadre_was_met(tree):
    cadre = make_cadre(branch=tree["branch_A"], in_hardship=True)  # priority: 30 days
    # Never visited: due from the day the cadre came onto a plan.
    assert plan(cadre).last_contact_on is None
    assert plan(cadre).next_due_on == plan(cadre).since
    visit_log(cadres=[cadre], kinds=[VisitKind.HOME_VISIT], visited_on=D(2026, 1, 10))
    assert plan(cadre).next_due_on == D(2026, 2, 9)
    visit_log(cadres=[cadre], kinds=[VisitKind.HOME_VISIT], visited_on=D(2026, 2, 5),
              outcome=VisitOutcome.NOT_AT_HOME)  # fmt: skip
    assert plan(cadre).next_due_on == D(2026, 2, 9)  # not at home does not count


def test_an_officer_overrides_the_tier_with_a_reason_kept_in_the_history(tree, cast):
    cadre = cast.cadre_a
    with pytest.raises(ValidationError):
        visit_plan_override(cadre=cadre, tier=VisitTier.HIGH, reason=" ", by=cast.officer)
    with pytest.raises(PermissionDenied):
        visit_plan_override(
            cadre=cadre, tier=VisitTier.HIGH, reason="术后", by=cast.grid_a
        )
    result = visit_plan_override(cadre=cadre, tier=VisitTier.HIGH, reason="术后恢复期",
                                 by=cast.officer)  # fmt: skip
    assert (result.tier, result.override_reason) == (VisitTier.HIGH, "术后恢复期")
    entry = LogEntry.objects.get_for_object(result).latest("timestamp")
    assert "术后恢复期" in str(entry.changes)
    visit_plans_refresh()  # the nightly run keeps the officer's decision
    assert plan(cadre).tier == VisitTier.HIGH
    cleared = visit_plan_override(cadre=cadre, tier="", reason="", by=cast.officer)
    assert cleared.tier == VisitTier.GENERAL and cleared.override_reason == ""


def test_a_hospital_stay_brings_the_visit_forward_and_a_discharge_too(tree):
    cadre = make_cadre(branch=tree["branch_A"])  # general: 91 days
    visit_log(cadres=[cadre], kinds=[VisitKind.HOME_VISIT], visited_on=D(2026, 3, 1))
    assert plan(cadre).next_due_on == D(2026, 5, 31)
    stay = hospitalization_record(
        cadre=cadre, admitted_on=D(2026, 3, 20), hospital="区中心医院"
    )
    assert plan(cadre).next_due_on == D(2026, 3, 21)  # within 24 hours of admission
    visit_log(cadres=[cadre], kinds=[VisitKind.HOSPITAL_VISIT], visited_on=D(2026, 3, 21))
    assert plan(cadre).next_due_on == D(2026, 6, 20)  # visited: the normal rhythm
    hospitalization_discharge(hospitalization=stay, discharged_on=D(2026, 4, 2))
    assert plan(cadre).next_due_on == D(2026, 4, 9)  # within a week of discharge
    visit_log(cadres=[cadre], kinds=[VisitKind.HOME_VISIT], visited_on=D(2026, 4, 5))
    assert plan(cadre).next_due_on == D(2026, 7, 5)


def test_archived_cadres_have_no_plan_and_leave_every_queue(tree, cast):
    visit_plans_refresh()
    hospitalization_record(
        cadre=cast.cadre_a, admitted_on=D(2026, 3, 20), hospital="医院"
    )
    queue = visit_queue(cast.officer)
    assert cast.cadre_a in [p.cadre for p in queue["due"]]
    assert cast.cadre_a in [s.cadre for s in queue["in_hospital"]]
    cadre_archive(cadre=cast.cadre_a, reason=ArchiveReason.DECEASED, on=D(2026, 3, 25))
    assert not VisitPlan.objects.filter(cadre=cast.cadre_a).exists()
    queue = visit_queue(cast.officer)
    assert cast.cadre_a not in [p.cadre for p in queue["due"]]
    assert cast.cadre_a not in [s.cadre for s in queue["in_hospital"]]
    visit_plans_refresh()
    assert not VisitPlan.objects.filter(cadre=cast.cadre_a).exists()
