from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "grids"
    verbose_name = _("Organization tree and partners")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.contrib.auth import get_user_model

        from .models import OrgUnit, StaffAssignment, StaffProfile

        # The MPTT columns change with every move elsewhere in the tree: not history.
        auditlog.register(
            OrgUnit, exclude_fields=["lft", "rght", "tree_id", "level", "updated_at"]
        )
        auditlog.register(StaffAssignment)
        auditlog.register(StaffProfile)
        # Accounts: who was created, renamed, deactivated (never the password hash).
        auditlog.register(
            get_user_model(),
            include_fields=["username", "first_name", "last_name", "email", "is_active"],
        )
