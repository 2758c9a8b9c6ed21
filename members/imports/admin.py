"""django-import-export's import button in the admin, for the cadres, the tree and
the partners: it leads to /imports/, so the admin imports through the same engine,
checks and history as everyone else (not through a ModelResource of its own)."""

from urllib.parse import urlencode

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from import_export.admin import ImportMixin

from grids.admin import OrgUnitAdmin, PartnerUnitAdmin
from grids.models import OrgUnit, PartnerUnit

from ..admin import CadreAdmin
from ..models import Cadre
from . import services
from .models import ImportKind


class EngineImportMixin(ImportMixin):
    import_kind: str = ""

    def has_import_permission(self, request):
        return services.may_import(request.user, self.import_kind)

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return redirect(
            f"{reverse('imports:home')}?{urlencode({'kind': self.import_kind})}"
        )


for model, base, kind in (
    (Cadre, CadreAdmin, ImportKind.ROSTER),
    (OrgUnit, OrgUnitAdmin, ImportKind.TREE),
    (PartnerUnit, PartnerUnitAdmin, ImportKind.PARTNERS),
):
    admin.site.unregister(model)
    admin.site.register(
        model,
        type(
            f"{model.__name__}ImportAdmin",
            (EngineImportMixin, base),
            {"import_kind": kind},
        ),
    )
