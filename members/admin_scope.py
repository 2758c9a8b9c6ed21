"""Admin lists about cadres, scoped like the staff UI for non-superusers."""

from grids.admin_scope import IntegerIdAdmin

from .selectors import cadres_visible_to


class CadreScopedAdmin(IntegerIdAdmin):
    """Limits the changelist to rows about cadres visible to the user."""

    scope_cadre_field = "cadre"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        visible = cadres_visible_to(request.user).values("pk")
        return queryset.filter(**{f"{self.scope_cadre_field}__in": visible}).distinct()
