"""Pages of shared outputs: publishing and revoking (facilitators and coordinators), and the
shared page itself, open to anyone with its link until it is revoked."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings import pack
from meetings.agenda import agenda_days
from meetings.models import Meeting

from . import outputs, sharing
from .live.views import activity_for
from .permissions import can_share_outputs, project_view


def back_to(request, fallback):
    """Where a publish or revoke form came from, if it is a page of this site."""
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(fallback)


def share_or_revoke(request, project, *, activity=None, meeting=None):
    if request.POST.get("action") == "revoke":
        share = sharing.live_share(activity=activity, meeting=meeting)
        if share is None:
            messages.info(request, _("This output was not shared."))
        else:
            sharing.revoke(share=share)
            messages.success(request, _("No longer shared: its link now shows that it is gone."))
        return
    try:
        sharing.publish(
            project=project, created_by=request.user, activity=activity, meeting=meeting
        )
    except sharing.CannotShare as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Shared with the participants. Members see it on the meeting page; "
                "give guests the link."
            ),
        )


@require_POST
@project_view(can_share_outputs)
def activity_share(request, project, activity_id):
    activity = activity_for(request, project, activity_id)
    if outputs.activity_output(activity) is None:
        raise Http404(_("This activity has nothing to export."))
    share_or_revoke(request, project, activity=activity)
    return back_to(request, activity.get_absolute_url())


@require_POST
@project_view(can_share_outputs)
def meeting_pack_share(request, project, meeting_id):
    meeting = get_object_or_404(Meeting, pk=meeting_id, project=project)
    share_or_revoke(request, project, meeting=meeting)
    return back_to(request, meeting.get_absolute_url())


def gone(request):
    return render(request, "jointlearn/share_gone.html", status=404)


def shared_output(request, token):
    """The shared page: open to anyone with the link, without an account."""
    share = sharing.find(token)
    if share is None:
        return gone(request)
    context = {"share": share, "project": share.project}
    if share.activity_id:
        output = outputs.activity_output(share.activity, audience=outputs.SHARED)
        if output is None:
            return gone(request)
        context["outputs"] = [output]
    else:
        meeting = share.meeting
        context["meeting"] = meeting
        context["days"] = agenda_days(meeting, viewer_zone=meeting.zone)
        context["outputs"] = [
            output
            for _activity, output in pack.activity_outputs(
                pack.activities_of(meeting), outputs.SHARED
            )
        ]
    return render(request, "jointlearn/shared_output.html", context)


def shared_output_file(request, token, fmt):
    share = sharing.find(token)
    if share is None:
        return gone(request)
    if share.meeting_id:
        if fmt != "zip":
            return gone(request)
        name, content = pack.build(request, share.meeting, audience=outputs.SHARED)
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    if fmt not in outputs.FORMATS:
        return gone(request)
    output = outputs.activity_output(share.activity, audience=outputs.SHARED)
    if output is None:
        return gone(request)
    return outputs.download(output, fmt, request)
