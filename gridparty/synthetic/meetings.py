"""A year of meetings per branch (monthly 主题党日, quarterly 支部党员大会) with attendance."""

import datetime

from django.utils import timezone

from activities.models import Activity, ActivityKind, Attendance, AttendanceStatus
from activities.services import activity_counts_refresh_all
from grids.bulk import load_model

ACTIVITY_COLUMNS = [
    "id", "kind", "unit_id", "starts_at", "ends_at", "place", "host", "recorder", "topic",
    "minutes", "decisions", "status", "expected_count", "took_part_count", "created_by_id",
    "created_at", "updated_at",
]  # fmt: skip


class MeetingsMixin:
    def _meeting_plan(self) -> list[tuple[str, datetime.datetime]]:
        tz = timezone.get_current_timezone()
        year, month = self.anchor.year, self.anchor.month
        months = []
        for _ in range(12):
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
            months.append((year, month))
        plan = []
        for index, (y, m) in enumerate(reversed(months)):
            plan.append(
                (ActivityKind.THEMED_PARTY_DAY, datetime.datetime(y, m, 15, 9, tzinfo=tz))
            )
            if index % 3 == 2:
                plan.append(
                    (
                        ActivityKind.GENERAL_MEETING,
                        datetime.datetime(y, m, 25, 14, tzinfo=tz),
                    )
                )
        return plan

    def build_meetings(self) -> None:
        rng, stamp = self.rng, self.stamp
        members: dict[int, list[int]] = {}
        for i, branch in enumerate(self.c_branch):
            if branch:
                members.setdefault(branch, []).append(i)
        activities, held = [], []
        for place in self.places:
            for kind, starts in self._meeting_plan():
                pk = len(activities) + 1
                activities.append((
                    pk, kind, place.branch_pk, starts, None, "党群服务站", "支部书记", "组织委员",
                    "学习与讨论", "", "", "submitted", 0, 0, place.worker_pk, stamp, stamp,
                ))  # fmt: skip
                held.append((pk, place.branch_pk, starts.date().toordinal()))
        self.count(Activity, load_model(Activity, ACTIVITY_COLUMNS, activities))
        can_attend, ends = self.c_can_attend, self.c_end
        present, leave, remote, absent, home = (
            AttendanceStatus.PRESENT,
            AttendanceStatus.ON_LEAVE,
            AttendanceStatus.REMOTE,
            AttendanceStatus.ABSENT,
            AttendanceStatus.AT_HOME,
        )
        unable = AttendanceStatus.UNABLE

        def attendance():
            pk = 0
            for activity_pk, branch_pk, day in held:
                for i in members.get(branch_pk, ()):
                    if ends[i] < day:
                        continue  # no longer on the roster
                    roll = rng.random()
                    if can_attend[i]:
                        status = (
                            present if roll < 0.7 else leave if roll < 0.85
                            else remote if roll < 0.9 else absent
                        )  # fmt: skip
                    else:
                        # At home only: study delivered at home, or not reached.
                        status = home if roll < 0.7 else unable
                    pk += 1
                    yield (pk, activity_pk, i + 1, status, "")

        self.count(Attendance, load_model(
            Attendance, ["id", "activity_id", "cadre_id", "status", "note"], attendance()
        ))  # fmt: skip
        activity_counts_refresh_all()  # each meeting keeps its counts
