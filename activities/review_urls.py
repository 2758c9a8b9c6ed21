from django.urls import path

from . import review_views

app_name = "reviews"

urlpatterns = [
    path("", review_views.progress, name="progress"),
    path("<int:branch_pk>/<int:year>/", review_views.branch_review, name="branch"),
]
