from django.urls import path

from . import dues_views

app_name = "dues"

urlpatterns = [
    path("", dues_views.dues_ledger, name="ledger"),
    path("account/<int:pk>/", dues_views.dues_account, name="account"),
    path("receipt/<str:receipt>/", dues_views.dues_receipt, name="receipt"),
    path("summary/", dues_views.dues_summary, name="summary"),
]
