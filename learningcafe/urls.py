"""The café's own pages, under /p/<project>/cafe/; its live pages are the shared ones."""

from django.urls import path

from . import views

urlpatterns = [
    path("new/", views.cafe_create, name="cafe_create"),
    path("<int:cafe_id>/set-up/", views.cafe_edit, name="cafe_edit"),
    path("<int:cafe_id>/check-in/", views.cafe_check_in, name="cafe_check_in"),
    path("<int:cafe_id>/harvest/", views.cafe_harvest, name="cafe_harvest"),
    path(
        "<int:cafe_id>/harvest.md",
        views.cafe_harvest_export,
        {"fmt": "md"},
        name="cafe_harvest_md",
    ),
    path(
        "<int:cafe_id>/harvest.csv",
        views.cafe_harvest_export,
        {"fmt": "csv"},
        name="cafe_harvest_csv",
    ),
    path(
        "<int:cafe_id>/harvest.json",
        views.cafe_harvest_export,
        {"fmt": "json"},
        name="cafe_harvest_json",
    ),
]
