"""Pages of meetings: list, detail, planning the agenda, registration, attendance, feeds."""

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jointlearn.permissions import project_view
from jointlearn.services import DomainError

from . import calendar, printing, services
from .agenda import agenda_days, meeting_span, now_and_next
from .forms import (
    AgendaDayForm,
    AgendaItemForm,
    CheckInForm,
    DuplicateMeetingForm,
    MeetingForm,
    MoveItemForm,
    RegistrationForm,
)
from .models import AgendaDay, AgendaItem, CalendarFeed, Meeting, Registration
from .permissions import (
    can_plan_meetings,
    can_see_meeting,
    can_see_needs,
    can_see_online_link,
    can_take_attendance,
    meeting_permissions,
)


def get_meeting(request, project, meeting_id):
    """The meeting if this member may see it; drafts are 404 for the others."""
    meeting = get_object_or_404(
        Meeting.objects.select_related("host", "project"), pk=meeting_id, project=project
    )
    if not can_see_meeting(request.membership, meeting):
        raise Http404(_("No such meeting."))
    return meeting


def own_registration(meeting, user):
    return Registration.objects.filter(meeting=meeting, user=user).first()


@project_view()
def meeting_list(request, project):
    mine = Registration.objects.filter(meeting=OuterRef("pk"), user=request.user).values("status")
    meetings = (
        project.meetings.select_related("host")
        .annotate(
            registered=Count("registrations", filter=Q(registrations__status="confirmed")),
            my_status=Subquery(mine[:1]),
        )
        .order_by("starts_on", "title")
    )
    if not can_take_attendance(request.membership):
        meetings = meetings.exclude(status=Meeting.Status.DRAFT)
    today = timezone.localdate()
    meetings = list(meetings)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "project": project,
            "upcoming": [m for m in meetings if m.ends_on >= today],
            "past": [m for m in meetings if m.ends_on < today][::-1],
            "can": meeting_permissions(request.membership),
        },
    )


@project_view(can_plan_meetings)
def meeting_create(request, project):
    form = MeetingForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        meeting = services.create_meeting(project=project, **form.service_fields())
        messages.success(
            request,
            _("The meeting %(title)s has been created. Now plan its agenda.")
            % {"title": meeting.title},
        )
        return redirect("meeting_agenda", project_slug=project.slug, meeting_id=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"project": project, "form": form})


@project_view(can_plan_meetings)
def meeting_edit(request, project, meeting_id):
    meeting = get_meeting(request, project, meeting_id)
    form = MeetingForm(request.POST or None, instance=meeting, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(meeting=meeting, **form.service_fields())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The meeting has been saved."))
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {"project": project, "form": form, "meeting": meeting},
    )


@project_view(can_plan_meetings)
def meeting_duplicate(request, project, meeting_id):
    meeting = get_meeting(request, project, meeting_id)
    form = DuplicateMeetingForm(
        request.POST or None,
        initial={"title": _("%(title)s (copy)") % {"title": meeting.title}},
    )
    if request.method == "POST" and form.is_valid():
        copy = services.duplicate_meeting(meeting=meeting, **form.cleaned_data)
        messages.success(
            request,
            _("The copy %(title)s has been made as a draft, with every date moved.")
            % {"title": copy.title},
        )
        return redirect("meeting_agenda", project_slug=project.slug, meeting_id=copy.pk)
    return render(
        request,
        "meetings/meeting_duplicate.html",
        {"project": project, "meeting": meeting, "form": form},
    )


@project_view()
def meeting_detail(request, project, meeting_id):
    meeting = get_meeting(request, project, meeting_id)
    days = agenda_days(meeting)
    registration = own_registration(meeting, request.user)
    first_start, last_end = meeting_span(days)
    show_link = first_start is not None and can_see_online_link(
        request.membership, meeting, registration, first_start=first_start, last_end=last_end
    )
    counts = meeting.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITING)),
    )
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "project": project,
            "meeting": meeting,
            "days": days,
            "registration": registration,
            "registration_open": meeting.registration_is_open(),
            "show_online_link": show_link,
            "counts": counts,
            "now_and_next": None if meeting.is_cancelled else now_and_next(days),
            "first_start": first_start,
            "can": meeting_permissions(request.membership, meeting),
        },
    )


# Agenda planning


@project_view(can_plan_meetings)
def meeting_agenda(request, project, meeting_id):
    meeting = get_meeting(request, project, meeting_id)
    days = agenda_days(meeting)
    return render(
        request,
        "meetings/agenda_plan.html",
        {
            "project": project,
            "meeting": meeting,
            "days": days,
            "day_forms": {
                row.day.pk: AgendaDayForm(instance=row.day, prefix=f"day{row.day.pk}")
                for row in days
            },
        },
    )


@require_POST
@project_view(can_plan_meetings)
def agenda_day_edit(request, project, meeting_id, day_id):
    meeting = get_meeting(request, project, meeting_id)
    day = get_object_or_404(AgendaDay, pk=day_id, meeting=meeting)
    form = AgendaDayForm(request.POST, instance=day, prefix=f"day{day.pk}")
    if form.is_valid():
        services.save_day(day=day, **form.cleaned_data)
        messages.success(request, _("The times of the day have been saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("meeting_agenda", project_slug=project.slug, meeting_id=meeting.pk)


@project_view(can_plan_meetings)
def agenda_item_create(request, project, meeting_id, day_id):
    meeting = get_meeting(request, project, meeting_id)
    day = get_object_or_404(AgendaDay, pk=day_id, meeting=meeting)
    form = AgendaItemForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        item = services.add_item(day=day, **form.cleaned_data)
        messages.success(
            request, _("%(title)s has been added to the agenda.") % {"title": item.title}
        )
        return redirect(
            reverse("meeting_agenda", args=[project.slug, meeting.pk]) + f"#item-{item.pk}"
        )
    return render(
        request,
        "meetings/agenda_item_form.html",
        {"project": project, "meeting": meeting, "day": day, "form": form},
    )


def get_item(meeting, item_id):
    return get_object_or_404(
        AgendaItem.objects.select_related("day"), pk=item_id, day__meeting=meeting
    )


@project_view(can_plan_meetings)
def agenda_item_edit(request, project, meeting_id, item_id):
    meeting = get_meeting(request, project, meeting_id)
    item = get_item(meeting, item_id)
    form = AgendaItemForm(request.POST or None, instance=item, project=project)
    if request.method == "POST" and form.is_valid():
        services.update_item(item=item, **form.cleaned_data)
        messages.success(request, _("%(title)s has been saved.") % {"title": item.title})
        return redirect(
            reverse("meeting_agenda", args=[project.slug, meeting.pk]) + f"#item-{item.pk}"
        )
    return render(
        request,
        "meetings/agenda_item_form.html",
        {"project": project, "meeting": meeting, "day": item.day, "item": item, "form": form},
    )


@require_POST
@project_view(can_plan_meetings)
def agenda_item_delete(request, project, meeting_id, item_id):
    meeting = get_meeting(request, project, meeting_id)
    item = get_item(meeting, item_id)
    services.delete_item(item=item)
    messages.success(request, _("%(title)s has been removed from the agenda.") % {"title": item})
    return redirect("meeting_agenda", project_slug=project.slug, meeting_id=meeting.pk)


@require_POST
@project_view(can_plan_meetings)
def agenda_item_move(request, project, meeting_id, item_id):
    meeting = get_meeting(request, project, meeting_id)
    item = get_item(meeting, item_id)
    form = MoveItemForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors() or [_("Say where the item should go.")]:
            messages.error(request, error)
        return redirect("meeting_agenda", project_slug=project.slug, meeting_id=meeting.pk)
    services.move_item(item=item, position=form.target(item.position))
    if request.headers.get("Accept") == "application/json":
        return HttpResponse(status=204)
    return redirect(reverse("meeting_agenda", args=[project.slug, meeting.pk]) + f"#item-{item.pk}")


# Registration and attendance


@project_view()
def meeting_register(request, project, meeting_id):
    meeting = get_meeting(request, project, meeting_id)
    registration = own_registration(meeting, request.user)
    active = registration if registration and registration.status != "cancelled" else None
    form = RegistrationForm(request.POST if request.method == "POST" else None, instance=active)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register(
                meeting=meeting, membership=request.membership, **form.cleaned_data
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if active is not None:
                messages.success(request, _("Your registration has been updated."))
            elif registration.status == Registration.Status.CONFIRMED:
                messages.success(request, _("You are registered. See you there!"))
            else:
                messages.info(
                    request,
                    _(
                        "The meeting is full, so you are on the waiting list. You get a place "
                        "as soon as someone cancels."
                    ),
                )
            return redirect(meeting)
    return render(
        request,
        "meetings/registration_form.html",
        {
            "project": project,
            "meeting": meeting,
            "form": form,
            "registration": active,
            "registration_open": meeting.registration_is_open(),
        },
    )


@require_POST
@project_view()
def meeting_unregister(request, project, meeting_id):
    meeting = get_meeting(request, project, meeting_id)
    registration = own_registration(meeting, request.user)
    if registration is None:
        messages.error(request, _("You are not registered for this meeting."))
        return redirect(meeting)
    try:
        services.cancel_registration(registration=registration)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your registration has been cancelled."))
    return redirect(meeting)


def counts_by(registrations, key):
    counts = {}
    for registration in registrations:
        name = key(registration)
        registered, present = counts.get(name, (0, 0))
        counts[name] = (registered + 1, present + (1 if registration.checked_in_at else 0))
    return sorted(counts.items(), key=lambda pair: str(pair[0]))


@project_view(can_take_attendance)
def meeting_attendance(request, project, meeting_id):
    meeting = get_meeting(request, project, meeting_id)
    registrations = list(
        meeting.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("user", "organisation")
        .order_by("user__display_name", "pk")
    )
    confirmed = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
    no_organisation = _("No organisation")
    return render(
        request,
        "meetings/attendance.html",
        {
            "project": project,
            "meeting": meeting,
            "confirmed": confirmed,
            "waiting": sorted(
                (r for r in registrations if r.status == Registration.Status.WAITING),
                key=lambda r: (r.registered_at, r.pk),
            ),
            "present": sum(1 for r in confirmed if r.checked_in_at),
            "by_organisation": counts_by(
                confirmed, lambda r: r.organisation.name if r.organisation else no_organisation
            ),
            "by_country": counts_by(
                confirmed,
                lambda r: r.organisation.country.name if r.organisation else no_organisation,
            ),
            "can": meeting_permissions(request.membership, meeting),
        },
    )


@require_POST
@project_view(can_take_attendance)
def attendance_check(request, project, meeting_id, registration_id):
    meeting = get_meeting(request, project, meeting_id)
    registration = get_object_or_404(
        Registration.objects.select_related("user"), pk=registration_id, meeting=meeting
    )
    form = CheckInForm(request.POST)
    form.is_valid()
    try:
        services.set_checked_in(
            registration=registration, checked_in=form.cleaned_data.get("checked_in", False)
        )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(
        reverse("meeting_attendance", args=[project.slug, meeting.pk])
        + f"#registration-{registration.pk}"
    )


@project_view()
def meeting_needs(request, project, meeting_id):
    meeting = get_meeting(request, project, meeting_id)
    if not can_see_needs(request.membership, meeting):
        raise PermissionDenied(_("Only coordinators and the host organisation see people's needs."))
    registrations = (
        meeting.registrations.exclude(status=Registration.Status.CANCELLED)
        .exclude(dietary_needs="", accessibility_needs="")
        .select_related("user", "organisation")
        .order_by("user__display_name")
    )
    return render(
        request,
        "meetings/needs.html",
        {"project": project, "meeting": meeting, "registrations": registrations},
    )


def check_in_url(request, meeting):
    return request.build_absolute_uri(
        reverse(
            "meeting_check_in",
            kwargs={
                "project_slug": meeting.project.slug,
                "meeting_id": meeting.pk,
                "token": meeting.check_in_token,
            },
        )
    )


@project_view(can_take_attendance)
def meeting_door(request, project, meeting_id):
    meeting = get_meeting(request, project, meeting_id)
    url = check_in_url(request, meeting)
    qr_svg = segno.make(url, error="m").svg_inline(scale=8, border=2, dark="#111", omitsize=True)
    return render(
        request,
        "meetings/door.html",
        {"project": project, "meeting": meeting, "check_in_url": url, "qr_svg": qr_svg},
    )


@require_POST
@project_view(can_take_attendance)
def meeting_door_renew(request, project, meeting_id):
    meeting = get_meeting(request, project, meeting_id)
    services.renew_check_in_code(meeting=meeting)
    messages.success(request, _("There is a new check-in code; the old one no longer works."))
    return redirect("meeting_door", project_slug=project.slug, meeting_id=meeting.pk)


@project_view()
def meeting_check_in(request, project, meeting_id, token):
    meeting = get_meeting(request, project, meeting_id)
    if request.method == "POST":
        try:
            services.self_check_in(meeting=meeting, membership=request.membership, token=token)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("You are checked in. Welcome!"))
            return redirect(meeting)
    return render(
        request,
        "meetings/check_in.html",
        {
            "project": project,
            "meeting": meeting,
            "registration": own_registration(meeting, request.user),
            "token_ok": token == meeting.check_in_token,
        },
    )


# Print and PDF


@project_view()
def meeting_print(request, project, meeting_id):
    meeting = get_meeting(request, project, meeting_id)
    return render(request, "meetings/agenda_print.html", printing.context(meeting))


@project_view()
def meeting_pdf(request, project, meeting_id):
    meeting = get_meeting(request, project, meeting_id)
    response = HttpResponse(printing.agenda_pdf(request, meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{printing.file_name(meeting)}"'
    return response


# Calendar feeds


@project_view()
def calendar_links(request, project):
    if request.method == "POST":
        services.renew_calendar_feed(membership=request.membership)
        messages.success(
            request, _("Your calendar addresses are new; the old ones no longer work.")
        )
        return redirect("calendar_links", project_slug=project.slug)
    feed = services.calendar_feed_for(membership=request.membership)
    return render(
        request,
        "meetings/calendar_links.html",
        {
            "project": project,
            "project_feed": request.build_absolute_uri(
                reverse("calendar_feed", kwargs={"token": feed.token, "scope": "project"})
            ),
            "personal_feed": request.build_absolute_uri(
                reverse("calendar_feed", kwargs={"token": feed.token, "scope": "mine"})
            ),
        },
    )


def calendar_feed(request, token, scope):
    """The iCalendar feed behind a secret address; calendar apps cannot sign in."""
    feed = (
        CalendarFeed.objects.select_related("membership__project", "membership__user")
        .filter(token=token)
        .first()
    )
    if feed is None or scope not in {"project", "mine"}:
        raise Http404(_("No such calendar."))
    membership = feed.membership
    body = calendar.feed(membership, personal=scope == "mine")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{membership.project.slug}-{scope}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
