"""URLs of the practice library, under /p/<project>/practices/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.practice_list, name="practice_list"),
    path("new/", views.practice_create, name="practice_create"),
    path("matrix/", views.transferability_matrix, name="transferability_matrix"),
    path("settings/", views.library_settings, name="library_settings"),
    path("assignments/", views.my_assignments, name="my_assignments"),
    path("rounds/", views.round_list, name="round_list"),
    path("pitches/new/", views.pitch_session_create, name="pitch_session_create"),
    path(
        "pitches/<int:pitch_session_id>/setup/", views.pitch_session_edit, name="pitch_session_edit"
    ),
    path("rounds/<int:round_id>/", views.round_detail, name="round_detail"),
    path("rounds/<int:round_id>/remind/", views.round_remind, name="round_remind"),
    path("rounds/<int:round_id>/close/", views.round_close, name="round_close"),
    path("<int:practice_id>/", views.practice_detail, name="practice_detail"),
    path("<int:practice_id>/edit/", views.practice_edit, name="practice_edit"),
    path("<int:practice_id>/delete/", views.practice_delete, name="practice_delete"),
    path("<int:practice_id>/evaluate/", views.practice_evaluate, name="practice_evaluate"),
    path(
        "<int:practice_id>/files/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "<int:practice_id>/pictures/<int:picture_id>/<str:variant>/",
        views.picture,
        name="picture",
    ),
    path("<int:practice_id>/comments/", views.comment_add, name="comment_add"),
    path(
        "<int:practice_id>/comments/<int:comment_id>/hide/",
        views.comment_hide,
        name="comment_hide",
    ),
    path("<int:practice_id>/applied/", views.transfer_create, name="transfer_create"),
]
