from django.urls import path

from . import views

app_name = "honours"

# Served under /visits/honours/ (the addresses reminders already link to).
urlpatterns = [
    path("<int:year>/", views.honours_50, name="list"),
    path("status/<int:pk>/", views.honour_status, name="status"),
]
