from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from mptt.admin import MPTTModelAdmin, TreeRelatedFieldListFilter

from . import services
from .admin_import import ImportButtonAdmin
from .admin_scope import UnitScopedAdmin
from .models import (
    AccessLog,
    OrgUnit,
    Pairing,
    PairingService,
    PartnerUnit,
    StaffAssignment,
)


class OrgUnitAdminForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["parent", "kind", "name", "code", "is_active"]

    def clean(self):
        cleaned = super().clean()
        if (
            self.instance.pk
            and "is_active" in self.changed_data
            and cleaned.get("is_active") is False
        ):
            # Run the guards the service runs, so the user sees a message in the
            # form instead of an error page.
            problems = services.orgunit_deactivation_problems(self.instance.pk)
            if problems:
                self.add_error("is_active", problems)
        return cleaned


@admin.register(OrgUnit)
class OrgUnitAdmin(ImportButtonAdmin, UnitScopedAdmin, MPTTModelAdmin):
    import_kind = "tree"
    form = OrgUnitAdminForm
    list_display = ["name", "kind", "code", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    mptt_level_indent = 24
    list_per_page = 200

    def has_delete_permission(self, request, obj=None):
        # Units are closed (deactivated), never deleted: history points at them.
        return False

    def save_model(self, request, obj, form, change):
        # Every tree write goes through the locked tree service.
        if change:
            changes = {f: form.cleaned_data[f] for f in form.changed_data}
            saved = services.orgunit_update(unit=obj.pk, **changes) if changes else obj
        else:
            saved = services.orgunit_create(
                name=obj.name,
                kind=obj.kind,
                parent=obj.parent,
                code=obj.code,
                is_active=obj.is_active,
            )
        for field in ("pk", "tree_id", "lft", "rght", "level", "parent"):
            setattr(obj, field, getattr(saved, field))


class PairingServiceInline(admin.TabularInline):
    model = PairingService
    extra = 1


@admin.register(Pairing)
class PairingAdmin(UnitScopedAdmin, admin.ModelAdmin):
    scope_unit_field = "unit__"
    list_display = ["partner", "unit", "start_on", "end_on"]
    list_filter = ["partner__kind", ("unit", TreeRelatedFieldListFilter)]
    list_select_related = ["partner", "unit"]
    search_fields = ["partner__name", "unit__name"]
    autocomplete_fields = ["partner"]
    inlines = [PairingServiceInline]
    date_hierarchy = "start_on"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = OrgUnit.objects.filter(
                kind__in=["grid", "community", "village"]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PairingInline(admin.TabularInline):
    model = Pairing
    extra = 0
    fields = ["unit", "start_on", "end_on", "notes"]
    show_change_link = True


@admin.register(PartnerUnit)
class PartnerUnitAdmin(ImportButtonAdmin, admin.ModelAdmin):
    import_kind = "partners"
    list_display = ["name", "kind", "contact_person", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "contact_person"]
    inlines = [PairingInline]
    raw_id_fields = ["linked_unit"]


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(UnitScopedAdmin, admin.ModelAdmin):
    scope_unit_field = "unit__"
    list_display = ["user", "unit", "role", "created_at"]
    list_filter = ["role", ("unit", TreeRelatedFieldListFilter)]
    list_select_related = ["user", "unit"]
    search_fields = ["user__username", "user__first_name", "unit__name"]
    raw_id_fields = ["user"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the access log cannot be altered by anyone through the application."""

    list_display = ["at", "user", "action", "object_type", "object_id", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["user__username", "object_id", "detail"]
    date_hierarchy = "at"
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StaffAssignmentInline(admin.TabularInline):
    model = StaffAssignment
    extra = 0
    verbose_name_plural = _("scopes (staff assignments)")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class GridpartyUserAdmin(UserAdmin):
    inlines = [StaffAssignmentInline]


# The change history (django-auditlog) holds old and new values of every registered
# model across the whole tree, unscoped: only superusers read it in the admin. Staff
# read a cadre's history on the profile (officers), scoped like the profile itself.
admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class SuperuserLogEntryAdmin(LogEntryAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser
