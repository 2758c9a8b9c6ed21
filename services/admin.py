from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from grids.admin_scope import RecordedByAdmin, UnitScopedAdmin
from members.admin_scope import CadreScopedAdmin

from .models import (
    CareFund,
    CareVisit,
    CareVisitKind,
    HealthCheck,
    Hospitalization,
    VisitedCadre,
    VisitOutcome,
    VisitPlan,
    VisitPolicy,
)
from .plans import visit_plans_refresh
from .services import visit_plan_override, visit_sync_links


class AtLeastOneFormSet(BaseInlineFormSet):
    """A visit needs at least one cadre and one kind (as visit_log enforces)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validate_min = True


class CareVisitKindInline(admin.TabularInline):
    model = CareVisitKind
    formset = AtLeastOneFormSet
    min_num = 1
    extra = 0


class VisitedCadreInline(admin.TabularInline):
    model = VisitedCadre
    formset = AtLeastOneFormSet
    min_num = 1
    extra = 0
    fields = ["cadre"]
    autocomplete_fields = ["cadre"]


@admin.register(CareVisit)
class CareVisitAdmin(RecordedByAdmin, CadreScopedAdmin, admin.ModelAdmin):
    scope_cadre_field = "visited__cadre"
    list_display = ["visited_on", "outcome", "partner", "recorded_by", "follow_up_due"]
    list_filter = ["outcome", "kinds__kind", "partner"]
    list_select_related = ["partner", "recorded_by"]
    search_fields = ["visited__cadre__name", "notes", "partner_staff"]
    date_hierarchy = "visited_on"
    filter_horizontal = ["visitors"]
    readonly_fields = ["recorded_by", "created_at", "updated_at"]
    inlines = [CareVisitKindInline, VisitedCadreInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is VisitedCadre:
            for link in formset.save(commit=False):
                link.visited_on = form.instance.visited_on
                link.met = form.instance.outcome == VisitOutcome.MET
                link.save()
            for gone in formset.deleted_objects:
                gone.delete()
            return
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        visit_sync_links(visit=form.instance)


@admin.register(Hospitalization)
class HospitalizationAdmin(RecordedByAdmin, CadreScopedAdmin, admin.ModelAdmin):
    list_display = ["cadre", "hospital", "admitted_on", "discharged_on"]
    list_select_related = ["cadre"]
    search_fields = ["cadre__name", "hospital"]
    autocomplete_fields = ["cadre"]
    date_hierarchy = "admitted_on"
    readonly_fields = ["recorded_by"]


@admin.register(HealthCheck)
class HealthCheckAdmin(RecordedByAdmin, CadreScopedAdmin, admin.ModelAdmin):
    list_display = ["cadre", "checked_on", "provider", "partner"]
    list_select_related = ["cadre", "partner"]
    search_fields = ["cadre__name", "provider"]
    autocomplete_fields = ["cadre"]
    date_hierarchy = "checked_on"
    readonly_fields = ["recorded_by"]


@admin.register(VisitPolicy)
class VisitPolicyAdmin(admin.ModelAdmin):
    """The visit plan's rules: one row; saving it recomputes every plan."""

    list_display = ["__str__", "high_age", "high_days", "priority_days", "general_days"]

    def has_add_permission(self, request):
        return not VisitPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        visit_plans_refresh()


@admin.register(VisitPlan)
class VisitPlanAdmin(CadreScopedAdmin, admin.ModelAdmin):
    list_display = ["cadre", "tier", "override_tier", "last_contact_on", "next_due_on"]
    list_filter = ["tier"]
    search_fields = ["cadre__name", "cadre__name_initials"]
    readonly_fields = ["cadre", "tier", "last_contact_on", "next_due_on", "since"]
    fields = [*readonly_fields, "override_tier", "override_reason"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        visit_plan_override(
            cadre=obj.cadre,
            tier=obj.override_tier,
            reason=obj.override_reason,
            by=request.user,
        )


@admin.register(CareFund)
class CareFundAdmin(UnitScopedAdmin, admin.ModelAdmin):
    """A township's hardship and condolence funds for a year (issue 21)."""

    scope_unit_field = "unit__"
    list_display = ["year", "source", "unit", "allocated"]
    list_filter = ["year"]
    raw_id_fields = ["unit"]
