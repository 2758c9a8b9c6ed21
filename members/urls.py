from django.urls import path

from . import relation_views, talent_views, views

app_name = "members"

urlpatterns = [
    path("", views.cadre_list, name="cadre_list"),
    path("new/", views.cadre_create, name="cadre_create"),
    path("export/", views.cadre_export, name="cadre_export"),
    path("template.xlsx", views.roster_template, name="roster_template"),
    path("<int:pk>/", views.cadre_detail, name="cadre_detail"),
    path("<int:pk>/edit/", views.cadre_edit, name="cadre_edit"),
    path("<int:pk>/archive/", views.cadre_archive_view, name="cadre_archive"),
    path("<int:pk>/transfer/", views.cadre_transfer_view, name="cadre_transfer"),
    path("<int:pk>/reveal/", views.cadre_reveal, name="cadre_reveal"),
    path("talents/", talent_views.talent_pool, name="talent_pool"),
    path("relations/", relation_views.relations_page, name="relations"),
    path(
        "relations/<int:pk>/letter/",
        relation_views.relation_letter,
        name="relation_letter",
    ),
    path("<int:pk>/transfer-out/", relation_views.relation_out, name="relation_out"),
    path("<int:pk>/talents/", talent_views.cadre_talents, name="cadre_talents"),
]
