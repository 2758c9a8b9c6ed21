from django.urls import path

from . import meeting_views, upcoming_views

app_name = "meetings"

urlpatterns = [
    path("", meeting_views.meeting_list, name="list"),
    path("new/", meeting_views.meeting_new, name="new"),
    path("upcoming/", upcoming_views.upcoming, name="upcoming"),
    path("<int:pk>/", meeting_views.meeting_detail, name="detail"),
    path("files/<int:pk>/", meeting_views.meeting_file, name="file"),
]
