from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.imports_home, name="home"),
    path("template/<slug:kind>.xlsx", views.import_template, name="template"),
    path("demo-roster.xlsx", views.demo_roster, name="demo_roster"),
    path("<uuid:pk>/", views.import_detail, name="detail"),
    path("<uuid:pk>/progress/", views.import_progress, name="progress"),
    path("<uuid:pk>/confirm/", views.import_confirm, name="confirm"),
    path("<uuid:pk>/cancel/", views.import_cancel, name="cancel"),
    path("<uuid:pk>/choose/", views.import_choose, name="choose"),
    path("<uuid:pk>/errors.xlsx", views.import_error_file, name="error_file"),
]
