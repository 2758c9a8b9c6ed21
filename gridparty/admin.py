from django.contrib import admin

from .models import SyntheticDataset


@admin.register(SyntheticDataset)
class SyntheticDatasetAdmin(admin.ModelAdmin):
    list_display = ["seed", "cadres", "anchor", "seconds", "bench_worker", "created_at"]
    readonly_fields = [f.name for f in SyntheticDataset._meta.fields]

    def has_add_permission(self, request):
        return False
