"""Pages of live activities: the list, opening a word wall, the participant page, the
facilitator's console, the projector view, the no-JavaScript fallback and the exports."""

import uuid

import segno
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import outputs
from ..models import LiveActivity
from ..permissions import (
    activities_open_to_guest,
    can_guest_use_activity,
    can_run_live_activities,
    project_view,
)
from . import protocol
from .broadcast import project_changed
from .wordwall import WordWallForm, create_word_wall


def activity_for(request, project, activity_id):
    """The activity if this member or admitted guest may use it; 404 otherwise."""
    activity = get_object_or_404(
        LiveActivity.objects.select_related("join_code", "project"),
        pk=activity_id,
        project=project,
    )
    if request.membership is None and not can_guest_use_activity(request.guest, activity):
        raise Http404(_("No such activity, or your code does not open it."))
    return activity


# Participants see activities while they run; prepared ones wait for their agenda slot.
PARTICIPANTS_SEE = (LiveActivity.State.OPEN, LiveActivity.State.LOCKED)


def actor_of(request):
    return protocol.Actor(membership=request.membership, guest=request.guest)


def socket_path(activity):
    return f"/ws/p/{activity.project.slug}/live/{activity.pk}/"


def qr_svg(url):
    return segno.make(url, error="m").svg_inline(scale=10, border=2, dark="#111", omitsize=True)


@project_view(allow_guests=True)
def activity_list(request, project):
    activities = project.live_activities.select_related("join_code")
    can_run = can_run_live_activities(request.membership)
    if not can_run:
        activities = activities.filter(state__in=PARTICIPANTS_SEE)
        if request.guest is not None:
            activities = activities_open_to_guest(request.guest, activities)
    return render(
        request,
        "jointlearn/live/activity_list.html",
        {
            "project": project,
            "activities": activities,
            "can_run": can_run,
            "new_links": new_activity_links(project) if can_run else [],
        },
    )


def new_activity_links(project):
    """The "set one up" buttons, one per kind that has a page for it."""
    return [
        {
            "url": reverse(definition.create_url, args=[project.slug]),
            "label": definition.create_label,
        }
        for definition in protocol.KINDS.values()
        if definition.create_url
    ]


@project_view(can_run_live_activities)
def word_wall_create(request, project):
    form = WordWallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        activity = create_word_wall(project=project, created_by=request.user, **form.cleaned_data)
        project_changed(project, "live")
        messages.success(
            request,
            _("The word wall is open. People join with the code %(code)s.")
            % {"code": activity.join_code.code},
        )
        return redirect("live_console", project_slug=project.slug, activity_id=activity.pk)
    return render(request, "jointlearn/live/wordwall_form.html", {"project": project, "form": form})


def page_context(request, activity, role):
    """What every live page has: the snapshot, the join URL, the QR code and the socket;
    the kind adds its own (protocol.Kind.context)."""
    actor = actor_of(request)
    snapshot = protocol.snapshot(activity, actor)
    join_url = request.build_absolute_uri(activity.join_code.get_join_url())
    context = {
        "project": activity.project,
        "activity": activity,
        "snapshot": snapshot,
        "join_url": join_url,
        "join_host": request.build_absolute_uri("/join/"),
        "fresh_op_id": uuid.uuid4().hex,
        "live_config": {
            "socket": socket_path(activity),
            "role": role,
            "outbox": f"{activity.pk}:{actor.key}",
        },
    }
    if role != "participant":
        context["qr_svg"] = qr_svg(join_url)
    definition = protocol.definition_of(activity)
    if definition.context is not None:
        context.update(definition.context(request, activity, role, snapshot))
    return context


def render_page(request, activity, role):
    template = protocol.definition_of(activity).templates[role]
    return render(request, template, page_context(request, activity, role))


@project_view(allow_guests=True)
def activity_page(request, project, activity_id):
    activity = activity_for(request, project, activity_id)
    if activity.is_prepared and not can_run_live_activities(request.membership):
        return render(
            request,
            "jointlearn/live/not_started.html",
            {"project": project, "activity": activity},
        )
    return render_page(request, activity, "participant")


@project_view(can_run_live_activities)
def activity_console(request, project, activity_id):
    activity = activity_for(request, project, activity_id)
    return render_page(request, activity, "console")


@project_view(can_run_live_activities)
def activity_projector(request, project, activity_id):
    activity = activity_for(request, project, activity_id)
    return render_page(request, activity, "projector")


@require_POST
@project_view(allow_guests=True)
def activity_op(request, project, activity_id):
    """The same operations as the socket, from plain forms: pages work without JavaScript."""
    activity = activity_for(request, project, activity_id)
    # A field posted several times (ticked boxes of one name) keeps every value, as a list.
    data = {
        key: values[0] if len(values) == 1 else values
        for key, values in request.POST.lists()
        if key not in {"csrfmiddlewaretoken", "op", "id", "next"}
    }
    try:
        protocol.apply_op(
            activity_id=activity.pk,
            actor=actor_of(request),
            op_id=request.POST.get("id", ""),
            op=request.POST.get("op", ""),
            data=data,
        )
    except protocol.LiveError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved."))
    back = "live_console" if request.POST.get("next") == "console" else "live_activity"
    return redirect(back, project_slug=project.slug, activity_id=activity.pk)


@project_view(can_run_live_activities)
def activity_export(request, project, activity_id, fmt):
    """The activity's results as Markdown, CSV, JSON or PDF (jointlearn/outputs.py)."""
    activity = activity_for(request, project, activity_id)
    output = outputs.activity_output(activity)
    if output is None:
        raise Http404(_("This activity has nothing to export."))
    return outputs.download(output, fmt, request)
