"""The learning trails of a practice and of a meeting, and the project pack's pages."""

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jointlearn.permissions import project_view
from meetings.views import get_meeting
from practices.views import get_practice
from surveys.permissions import can_manage_surveys

from . import pack as pack_files
from . import services, trail
from .models import ProjectPack
from .permissions import can_build_project_pack, can_follow_trails


@project_view(can_follow_trails)
def practice_trail(request, project, practice_id):
    practice = get_practice(request, project, practice_id)
    return render(
        request,
        "reports/practice_trail.html",
        {
            "project": project,
            "practice": practice,
            "trail": trail.practice_trail(practice, request.membership),
            "can_see_survey_results": can_manage_surveys(request.membership),
        },
    )


@project_view(can_follow_trails)
def meeting_trail(request, project, meeting_id):
    meeting = get_meeting(request, project, meeting_id)
    return render(
        request,
        "reports/meeting_trail.html",
        {
            "project": project,
            "meeting": meeting,
            "trail": trail.meeting_trail(meeting, request.membership),
            "can_see_survey_results": can_manage_surveys(request.membership),
        },
    )


# The project pack


def status_of(project, pack):
    return {
        "status": pack.status if not pack.has_failed else ProjectPack.Status.FAILED,
        "progress": pack.progress,
        "download": reverse("project_pack_download", args=[project.slug, pack.pk])
        if pack.is_ready
        else "",
    }


@project_view(can_build_project_pack)
def project_pack(request, project):
    language = translation.get_language()
    fingerprint = pack_files.fingerprint(project, language)
    packs = list(ProjectPack.objects.filter(project=project, language=language)[:10])
    building = next((pack for pack in packs if pack.is_building), None)
    ready = [pack for pack in packs if pack.is_ready]
    current = next((pack for pack in ready if pack.fingerprint == fingerprint), None)
    latest = packs[0] if packs else None
    return render(
        request,
        "reports/project_pack.html",
        {
            "project": project,
            "building": building,
            "current": current,
            "outdated": None if current else next(iter(ready), None),
            "failed": latest if latest is not None and latest.has_failed else None,
        },
    )


@require_POST
@project_view(can_build_project_pack)
def project_pack_build(request, project):
    pack, started = services.request_pack(
        project=project, requested_by=request.user, language=translation.get_language()
    )
    if pack.is_ready:
        messages.success(request, _("The project's data has not changed: this pack is current."))
    elif started:
        messages.success(
            request, _("The project pack is being built. You can leave this page meanwhile.")
        )
    return redirect("project_pack", project.slug)


def get_pack(project, pack_id):
    return get_object_or_404(ProjectPack, pk=pack_id, project=project)


@project_view(can_build_project_pack)
def project_pack_status(request, project, pack_id):
    """The build's progress, polled by the progress bar."""
    return JsonResponse(status_of(project, get_pack(project, pack_id)))


@project_view(can_build_project_pack)
def project_pack_download(request, project, pack_id):
    pack = get_pack(project, pack_id)
    if not pack.is_ready:
        raise Http404(_("This project pack is not ready."))
    return FileResponse(
        pack.file.open("rb"),
        as_attachment=True,
        filename=pack.file_name,
        content_type="application/zip",
    )
