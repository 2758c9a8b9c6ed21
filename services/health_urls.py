from django.urls import path

from . import health_views

app_name = "health"

urlpatterns = [
    path("due/", health_views.health_due_page, name="due"),
    path("<int:cadre_pk>/", health_views.health_record, name="record"),
]
