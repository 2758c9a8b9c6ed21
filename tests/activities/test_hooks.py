"""Hospital stays reach organizational life through a hook (issue 16): activities
never imports services; services registers who was in hospital on a date."""

import datetime

from activities.hooks import unable_checks, unable_on
from services.selectors.visits import hospitalized_on
from services.services import hospitalization_discharge, hospitalization_record

D = datetime.date


def test_who_was_in_hospital_on_a_meeting_day_is_unable(cast):
    """The issue's F: in hospital 2026-08-10 to 2026-08-20."""
    assert hospitalized_on in unable_checks  # registered by ServicesConfig.ready
    stay = hospitalization_record(cadre=cast.cadre_a, hospital="瑞金医院",
                                  admitted_on=D(2026, 8, 10))  # fmt: skip
    ids = [cast.cadre_a.pk, cast.cadre_b.pk]
    assert unable_on(ids, D(2026, 8, 15)) == {cast.cadre_a.pk}
    assert unable_on(ids, D(2026, 8, 9)) == set()
    hospitalization_discharge(hospitalization=stay, discharged_on=D(2026, 8, 20))
    assert unable_on(ids, D(2026, 8, 20)) == {cast.cadre_a.pk}
    assert unable_on(ids, D(2026, 9, 1)) == set()
