from django.urls import path

from .views import notices, opinions, staff

app_name = "portal_staff"

urlpatterns = [
    path("cadres/<int:pk>/sheet/", staff.sheet, name="sheet"),
    path("links/<int:pk>/revoke/", staff.revoke, name="revoke"),
    path("sessions/<int:pk>/end/", staff.end, name="end"),
    path("notices/", notices.staff_notices, name="notices"),
    path("notices/<int:pk>/", notices.staff_notice, name="notice"),
    path("notices/files/<int:pk>/", notices.staff_notice_file, name="notice_file"),
    path("opinions/", opinions.staff_opinions, name="opinions"),
    path("opinions/<int:pk>/answer/", opinions.staff_answer, name="answer"),
]
