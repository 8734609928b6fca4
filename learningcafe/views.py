"""The café's own pages: set-up, check-in, and the harvest with its exports. The live pages
(participant, console, projector) are the shared ones of jointlearn/live/views.py."""

import json
import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries

from jointlearn.exports import csv_text
from jointlearn.live import protocol
from jointlearn.live.broadcast import project_changed
from jointlearn.models import LiveActivity
from jointlearn.permissions import can_run_live_activities, project_view

from . import harvest, services
from .forms import CafeForm, table_formset
from .models import Cafe


def cafe_for(project, cafe_id):
    """The café (by its live activity's id) of this project; 404 otherwise."""
    return get_object_or_404(
        Cafe.objects.select_related("activity__join_code", "activity__project"),
        activity_id=cafe_id,
        activity__project=project,
        activity__kind=LiveActivity.Kind.CAFE,
    )


def table_initial(cafe):
    return [
        {
            "theme": table.theme,
            "question": table.question,
            "host": table.host_id,
            "video_url": table.video_url,
        }
        for table in cafe.tables.filter(removed=False)
    ]


@project_view(can_run_live_activities)
def cafe_create(request, project):
    form = CafeForm(request.POST or None, initial={"title": _("Learning café")})
    tables = table_formset(project, request.POST or None)
    if request.method == "POST" and form.is_valid() and tables.is_valid():
        activity = services.create_cafe(
            project=project, created_by=request.user, tables=tables.tables(), **form.cleaned_data
        )
        project_changed(project, "live")
        messages.success(
            request,
            _("The café is set up. People join with the code %(code)s.")
            % {"code": activity.join_code.code},
        )
        return redirect("live_console", project_slug=project.slug, activity_id=activity.pk)
    return render(
        request,
        "learningcafe/set_up.html",
        {"project": project, "form": form, "tables": tables, "cafe": None},
    )


@project_view(can_run_live_activities)
def cafe_edit(request, project, cafe_id):
    cafe = cafe_for(project, cafe_id)
    activity = cafe.activity
    form = CafeForm(
        request.POST or None,
        initial={
            "title": activity.title,
            "mode": cafe.mode,
            "rounds": cafe.rounds,
            "round_minutes": cafe.round_minutes,
            "table_capacity": cafe.table_capacity,
            "votes_per_round": cafe.votes_per_round,
        },
    )
    tables = table_formset(project, request.POST or None, initial=table_initial(cafe))
    if request.method == "POST" and form.is_valid() and tables.is_valid():
        try:
            services.update_cafe(cafe=cafe, tables=tables.tables(), **form.cleaned_data)
        except services.SetUpError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The café's set-up is saved."))
            return redirect("live_console", project_slug=project.slug, activity_id=activity.pk)
    return render(
        request,
        "learningcafe/set_up.html",
        {"project": project, "form": form, "tables": tables, "cafe": cafe},
    )


@project_view(can_run_live_activities)
def cafe_check_in(request, project, cafe_id):
    """Members in the room, checked in with one press each (through the live protocol)."""
    cafe = cafe_for(project, cafe_id)
    if request.method == "POST":
        try:
            protocol.apply_op(
                activity_id=cafe.activity_id,
                actor=protocol.Actor(membership=request.membership),
                op_id=request.POST.get("id", ""),
                op="cafe.check_in",
                data={"user_id": request.POST.get("user_id", "")},
            )
        except protocol.LiveError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Checked in."))
        return redirect("cafe_check_in", project_slug=project.slug, cafe_id=cafe.activity_id)
    participants = list(cafe.participants.order_by("name"))
    checked_in = {p.user_id for p in participants if p.user_id and p.left_at is None}
    members = [
        membership
        for membership in project.memberships.select_related("user", "organisation")
        if membership.user_id not in checked_in
    ]
    return render(
        request,
        "learningcafe/check_in.html",
        {
            "project": project,
            "cafe": cafe,
            "activity": cafe.activity,
            "members": members,
            "participants": participants,
            "fresh_op_id": uuid.uuid4().hex,
        },
    )


def harvest_filters(request, cafe):
    round_index = None
    value = request.GET.get("round", "")
    if value.isdigit() and 1 <= int(value) <= cafe.rounds:
        round_index = int(value) - 1
    country = request.GET.get("country", "")
    if country not in dict(countries):
        country = ""
    return round_index, country


@project_view()
def cafe_harvest(request, project, cafe_id):
    cafe = cafe_for(project, cafe_id)
    round_index, country = harvest_filters(request, cafe)
    used_countries = sorted(
        {code for code in cafe.notes.values_list("author_country", flat=True) if code}
    )
    return render(
        request,
        "learningcafe/harvest.html",
        {
            "project": project,
            "cafe": cafe,
            "activity": cafe.activity,
            "themes": harvest.themes(cafe, round_index=round_index, country=country),
            "rounds": range(1, cafe.rounds + 1),
            "chosen_round": round_index + 1 if round_index is not None else None,
            "countries": [(code, dict(countries)[code]) for code in used_countries],
            "chosen_country": country,
            "query": request.GET.urlencode(),
            "can_run": can_run_live_activities(request.membership),
        },
    )


@project_view()
def cafe_harvest_export(request, project, cafe_id, fmt):
    cafe = cafe_for(project, cafe_id)
    round_index, country = harvest_filters(request, cafe)
    themes = harvest.themes(cafe, round_index=round_index, country=country)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{slugify(cafe.activity.title)[:40] or 'cafe'}-harvest-{stamp}"
    if fmt == "md":
        response = HttpResponse(
            harvest.as_markdown(cafe, themes), content_type="text/markdown; charset=utf-8"
        )
    elif fmt == "json":
        payload = {
            "cafe": {
                "title": cafe.activity.title,
                "project": project.name,
                "rounds": cafe.rounds,
                "exported_at": timezone.now().isoformat(),
            },
            **harvest.as_json(cafe, themes),
        }
        response = HttpResponse(
            json.dumps(payload, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
    elif fmt == "csv":
        response = HttpResponse(
            csv_text(harvest.CSV_FIELDS, harvest.rows(themes)),
            content_type="text/csv; charset=utf-8",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
