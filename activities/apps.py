from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Organizational life")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import (
            Activity,
            Attendance,
            BranchReview,
            MeetingKind,
            MeetingRule,
            MemberReview,
            PointsAward,
            PointsScheme,
        )

        # A submitted record corrected by an officer keeps its history; so do the
        # kinds and rules an administrator edits.
        auditlog.register(
            Activity,
            exclude_fields=["updated_at", "expected_count", "took_part_count"],
        )
        auditlog.register(Attendance)
        auditlog.register(MeetingKind)
        auditlog.register(MeetingRule)
        # Reviews: who graded whom, a lock lifted and why; schemes and awards.
        auditlog.register(BranchReview, exclude_fields=["updated_at"])
        auditlog.register(MemberReview)
        auditlog.register(PointsScheme, exclude_fields=["updated_at"])
        auditlog.register(PointsAward, exclude_fields=["updated_at"])

        from members import profile
        from members.services import cadre_archive_hooks

        from .services.dues import dues_member_left

        if dues_member_left not in cadre_archive_hooks:
            cadre_archive_hooks.append(dues_member_left)

        from .profile import party_life_section

        profile.register(party_life_section)

        from grids.todo import register_todo

        from .todo import party_life_todos

        register_todo(party_life_todos)

        # The 台账 import joins the /imports/ page (members never imports activities).
        from members.imports.engines import ENGINES, Engine
        from members.imports.models import ImportKind
        from members.roster.excel import error_workbook, template_workbook

        from .imports import MEETING_COLUMNS, MeetingImport, import_meetings

        ENGINES[ImportKind.MEETINGS] = Engine(
            ImportKind.MEETINGS,
            import_meetings,
            lambda: template_workbook(MEETING_COLUMNS, "会议台账"),
            error_workbook,
            MeetingImport.modes,
            _("meeting records template.xlsx"),
        )
