from django.urls import path

from . import points_views

app_name = "points"

urlpatterns = [
    path("", points_views.ranking, name="ranking"),
    path("<int:cadre_pk>/<int:year>/", points_views.ledger, name="ledger"),
    path("awards/<int:pk>/decide/", points_views.decide, name="decide"),
]
