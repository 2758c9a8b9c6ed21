from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Care and services")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from activities.hooks import (
            register_campaign_figures,
            register_campaign_section,
            register_unable_check,
            register_yearly_facts,
        )
        from members import profile
        from members.services import cadre_change_hooks

        from .models import CareVisit, VisitPlan, VisitPolicy
        from .plans import visit_plans_refresh
        from .selectors.visits import hospitalized_on, visits_in_year
        from .views import health as health_views
        from .views import visits as views

        def refresh(ids: list[int]) -> None:
            visit_plans_refresh(cadres=ids)

        refresh.__qualname__ = "services.visit_plans_refresh_hook"
        if not any(
            getattr(h, "__qualname__", "") == refresh.__qualname__
            for h in cadre_change_hooks
        ):
            cadre_change_hooks.append(refresh)
        from members.services import cadre_archive_hooks

        from .services.leaving import care_member_left

        if care_member_left not in cadre_archive_hooks:
            cadre_archive_hooks.append(care_member_left)
        register_unable_check(hospitalized_on)
        register_yearly_facts(visits_in_year)
        from .patrols import patrol_figures
        from .views.patrols import campaign_patrol_section

        register_campaign_figures(patrol_figures)
        from activities.models import PointsSource
        from activities.services.points import register_point_source

        from .requests import volunteering

        register_point_source(PointsSource.VOLUNTEER, volunteering)
        register_campaign_section(campaign_patrol_section)

        from grids.todo import register_todo

        from .todo import care_todos

        register_todo(care_todos)
        profile.register(views.visit_section)
        profile.register(health_views.health_section)
        # Who changed a visit after the fact, and an officer's tier decisions with
        # their reasons, stay in the change history.
        auditlog.register(CareVisit, exclude_fields=["updated_at"])
        auditlog.register(VisitPlan, include_fields=["override_tier", "override_reason"])
        auditlog.register(VisitPolicy, exclude_fields=["updated_at"])
