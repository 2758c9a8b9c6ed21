from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "grids"
    verbose_name = _("Organization tree and partners")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import OrgUnit, StaffAssignment

        # The MPTT columns change with every move elsewhere in the tree: not history.
        auditlog.register(
            OrgUnit, exclude_fields=["lft", "rght", "tree_id", "level", "updated_at"]
        )
        auditlog.register(StaffAssignment)
