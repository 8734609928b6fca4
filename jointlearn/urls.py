"""URLs: accounts at /accounts/, every project under /p/<project-slug>/, sockets under /ws/."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from meetings import views as meeting_views
from surveys import views as survey_views

from . import sharing_views, views
from .forms import SignInForm
from .live import views as live_views

project_patterns = [
    path("", views.project_home, name="project_home"),
    path("dashboard/", views.project_dashboard, name="project_dashboard"),
    path("edit/", views.project_edit, name="project_edit"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path(
        "organisations/<int:organisation_id>/edit/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path(
        "organisations/<int:organisation_id>/delete/",
        views.organisation_delete,
        name="organisation_delete",
    ),
    path("members/", views.member_list, name="member_list"),
    path("members/<int:membership_id>/role/", views.membership_change, name="membership_change"),
    path("members/<int:membership_id>/remove/", views.membership_remove, name="membership_remove"),
    path(
        "invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("codes/", views.join_code_list, name="join_code_list"),
    path("guests/", views.guest_list, name="guest_list"),
    path("guests/<int:guest_id>/remove/", views.guest_remove, name="guest_remove"),
    path("codes/<int:join_code_id>/", views.join_code_detail, name="join_code_detail"),
    path("codes/<int:join_code_id>/toggle/", views.join_code_toggle, name="join_code_toggle"),
    path("live/", live_views.activity_list, name="live_list"),
    path("live/new/word-wall/", live_views.word_wall_create, name="word_wall_create"),
    path("live/<int:activity_id>/", live_views.activity_page, name="live_activity"),
    path("live/<int:activity_id>/console/", live_views.activity_console, name="live_console"),
    path("live/<int:activity_id>/projector/", live_views.activity_projector, name="live_projector"),
    path("live/<int:activity_id>/op/", live_views.activity_op, name="live_op"),
    path(
        "live/<int:activity_id>/export.csv",
        live_views.activity_export,
        {"fmt": "csv"},
        name="live_export_csv",
    ),
    path(
        "live/<int:activity_id>/export.json",
        live_views.activity_export,
        {"fmt": "json"},
        name="live_export_json",
    ),
    path(
        "live/<int:activity_id>/export.md",
        live_views.activity_export,
        {"fmt": "md"},
        name="live_export_md",
    ),
    path(
        "live/<int:activity_id>/export.pdf",
        live_views.activity_export,
        {"fmt": "pdf"},
        name="live_export_pdf",
    ),
    path("live/<int:activity_id>/share/", sharing_views.activity_share, name="live_share"),
    path(
        "meetings/<int:meeting_id>/share/",
        sharing_views.meeting_pack_share,
        name="meeting_pack_share",
    ),
    path("lobby/", views.project_lobby, name="project_lobby"),
    path("lobby/leave/", views.guest_leave, name="guest_leave"),
    path("practices/", include("practices.urls")),
    path("meetings/", include("meetings.urls")),
    path("reflections/", include("reflections.urls")),
    path("cafe/", include("learningcafe.urls")),
    path("surveys/", include("surveys.urls")),
    path("research/", views.research_page, name="research_page"),
    path("research/export/", views.research_export, name="research_export"),
    path("reports/", include("reports.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("help/", views.help_page, name="help_index"),
    path("help/img/<str:name>", views.help_picture, name="help_picture"),
    path("help/<slug:slug>/", views.help_page, name="help"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/my-data.json", views.my_data, name="my_data"),
    path("accounts/erase/", views.account_erase, name="account_erase"),
    path("accounts/erased/", views.account_erased, name="account_erased"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("language/", views.set_language, name="set_language"),
    path("projects/new/", views.project_create, name="project_create"),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join, name="join_code"),
    path("p/<slug:project_slug>/", include(project_patterns)),
    path("calendar/<str:token>/<str:scope>.ics", meeting_views.calendar_feed, name="calendar_feed"),
    path("accounts/consent/<int:project_id>/", views.consent_change, name="consent_change"),
    path("surveys/<int:survey_id>/<str:token>/", survey_views.survey_link, name="survey_link"),
    path("shared/<str:token>/", sharing_views.shared_output, name="shared_output"),
    path(
        "shared/<str:token>/output.<str:fmt>",
        sharing_views.shared_output_file,
        name="shared_output_file",
    ),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
