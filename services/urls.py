from django.urls import path

from . import reminder_views, views

app_name = "visits"

urlpatterns = [
    path("mine/", views.my_visits, name="mine"),
    path("new/<int:cadre_pk>/", views.visit_new, name="new"),
    path("<int:pk>/edit/", views.visit_edit, name="edit"),
    path("<int:pk>/follow-up-done/", views.follow_up_mark_done, name="follow_up_done"),
    path("photos/<int:pk>/", views.visit_photo, name="photo"),
    path("hospital/<int:cadre_pk>/admit/", views.hospital_admit, name="admit"),
    path("hospital/<int:pk>/discharge/", views.hospital_discharge, name="discharge"),
    path("plan/<int:cadre_pk>/tier/", views.plan_tier, name="tier"),
    path(
        "birthdays/<int:unit_pk>/<int:year>/<int:month>/",
        reminder_views.collective_birthdays,
        name="birthdays",
    ),  # fmt: skip
]
