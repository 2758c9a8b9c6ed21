from django.urls import path

from . import campaign_views

app_name = "campaigns"

urlpatterns = [
    path("", campaign_views.campaign_list, name="list"),
    path("<int:pk>/", campaign_views.campaign_detail, name="detail"),
    path("<int:pk>/roles/", campaign_views.campaign_role_new, name="role_new"),
    path("<int:pk>/serve/", campaign_views.campaign_serve_new, name="serve"),
    path("<int:pk>/entries/", campaign_views.campaign_entry_new, name="entry_new"),
]
