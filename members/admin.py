from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.admin_import import ImportButtonAdmin
from grids.audit import access_log_record
from grids.models import AccessAction, OrgUnit, UnitKind

from .admin_scope import CadreScopedAdmin
from .dates import latest_birth_date_for_age
from .models import (
    BranchTransfer,
    Cadre,
    FamilyContact,
    Household,
    RankLevel,
)
from .selectors import (
    REVEAL_FIELDS,
    REVEALABLE,
    cadres_in_unit,
    cadres_visible_to,
    can_reveal,
)
from .services import cadre_transfer


@admin.register(RankLevel)
class RankLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name"]


class HouseholdCadreInline(admin.TabularInline):
    model = Cadre
    fields = ["name", "residence_unit", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["__str__", "notes"]
    search_fields = ["address", "cadres__name"]
    inlines = [HouseholdCadreInline]


class UnitSubtreeFilter(admin.SimpleListFilter):
    """Cadres whose branch or residence lies in the chosen unit's subtree."""

    title = _("unit")
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        units = OrgUnit.objects.filter(
            kind__in=[
                UnitKind.DISTRICT,
                UnitKind.TOWNSHIP,
                UnitKind.GRID,
                UnitKind.COMMUNITY,
                UnitKind.VILLAGE,
            ]
        ).order_by("tree_id", "lft")
        return [(str(u.pk), "\u3000" * u.level + u.name) for u in units]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            unit = OrgUnit.objects.get(pk=self.value())
        except (OrgUnit.DoesNotExist, ValueError):
            return queryset.none()
        return cadres_in_unit(queryset, unit)


class AgeBandFilter(admin.SimpleListFilter):
    title = _("age band")
    parameter_name = "age"
    BANDS = {
        "lt70": (None, 70),
        "70": (70, 80),
        "80": (80, 90),
        "90": (90, None),
    }

    def lookups(self, request, model_admin):
        return [
            ("lt70", _("under 70")),
            ("70", _("70–79")),
            ("80", _("80–89")),
            ("90", _("90 and over")),
        ]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value())
        if band is None:
            return queryset
        today = timezone.localdate()
        low, high = band
        if low is not None:
            # Aged at least `low`: born on or before today minus `low` years.
            queryset = queryset.filter(
                birth_date__lte=latest_birth_date_for_age(low, today)
            )
        if high is not None:
            queryset = queryset.filter(
                birth_date__gt=latest_birth_date_for_age(high, today)
            )
        return queryset


class RankListedFilter(admin.SimpleListFilter):
    title = _("rank in reference list")
    parameter_name = "rank_listed"

    def lookups(self, request, model_admin):
        return [("no", _("rank or benefit level not in the list"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(
                Q(original_rank_listed=False) | Q(benefit_level_listed=False)
            )
        return queryset


class FamilyContactInline(admin.TabularInline):
    model = FamilyContact
    extra = 0
    max_num = FamilyContact.MAX_PER_CADRE
    fields = ["position", "relation", "name", "phone", "phone2"]


class BranchTransferInline(admin.TabularInline):
    model = BranchTransfer
    fk_name = "cadre"
    extra = 0
    can_delete = False
    fields = ["on", "from_branch", "to_branch", "by", "note", "recorded_at"]
    readonly_fields = fields
    verbose_name_plural = _("branch transfer history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CadreAdminForm(forms.ModelForm):
    class Meta:
        model = Cadre
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose)

    def clean(self):
        data = super().clean()
        group, branch = data.get("party_group"), data.get("branch")
        branch_id = branch.pk if branch else None
        if (
            group
            and group.parent_id != branch_id
            and "party_group" not in self.changed_data
        ):
            # Moved to another branch: the old branch's group no longer applies.
            data["party_group"] = None
        return data


@admin.register(Cadre)
class CadreAdmin(ImportButtonAdmin, admin.ModelAdmin):
    import_kind = "roster"
    list_display = [
        "name",
        "masked_id",
        "sex",
        "age_display",
        "category",
        "branch",
        "residence_unit",
        "living_situation",
        "party_age_display",
        "status",
        "ranks_listed",
    ]
    list_select_related = ["branch", "residence_unit"]
    list_filter = [
        UnitSubtreeFilter,
        "category",
        AgeBandFilter,
        "status",
        "archive_reason",
        "is_party_member",
        "member_status",
        "living_situation",
        "mobility",
        "critically_ill",
        RankListedFilter,
    ]
    search_fields = ["name", "=id_number", "phone", "address"]
    inlines = [FamilyContactInline, BranchTransferInline]
    raw_id_fields = ["household"]
    form = CadreAdminForm
    readonly_fields = [
        "age_display",
        "party_age_display",
        "party_50_display",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            _("Identity"),
            {
                "fields": [
                    "name",
                    "id_number",
                    ("sex", "birth_date", "age_display"),
                    "ethnicity",
                    "phone",
                    "address",
                ]
            },
        ),
        (
            _("Career"),
            {
                "fields": [
                    ("category", "lixiu_period"),
                    ("original_rank", "benefit_level"),
                    "original_work_unit",
                    "retirement_date",
                ]
            },
        ),
        (
            _("Party"),
            {
                "fields": [
                    "is_party_member",
                    ("joined_party_on", "joined_party_precision"),
                    ("full_member_on", "full_member_precision"),
                    ("party_age_display", "party_50_display"),
                    "member_status",
                    "branch",
                    "party_group",
                    "residence_unit",
                ]
            },
        ),
        (
            _("Living and care"),
            {
                "fields": [
                    ("living_situation", "household"),
                    "mobility",
                    ("critically_ill", "disabled_or_cognitive", "in_hardship"),
                    "health_status",
                    "requests",
                    "medical_insurance",
                    ("designated_hospital", "designated_hospital2"),
                    "long_term_medicines",
                    "monthly_pension",
                ]
            },
        ),
        (
            _("Roster status"),
            {
                "fields": [
                    "status",
                    ("archive_reason", "archived_on"),
                    "transferred_to",
                    "archive_note",
                    ("created_at", "updated_at"),
                ]
            },
        ),
    ]

    def get_search_fields(self, request):
        # A search by ID number or phone confirms a guess: the staff UI's rules
        # (members/search.py) hold for everyone but superusers.
        if request.user.is_superuser:
            return self.search_fields
        return ["name", "address"]

    def _locked(self, request, obj) -> list[str]:
        """The reveal groups the user may not see for this cadre (REVEAL_ROLES)."""
        if obj is None or request.user.is_superuser:
            return []
        return [f for f in REVEALABLE if not can_reveal(request.user, obj, f)]

    def get_fieldsets(self, request, obj=None):
        hidden = {
            name for group in self._locked(request, obj) for name in REVEAL_FIELDS[group]
        }
        if not hidden:
            return super().get_fieldsets(request, obj)
        return [
            (title, {**options, "fields": [
                f for f in (
                    tuple(x for x in field if x not in hidden) if isinstance(field, tuple)
                    else (field if field not in hidden else None)
                    for field in options["fields"]
                ) if f
            ]})
            for title, options in super().get_fieldsets(request, obj)
        ]  # fmt: skip

    def get_inlines(self, request, obj):
        if "phone" in self._locked(request, obj):
            return [BranchTransferInline]
        return super().get_inlines(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = getattr(response, "context_data", {}).get("original")
        if request.method == "GET" and obj is not None and response.status_code == 200:
            shown = [f for f in REVEALABLE if f not in self._locked(request, obj)]
            access_log_record(request=request, action=AccessAction.VIEW,
                              object_type="cadre", object_id=obj.pk,
                              fields=",".join(shown), detail=_("%(name)s: the admin form") % {"name": obj.name})  # fmt: skip
        return response

    def get_queryset(self, request):
        queryset = super().get_queryset(request).with_rank_flags()
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=cadres_visible_to(request.user).values("pk"))

    def has_delete_permission(self, request, obj=None):
        # Nothing is ever hard-deleted: archive instead (DOMAIN.md).
        return False

    @admin.display(description=_("ID number"), ordering="id_number")
    def masked_id(self, obj: Cadre) -> str:
        return obj.masked_id_number

    @admin.display(description=_("age"), ordering="-birth_date")
    def age_display(self, obj: Cadre) -> str:
        return str(obj.age()) if obj.birth_date else "—"

    @admin.display(description=_("party standing (党龄)"))
    def party_age_display(self, obj: Cadre) -> str:
        years = obj.party_age() if obj.pk else None
        return "—" if years is None else str(years)

    @admin.display(description=_("50 years in the party on"))
    def party_50_display(self, obj: Cadre) -> str:
        when = obj.party_50_years_on() if obj.pk else None
        return when.isoformat() if when else "—"

    @admin.display(description=_("ranks listed"), boolean=True)
    def ranks_listed(self, obj: Cadre) -> bool:
        return bool(
            getattr(obj, "original_rank_listed", True)
            and getattr(obj, "benefit_level_listed", True)
        )

    def save_model(self, request, obj, form, change):
        if change and "branch" in form.changed_data and obj.branch_id:
            # A branch change is a transfer: it goes through the service and leaves
            # a history row. Save the other fields first with the old branch.
            new_branch = obj.branch
            obj.branch_id = Cadre.objects.values_list("branch_id", flat=True).get(
                pk=obj.pk
            )
            obj.save()
            cadre_transfer(
                cadre=obj,
                to_branch=new_branch,
                on=timezone.localdate(),
                by=request.user,
                note=str(_("changed in the admin")),
            )
            obj.refresh_from_db()
            return
        super().save_model(request, obj, form, change)


@admin.register(BranchTransfer)
class BranchTransferAdmin(CadreScopedAdmin, admin.ModelAdmin):
    list_display = ["cadre", "from_branch", "to_branch", "on", "by"]
    list_select_related = ["cadre", "from_branch", "to_branch", "by"]
    search_fields = ["cadre__name"]
    date_hierarchy = "on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
