"""Pages of live activities: the list, opening a word wall, the participant page, the
facilitator's console, the projector view, the no-JavaScript fallback and the exports."""

import csv
import uuid

import segno
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..exports import spreadsheet_safe
from ..models import LiveActivity
from ..permissions import (
    activities_open_to_guest,
    can_guest_use_activity,
    can_run_live_activities,
    project_view,
)
from . import protocol
from .broadcast import project_changed
from .wordwall import WordWallForm, cloud, create_word_wall, export_rows


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


def actor_of(request):
    return protocol.Actor(membership=request.membership, guest=request.guest)


def socket_path(activity):
    return f"/ws/p/{activity.project.slug}/live/{activity.pk}/"


def qr_svg(url):
    return segno.make(url, error="m").svg_inline(scale=10, border=2, dark="#111", omitsize=True)


def with_levels(words):
    """Each word with a size from 1 to 6 by its count, for the page drawn without JavaScript."""
    top = max((word["count"] for word in words), default=1)
    for word in words:
        word["level"] = 1 + round(5 * (word["count"] - 1) / (top - 1)) if top > 1 else 3
    return words


@project_view(allow_guests=True)
def activity_list(request, project):
    activities = project.live_activities.select_related("join_code")
    if not can_run_live_activities(request.membership):
        activities = activities.exclude(state=LiveActivity.State.ENDED)
        if request.guest is not None:
            activities = activities_open_to_guest(request.guest, activities)
    return render(
        request,
        "jointlearn/live/activity_list.html",
        {
            "project": project,
            "activities": activities,
            "can_run": can_run_live_activities(request.membership),
        },
    )


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
    actor = actor_of(request)
    snapshot = protocol.snapshot(activity, actor)
    words = with_levels(snapshot["state"]["wall"]["words"])
    join_url = request.build_absolute_uri(activity.join_code.get_join_url())
    return {
        "project": activity.project,
        "activity": activity,
        "snapshot": snapshot,
        "wall": snapshot["state"]["wall"],
        "words": words,
        "join_url": join_url,
        "join_host": request.build_absolute_uri("/join/"),
        "fresh_op_id": uuid.uuid4().hex,
        "live_config": {
            "socket": socket_path(activity),
            "role": role,
            "outbox": f"{activity.pk}:{actor.key}",
        },
    }


@project_view(allow_guests=True)
def activity_page(request, project, activity_id):
    activity = activity_for(request, project, activity_id)
    return render(
        request,
        "jointlearn/live/wordwall.html",
        page_context(request, activity, "participant"),
    )


@project_view(can_run_live_activities)
def activity_console(request, project, activity_id):
    activity = activity_for(request, project, activity_id)
    context = page_context(request, activity, "console")
    context["qr_svg"] = qr_svg(context["join_url"])
    return render(request, "jointlearn/live/wordwall_console.html", context)


@project_view(can_run_live_activities)
def activity_projector(request, project, activity_id):
    activity = activity_for(request, project, activity_id)
    context = page_context(request, activity, "projector")
    context["qr_svg"] = qr_svg(context["join_url"])
    return render(request, "jointlearn/live/wordwall_projector.html", context)


@require_POST
@project_view(allow_guests=True)
def activity_op(request, project, activity_id):
    """The same operations as the socket, from plain forms: pages work without JavaScript."""
    activity = activity_for(request, project, activity_id)
    data = {
        key: value
        for key, value in request.POST.items()
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
    activity = activity_for(request, project, activity_id)
    rows = export_rows(activity)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{slugify(activity.title)[:40] or 'word-wall'}-{stamp}"
    if fmt == "json":
        payload = {
            "activity": {
                "title": activity.title,
                "question": activity.config.get("question", ""),
                "project": project.name,
                "exported_at": timezone.now().isoformat(),
            },
            "cloud": cloud(activity, include_hidden=True),
            "words": rows,
        }
        response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.DictWriter(
        response, fieldnames=["word", "counted_as", "posted_by", "posted_at", "hidden"]
    )
    writer.writeheader()
    writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()} for row in rows)
    return response
