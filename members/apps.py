from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Retired cadres")

    def ready(self) -> None:
        from grids.services import deactivation_guards

        from .services import active_cadres_guard

        if active_cadres_guard not in deactivation_guards:
            deactivation_guards.append(active_cadres_guard)

        from auditlog.registry import auditlog

        from .models import Cadre, FamilyContact

        auditlog.register(
            Cadre, exclude_fields=["name_initials", "created_at", "updated_at"]
        )
        auditlog.register(FamilyContact)
