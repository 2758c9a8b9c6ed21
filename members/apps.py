from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Retired cadres")

    def ready(self) -> None:
        from grids.admin_import import import_permission_checks
        from grids.services import deactivation_guards

        from .imports.services import may_import
        from .services import active_cadres_guard

        if active_cadres_guard not in deactivation_guards:
            deactivation_guards.append(active_cadres_guard)
        if may_import not in import_permission_checks:
            import_permission_checks.append(may_import)

        from auditlog.registry import auditlog

        from .models import Cadre, FamilyContact

        auditlog.register(
            Cadre, exclude_fields=["name_initials", "created_at", "updated_at"]
        )
        auditlog.register(FamilyContact)

        from grids.todo import register_todo

        from .todo import roster_todos

        register_todo(roster_todos)
