from django.urls import path

from . import menu_views

app_name = "menu"

urlpatterns = [
    path("", menu_views.menu_page, name="page"),
    path("cadre/<int:pk>/", menu_views.menu_cadre, name="cadre"),
    path("<int:pk>/", menu_views.menu_activity, name="activity"),
    path("<int:pk>/signup/", menu_views.menu_signup, name="signup"),
    path("<int:pk>/cancel/", menu_views.menu_cancel, name="cancel"),
]
