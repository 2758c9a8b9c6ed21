"""Admin lists scoped like the staff UI for administrators who are not superusers."""

from .params import ids_from
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


class IntegerIdAdmin:
    """An id in the admin's URL that is not a database integer (too many digits, not
    ASCII digits) finds nothing ("does not exist"), never a database error. Django
    guards its own auto ids; a key that is also a relation (a plan's cadre) is not."""

    def get_object(self, request, object_id, from_field=None):
        field = (
            self.model._meta.get_field(from_field) if from_field else self.model._meta.pk
        )
        target = getattr(field, "target_field", field)
        if target.get_internal_type() in (
            "AutoField", "BigAutoField", "IntegerField", "BigIntegerField",
        ) and not ids_from([str(object_id)]):  # fmt: skip
            return None
        return super().get_object(request, object_id, from_field)


class RecordedByAdmin:
    """A row added in the admin is recorded by the admin's user (models with
    `grids.models.RecordedBy`)."""

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
