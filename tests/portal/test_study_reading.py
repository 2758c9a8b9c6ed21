"""Reading study material on the cadre's own pages counts as study hours where the
township turns that on (PORTAL_STUDY_COUNTS) — issue 23."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gridparty.handbook import handbook_of
from portal.services import notice_publish, notice_read


def _study(cast, minutes):
    return notice_publish(by=cast.officer, unit=cast.tree["township"], kind="study",
                          title="学习党章", body="第一章", study_minutes=minutes)  # fmt: skip


def test_reading_counts_as_study_where_the_township_turns_it_on(cast, settings):
    year = timezone.localdate().year
    notice_read(notice=_study(cast, 45), cadre=cast.cadre_a)
    notice_read(notice=_study(cast, 45), cadre=cast.cadre_a)
    settings.PORTAL_STUDY_COUNTS = False
    assert handbook_of(cast.cadre_a, year).study_hours == 0
    settings.PORTAL_STUDY_COUNTS = True
    assert handbook_of(cast.cadre_a, year).study_hours == 1.5
    assert handbook_of(cast.cadre_b, year).study_hours == 0  # read by another: nothing


def test_only_study_material_counts(cast):
    with pytest.raises(ValidationError):
        notice_publish(by=cast.officer, unit=cast.tree["township"], kind="notice",
                       title="通知", body="正文", study_minutes=30)  # fmt: skip
