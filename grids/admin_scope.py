"""Admin lists scoped like the staff UI for administrators who are not superusers."""

from .selectors import scope_of


class UnitScopedAdmin:
    """Limits the changelist to rows whose `scope_unit_field` lies in the user's scope."""

    scope_unit_field = ""  # e.g. "unit__" or "" for OrgUnit itself

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        scope = scope_of(request.user)
        if scope.is_empty:
            return queryset.none()
        return queryset.filter(scope.q(self.scope_unit_field))
