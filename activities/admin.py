from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from mptt.admin import TreeRelatedFieldListFilter

from grids.admin_scope import UnitScopedAdmin
from members.admin_scope import CadreScopedAdmin

from .models import (
    Activity,
    Attendance,
    BranchCommittee,
    BranchReview,
    Campaign,
    CampaignRole,
    CampaignService,
    CommitteeMember,
    DuesPolicy,
    Honour,
    MeetingKind,
    MeetingRule,
    PointsAward,
    PointsItem,
    PointsScheme,
)
from .services import activity_counts_refresh
from .services.points import points_recompute_unit


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["cadre"]
    fields = ["cadre", "status", "note"]


@admin.register(Activity)
class ActivityAdmin(UnitScopedAdmin, admin.ModelAdmin):
    scope_unit_field = "unit__"
    list_display = ["starts_at", "kind", "unit", "topic", "status", "expected_count",
                    "took_part_count"]  # fmt: skip
    list_filter = ["kind", "status", ("unit", TreeRelatedFieldListFilter)]
    list_select_related = ["unit", "kind"]
    search_fields = ["topic", "unit__name", "host"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["partners"]
    raw_id_fields = ["unit", "party_group"]
    readonly_fields = ["created_by", "created_at", "updated_at", "expected_count",
                       "took_part_count"]  # fmt: skip
    inlines = [AttendanceInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        activity_counts_refresh([form.instance])  # the stored counts follow the rows

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class MeetingRuleInline(admin.TabularInline):
    model = MeetingRule
    extra = 0
    fields = ["at_least", "per", "applies_to", "is_active", "note"]


@admin.register(MeetingKind)
class MeetingKindAdmin(admin.ModelAdmin):
    """Kinds and their rules are data: a township adds its kinds and enters its
    local scheme ("5+7") here, without code."""

    list_display = ["name", "code", "expected", "study_hours", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name", "code"]
    inlines = [MeetingRuleInline]

    def has_delete_permission(self, request, obj=None):
        # A kind with meetings is kept (PROTECT); one never used may go.
        return super().has_delete_permission(request, obj) and (
            obj is None or not obj.activities.exists()
        )


@admin.register(MeetingRule)
class MeetingRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "at_least", "per", "applies_to", "is_active", "note"]
    list_filter = ["per", "applies_to", "is_active"]
    list_select_related = ["kind"]


class CampaignRoleInline(admin.TabularInline):
    model = CampaignRole
    extra = 0
    show_change_link = True


@admin.register(Campaign)
class CampaignAdmin(UnitScopedAdmin, admin.ModelAdmin):
    scope_unit_field = "unit__"
    list_display = ["name", "unit", "start_on", "end_on"]
    search_fields = ["name"]
    raw_id_fields = ["unit"]
    inlines = [CampaignRoleInline]


class CampaignServiceInline(admin.TabularInline):
    model = CampaignService
    extra = 0
    autocomplete_fields = ["cadre"]


@admin.register(CampaignRole)
class CampaignRoleAdmin(UnitScopedAdmin, admin.ModelAdmin):
    scope_unit_field = "campaign__unit__"
    list_display = ["name", "campaign", "sort_order"]
    list_filter = ["campaign"]
    inlines = [CampaignServiceInline]


@admin.register(Honour)
class HonourAdmin(CadreScopedAdmin, admin.ModelAdmin):
    list_display = [
        "cadre",
        "kind",
        "title",
        "year",
        "status",
        "awarded_on",
        "awarding_body",
    ]
    list_filter = ["kind", "status", "year", "level"]
    list_select_related = ["cadre"]
    search_fields = ["cadre__name", "title", "awarding_body"]
    autocomplete_fields = ["cadre"]


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0
    autocomplete_fields = ["cadre"]


@admin.register(BranchCommittee)
class BranchCommitteeAdmin(UnitScopedAdmin, admin.ModelAdmin):
    scope_unit_field = "branch__"
    list_display = ["branch", "elected_on", "term_years", "term_ends_on"]
    list_select_related = ["branch"]
    date_hierarchy = "elected_on"
    inlines = [CommitteeMemberInline]

    @admin.display(description=_("term ends on"))
    def term_ends_on(self, obj: BranchCommittee):
        return obj.term_ends_on


# ---- points and the yearly review (issue 17) ------------------------------------------


class PointsItemInline(admin.TabularInline):
    model = PointsItem
    extra = 0
    fields = ["name", "source", "points", "cap_per_year", "sort_order"]


@admin.register(PointsScheme)
class PointsSchemeAdmin(UnitScopedAdmin, admin.ModelAdmin):
    """A township's (or a branch's) points for a year: rules are data."""

    scope_unit_field = "unit__"
    list_display = ["unit", "year", "base_score", "exempt_age", "exempt_mobility"]
    list_filter = ["year"]
    raw_id_fields = ["unit"]
    autocomplete_fields = ["exempt_cadres"]
    inlines = [PointsItemInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The ledgers follow the scheme (locked years stay as they are).
        counts = points_recompute_unit(form.instance.unit, form.instance.year)
        self.message_user(request, _("Points recomputed: %(created)s added, %(updated)s "
                                     "changed, %(deleted)s removed.") % counts)  # fmt: skip


@admin.register(PointsAward)
class PointsAwardAdmin(UnitScopedAdmin, admin.ModelAdmin):
    """Read only: proposals are made and decided on the points pages (by two people)."""

    scope_unit_field = "cadre__branch__"
    list_display = [
        "cadre",
        "year",
        "item",
        "points",
        "status",
        "proposed_by",
        "decided_by",
    ]
    list_filter = ["year", "status"]
    list_select_related = ["cadre", "item", "proposed_by", "decided_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BranchReview)
class BranchReviewAdmin(UnitScopedAdmin, admin.ModelAdmin):
    scope_unit_field = "branch__"
    list_display = ["branch", "year", "status", "submitted_at"]
    list_filter = ["year", "status"]
    raw_id_fields = ["branch"]
    readonly_fields = ["submitted_at"]


@admin.register(DuesPolicy)
class DuesPolicyAdmin(UnitScopedAdmin, admin.ModelAdmin):
    """A township's local rule narrowing the dues base (issue 21)."""

    scope_unit_field = "unit__"
    list_display = ["unit", "base_deduction", "note"]
    raw_id_fields = ["unit"]
