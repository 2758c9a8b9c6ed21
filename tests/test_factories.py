"""The factories build through the services: their rules run."""

import pytest
from django.core.exceptions import ValidationError

from activities.models import HonourStatus
from services.models import VisitedCadre
from tests.factories import (
    ActivityFactory,
    HealthCheckFactory,
    HonourFactory,
    VisitFactory,
)


def test_the_care_and_life_factories_build_through_the_services(cast):
    visit = VisitFactory(cadres=[cast.cadre_a, cast.cross], by=cast.officer)
    assert set(
        VisitedCadre.objects.filter(visit=visit).values_list("cadre", flat=True)
    ) == {
        cast.cadre_a.pk,
        cast.cross.pk,
    }
    check = HealthCheckFactory(cadre=cast.cadre_a, systolic=130, diastolic=80)
    assert check.blood_pressure == "130/80"
    meeting = ActivityFactory(unit=cast.tree["branch_A"])
    assert meeting.unit == cast.tree["branch_A"] and meeting.topic.startswith("学习会")
    honour = HonourFactory(cadre=cast.cadre_a, year=2026)
    assert honour.status == HonourStatus.ELIGIBLE
    with pytest.raises(ValidationError):  # the service's rule: 1971 + 50 > 2020
        HonourFactory(cadre=cast.cadre_b, year=2020)
