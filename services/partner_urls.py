from django.urls import path

from . import partner_views

app_name = "partners"

urlpatterns = [
    path("", partner_views.partner_list, name="list"),
    path("<int:pk>/", partner_views.partner_detail, name="detail"),
]
