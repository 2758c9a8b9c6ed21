from django.urls import path

from .views import cadre, meetings, menu, notices, opinions, requests

app_name = "portal"

urlpatterns = [
    path("", cadre.home, name="home"),
    path("signin/", cadre.signin, name="signin"),
    path("signin/code/", cadre.code, name="code"),
    path("signin/choose/", cadre.choose, name="choose"),
    path("link/<str:token>/", cadre.link, name="link"),
    path("signout/", cadre.signout, name="signout"),
    path("notices/", notices.my_notices, name="notices"),
    path("notices/<int:pk>/", notices.my_notice, name="notice"),
    path("notices/files/<int:pk>/", notices.my_notice_file, name="notice_file"),
    path("opinions/", opinions.my_opinions, name="opinions"),
    path("requests/", requests.my_requests, name="requests"),
    path("activities/", menu.my_menu, name="menu"),
    path("meetings/", meetings.my_meetings, name="meetings"),
    path("meetings/<int:pk>/leave/", meetings.leave, name="leave"),
    path("activities/<int:pk>/signup/", menu.sign_up, name="signup"),
    path("activities/<int:pk>/cancel/", menu.cancel, name="cancel"),
]
