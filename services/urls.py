"""The care pages' addresses (one table for the app; the namespaces visits, health
and partners, and the inbox's names, stay as the templates know them)."""

from django.urls import include, path

from .views import (
    contact,
    coverage,
    funds,
    health,
    partners,
    patrols,
    reminders,
    requests,
    visits,
)

visit_patterns = [
    path("mine/", visits.my_visits, name="mine"),
    path("lost-contact/", contact.lost_contact_page, name="lost_contact"),
    path("new/<int:cadre_pk>/", visits.visit_new, name="new"),
    path("<int:pk>/edit/", visits.visit_edit, name="edit"),
    path("<int:pk>/follow-up-done/", visits.follow_up_mark_done, name="follow_up_done"),
    path("photos/<int:pk>/", visits.visit_photo, name="photo"),
    path("hospital/<int:cadre_pk>/admit/", visits.hospital_admit, name="admit"),
    path("hospital/<int:pk>/discharge/", visits.hospital_discharge, name="discharge"),
    path("plan/<int:cadre_pk>/tier/", visits.plan_tier, name="tier"),
    path(
        "birthdays/<int:unit_pk>/<int:year>/<int:month>/",
        reminders.collective_birthdays,
        name="birthdays",
    ),
]
health_patterns = [
    path("due/", health.health_due_page, name="due"),
    path("<int:cadre_pk>/", health.health_record, name="record"),
]
partner_patterns = [
    path("", partners.partner_list, name="list"),
    path("<int:pk>/", partners.partner_detail, name="detail"),
]

patrol_patterns = [
    path("campaigns/<int:campaign_pk>/", patrols.patrol_list, name="list"),
    path("campaigns/<int:campaign_pk>/new/", patrols.patrol_new, name="new"),
    path("<int:pk>/finding/", patrols.finding_follow_up, name="finding"),
    path("photos/<int:pk>/", patrols.patrol_photo, name="photo"),
]

request_patterns = [
    path("", requests.request_list, name="list"),
    path("<int:pk>/", requests.request_detail, name="detail"),
    path("<int:pk>/step/", requests.request_step, name="step"),
]

urlpatterns = [
    path("requests/", include((request_patterns, "requests"))),
    path("patrols/", include((patrol_patterns, "patrols"))),
    path("visits/", include((visit_patterns, "visits"))),
    path("coverage/", coverage.coverage_page, name="coverage"),
    path("care-funds/", funds.care_funds_page, name="care_funds"),
    path("health/", include((health_patterns, "health"))),
    path("partners/", include((partner_patterns, "partners"))),
    path("reminders/", reminders.inbox, name="inbox"),
    path("reminders/read/", reminders.mark_read, name="inbox_read"),
    path("reminders/e-mail/", reminders.email_choices, name="inbox_email"),
]
