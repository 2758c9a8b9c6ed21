from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from activities import election_views, honour_views, report_views
from members import views as member_views

from . import account_views, handbook_views, health, upward_views, views
from .auth_views import GridpartyLoginView, locked_accounts, unlock_account

admin.site.site_header = _("gridparty — retired cadres' party building by grid")
admin.site.site_title = _("gridparty administration")
admin.site.index_title = _("Administration")


class FaviconRedirect(RedirectView):
    """The icon's hashed name is looked up when asked for, not when the URLs load
    (the manifest of collectstatic may not exist yet, e.g. for `check --deploy`)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.svg")


urlpatterns = [
    path("", views.home, name="home"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", FaviconRedirect.as_view(), name="favicon"),
    path("healthz/live", health.live, name="healthz_live"),
    path("healthz/ready", health.ready, name="healthz_ready"),
    path("units/", views.units, name="units"),
    path("cadres/", include("members.urls")),
    # The cadres' own pages (issue 23) and their staff side.
    # 我的手册 gathers every app, so it is the project package's (portal's session).
    path("my/handbook/", handbook_views.my_handbook, name="my_handbook"),
    path("my/handbook/<int:year>/", handbook_views.my_handbook, name="my_handbook_year"),
    path("my/", include("portal.urls")),
    path("portal/staff/", include("portal.urls_staff")),
    path("imports/", include("members.imports.urls")),
    path("visits/honours/", include("activities.urls")),
    path("meetings/", include("activities.meeting_urls")),
    path("campaigns/", include("activities.campaign_urls")),
    path("menu/", include("activities.menu_urls")),
    path("dues/", include("activities.dues_urls")),
    path(
        "honours/<int:year>/certificates.pdf",
        honour_views.certificates,
        name="honour_certificates",
    ),
    path(
        "honours/<int:year>/invitations/",
        honour_views.invitations,
        name="honour_invitations",
    ),
    path(
        "honours/political-birthdays/", honour_views.birthdays, name="political_birthdays"
    ),
    path("points/", include("activities.points_urls")),
    path("reviews/", include("activities.review_urls")),
    path("handbook/<int:cadre_pk>/<int:year>/", handbook_views.handbook, name="handbook"),
    path("compliance/", report_views.compliance_page, name="compliance"),
    path("elections/", election_views.election_page, name="elections"),
    path(
        "elections/<int:branch_pk>/",
        election_views.election_record,
        name="election_record",
    ),
    path("reports/upward/", upward_views.upward, name="upward_report"),
    path("participation/", report_views.participation_page, name="participation"),
    path("", include("services.urls")),
    path("audit/access/", member_views.access_log, name="access_log"),
    path("accounts/login/", GridpartyLoginView.as_view(), name="login"),
    path("accounts/me/", account_views.account, name="account"),
    path("accounts/staff/", account_views.staff_list, name="staff_list"),
    path("accounts/staff/new/", account_views.staff_new, name="staff_new"),
    path("accounts/staff/<int:pk>/", account_views.staff_detail, name="staff_detail"),
    path(
        "accounts/staff/<int:pk>/roles/<int:assignment_pk>/remove/",
        account_views.staff_role_remove,
        name="staff_role_remove",
    ),  # fmt: skip
    path(
        "accounts/staff/<int:pk>/active/", account_views.staff_active, name="staff_active"
    ),
    path("accounts/staff/<int:pk>/reset/", account_views.staff_reset, name="staff_reset"),
    path("accounts/locked/", locked_accounts, name="locked_accounts"),
    path("accounts/unlock/", unlock_account, name="unlock_account"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(
            success_url=reverse_lazy("password_change_done"),
            extra_context={"nav": "account"},
        ),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        views.password_changed,
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
