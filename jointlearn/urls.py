"""URLs: accounts at /accounts/, every project under /p/<project-slug>/, sockets under /ws/."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from meetings import views as meeting_views

from . import views

project_patterns = [
    path("", views.project_home, name="project_home"),
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
    path("codes/<int:join_code_id>/", views.join_code_detail, name="join_code_detail"),
    path("codes/<int:join_code_id>/toggle/", views.join_code_toggle, name="join_code_toggle"),
    path("lobby/", views.project_lobby, name="project_lobby"),
    path("lobby/leave/", views.guest_leave, name="guest_leave"),
    path("meetings/", include("meetings.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/profile/", views.profile, name="profile"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("language/", views.set_language, name="set_language"),
    path("projects/new/", views.project_create, name="project_create"),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join, name="join_code"),
    path("p/<slug:project_slug>/", include(project_patterns)),
    path("calendar/<str:token>/<str:scope>.ics", meeting_views.calendar_feed, name="calendar_feed"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
