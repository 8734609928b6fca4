"""Meetings of a project, under /p/<project>/meetings/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("calendar/", views.calendar_links, name="calendar_links"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:task_id>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:task_id>/done/", views.task_toggle, name="task_toggle"),
    path("icebreakers/", views.icebreaker_list, name="icebreaker_list"),
    path("icebreakers/new/", views.icebreaker_create, name="icebreaker_create"),
    path("icebreakers/<int:icebreaker_id>/", views.icebreaker_detail, name="icebreaker_detail"),
    path("icebreakers/<int:icebreaker_id>/edit/", views.icebreaker_edit, name="icebreaker_edit"),
    path("<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:meeting_id>/duplicate/", views.meeting_duplicate, name="meeting_duplicate"),
    path("<int:meeting_id>/agenda/", views.meeting_agenda, name="meeting_agenda"),
    path(
        "<int:meeting_id>/days/<int:day_id>/",
        views.agenda_day_edit,
        name="agenda_day_edit",
    ),
    path(
        "<int:meeting_id>/days/<int:day_id>/items/new/",
        views.agenda_item_create,
        name="agenda_item_create",
    ),
    path(
        "<int:meeting_id>/items/<int:item_id>/edit/",
        views.agenda_item_edit,
        name="agenda_item_edit",
    ),
    path(
        "<int:meeting_id>/items/<int:item_id>/delete/",
        views.agenda_item_delete,
        name="agenda_item_delete",
    ),
    path(
        "<int:meeting_id>/items/<int:item_id>/move/",
        views.agenda_item_move,
        name="agenda_item_move",
    ),
    path(
        "<int:meeting_id>/items/<int:item_id>/prepare/",
        views.agenda_item_prepare,
        name="agenda_item_prepare",
    ),
    path(
        "<int:meeting_id>/items/<int:item_id>/open/",
        views.agenda_item_open,
        name="agenda_item_open",
    ),
    path("<int:meeting_id>/print/", views.meeting_print, name="meeting_print"),
    path("<int:meeting_id>/agenda.pdf", views.meeting_pdf, name="meeting_pdf"),
    path("<int:meeting_id>/register/", views.meeting_register, name="meeting_register"),
    path("<int:meeting_id>/unregister/", views.meeting_unregister, name="meeting_unregister"),
    path("<int:meeting_id>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path(
        "<int:meeting_id>/attendance/<int:registration_id>/",
        views.attendance_check,
        name="attendance_check",
    ),
    path("<int:meeting_id>/needs/", views.meeting_needs, name="meeting_needs"),
    path("<int:meeting_id>/material/new/", views.material_create, name="material_create"),
    path(
        "<int:meeting_id>/material/<int:material_id>/file/",
        views.material_download,
        name="material_download",
    ),
    path(
        "<int:meeting_id>/material/<int:material_id>/delete/",
        views.material_delete,
        name="material_delete",
    ),
    path("<int:meeting_id>/assignments/new/", views.assignment_create, name="assignment_create"),
    path(
        "<int:meeting_id>/assignments/<int:assignment_id>/",
        views.assignment_detail,
        name="assignment_detail",
    ),
    path(
        "<int:meeting_id>/assignments/<int:assignment_id>/edit/",
        views.assignment_edit,
        name="assignment_edit",
    ),
    path(
        "<int:meeting_id>/assignments/<int:assignment_id>/status/",
        views.assignment_status,
        name="assignment_status",
    ),
    path(
        "<int:meeting_id>/assignments/<int:assignment_id>/submissions/<int:submission_id>/file/",
        views.submission_download,
        name="submission_download",
    ),
    path("<int:meeting_id>/door/", views.meeting_door, name="meeting_door"),
    path("<int:meeting_id>/door/renew/", views.meeting_door_renew, name="meeting_door_renew"),
    path(
        "<int:meeting_id>/check-in/<str:token>/",
        views.meeting_check_in,
        name="meeting_check_in",
    ),
]
