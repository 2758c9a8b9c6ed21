"""django-import-export's import button in the admin, for the cadres, the tree and
the partners: it leads to /imports/, so the admin imports through the same engines,
checks and history as everyone else (not through a ModelResource of its own).

The imports live in `members`; who may import what is asked of the checks that app
registers here (`import_permission_checks`, filled in MembersConfig.ready), so
grids' own admin classes carry the button without importing a higher app.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from import_export.admin import ImportMixin

# (user, kind) → may this user import this kind (members.imports.services.may_import).
import_permission_checks: list[Callable[..., bool]] = []


class ImportButtonAdmin(ImportMixin):
    import_kind: str = ""  # "roster", "tree" or "partners" (members.imports.ImportKind)

    def has_import_permission(self, request):
        return any(
            check(request.user, self.import_kind) for check in import_permission_checks
        )

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        return redirect(
            f"{reverse('imports:home')}?{urlencode({'kind': self.import_kind})}"
        )
