"""Surveys of a project, under /p/<project>/surveys/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("new/", views.survey_create, name="survey_create"),
    path("<int:survey_id>/", views.survey_detail, name="survey_detail"),
    path("<int:survey_id>/edit/", views.survey_edit, name="survey_edit"),
    path("<int:survey_id>/state/", views.survey_state, name="survey_state"),
    path("<int:survey_id>/send/", views.survey_send, name="survey_send"),
    path(
        "<int:survey_id>/translate/<str:language>/",
        views.survey_translate,
        name="survey_translate",
    ),
    path(
        "<int:survey_id>/questions/<int:question_id>/edit/",
        views.question_edit,
        name="question_edit",
    ),
    path(
        "<int:survey_id>/questions/<int:question_id>/move/",
        views.question_move,
        name="question_move",
    ),
    path(
        "<int:survey_id>/questions/<int:question_id>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path("<int:survey_id>/answer/", views.survey_answer, name="survey_answer"),
    path("<int:survey_id>/results/", views.survey_results, name="survey_results"),
    path("<int:survey_id>/results.csv", views.survey_export, name="survey_export"),
    path(
        "<int:survey_id>/results.md",
        views.survey_output_export,
        {"fmt": "md"},
        name="survey_export_md",
    ),
    path(
        "<int:survey_id>/results.json",
        views.survey_output_export,
        {"fmt": "json"},
        name="survey_export_json",
    ),
    path(
        "<int:survey_id>/results.pdf",
        views.survey_output_export,
        {"fmt": "pdf"},
        name="survey_export_pdf",
    ),
]
