"""Pages of meetings: list, detail, planning the agenda, registration, attendance, feeds."""

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jointlearn import consent
from jointlearn.forms import ConsentForm
from jointlearn.models import ConsentDecision
from jointlearn.permissions import can_run_live_activities, project_view
from jointlearn.services import DomainError
from jointlearn.uploads import attachment_response

from . import calendar, pack, printing, services
from .agenda import agenda_days, meeting_span, now_and_next
from .forms import (
    AddToAgendaForm,
    AgendaDayForm,
    AgendaItemForm,
    AssignmentForm,
    CheckInForm,
    DuplicateMeetingForm,
    IcebreakerFilterForm,
    IcebreakerForm,
    MaterialForm,
    MeetingForm,
    MoveItemForm,
    RegistrationForm,
    SubmissionForm,
    TaskFilterForm,
    TaskForm,
)
from .models import (
    AgendaDay,
    AgendaItem,
    Assignment,
    CalendarFeed,
    Icebreaker,
    Material,
    Meeting,
    Registration,
    Submission,
    Task,
)
from .permissions import (
    can_manage_icebreakers,
    can_mark_task_done,
    can_plan_meetings,
    can_prepare_meetings,
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
    assignments = list(meeting.assignments.all())
    owner = Q(user=request.user.pk)
    if request.membership.organisation_id:
        owner |= Q(organisation=request.membership.organisation_id)
    handed_in = {
        (s.assignment_id, s.organisation_id is not None): s
        for s in Submission.objects.filter(owner, assignment__meeting=meeting)
    }
    for assignment in assignments:
        assignment.mine = handed_in.get(
            (assignment.pk, assignment.per == Assignment.Per.ORGANISATION)
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
            "materials": meeting.materials.all(),
            "assignments": assignments,
            "now": timezone.now(),
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
            "can": meeting_permissions(request.membership, meeting),
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
        AgendaItem.objects.select_related("day", "live_activity__join_code"),
        pk=item_id,
        day__meeting=meeting,
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


# Live activities of agenda slots


def back_to_item(request, meeting, item):
    """Back to the page the button was on (the plan or the meeting page), at the item."""
    page = "meeting_agenda" if request.POST.get("from") == "plan" else "meeting_detail"
    return redirect(reverse(page, args=[meeting.project.slug, meeting.pk]) + f"#item-{item.pk}")


@require_POST
@project_view(can_run_live_activities)
def agenda_item_prepare(request, project, meeting_id, item_id):
    meeting = get_meeting(request, project, meeting_id)
    item = get_item(meeting, item_id)
    try:
        activity = services.prepare_live_activity(
            item=item, kind=request.POST.get("kind", ""), created_by=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(title)s is prepared. Open it when the slot starts.") % {"title": activity},
        )
    return back_to_item(request, meeting, item)


@require_POST
@project_view(can_run_live_activities)
def agenda_item_open(request, project, meeting_id, item_id):
    meeting = get_meeting(request, project, meeting_id)
    item = get_item(meeting, item_id)
    try:
        activity = services.open_live_activity(item=item, membership=request.membership)
    except DomainError as error:
        messages.error(request, error.message)
        return back_to_item(request, meeting, item)
    messages.success(
        request,
        _("%(title)s is open. People join with the code %(code)s.")
        % {"title": activity, "code": activity.join_code.code},
    )
    return redirect("live_console", project_slug=project.slug, activity_id=activity.pk)


# Registration and attendance


@project_view()
def meeting_register(request, project, meeting_id):
    meeting = get_meeting(request, project, meeting_id)
    registration = own_registration(meeting, request.user)
    active = registration if registration and registration.status != "cancelled" else None
    form = RegistrationForm(request.POST if request.method == "POST" else None, instance=active)
    # The research question is asked until the person has answered the current consent text.
    consent_form = None
    if consent.needs_asking(request.user, project):
        consent_form = ConsentForm(
            request.POST if request.method == "POST" else None, shown=consent.text_for(project)
        )
    if (
        request.method == "POST"
        and form.is_valid()
        and (consent_form is None or consent_form.is_valid())
    ):
        try:
            with transaction.atomic():
                registration = services.register(
                    meeting=meeting, membership=request.membership, **form.cleaned_data
                )
                if consent_form is not None and consent_form.decision() is not None:
                    consent.record_decision(
                        project=project,
                        user=request.user,
                        given=consent_form.decision(),
                        context=ConsentDecision.Context.REGISTRATION,
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
            "consent_form": consent_form,
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


@project_view(can_take_attendance)
def meeting_pack(request, project, meeting_id):
    """Everything the meeting produced, as one ZIP (meetings/pack.py)."""
    meeting = get_meeting(request, project, meeting_id)
    name, content = pack.build(request, meeting)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
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
    feeds = {}
    for scope in ["project", "mine"]:
        url = request.build_absolute_uri(
            reverse("calendar_feed", kwargs={"token": feed.token, "scope": scope})
        )
        # webcal: opens the subscription straight in the calendar app.
        feeds[scope] = (url, "webcal:" + url.split(":", 1)[1])
    return render(request, "meetings/calendar_links.html", {"project": project, "feeds": feeds})


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


# Preparatory material


@project_view(can_prepare_meetings)
def material_create(request, project, meeting_id):
    meeting = get_meeting(request, project, meeting_id)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_material(meeting=meeting, added_by=request.user, **form.cleaned_data)
        except services.FileRejected as error:
            form.add_error("upload", error.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The material has been added."))
            return redirect(
                reverse("meeting_detail", args=[project.slug, meeting.pk]) + "#preparation"
            )
    return render(
        request,
        "meetings/material_form.html",
        {"project": project, "meeting": meeting, "form": form},
    )


def get_material(meeting, material_id):
    return get_object_or_404(Material, pk=material_id, meeting=meeting)


@project_view()
def material_download(request, project, meeting_id, material_id):
    material = get_material(get_meeting(request, project, meeting_id), material_id)
    if not material.file:
        raise Http404(_("This material has no file."))
    return attachment_response(
        material.file, filename=material.file_name, content_type=material.content_type
    )


@require_POST
@project_view(can_prepare_meetings)
def material_delete(request, project, meeting_id, material_id):
    meeting = get_meeting(request, project, meeting_id)
    material = get_material(meeting, material_id)
    services.delete_material(material=material)
    messages.success(request, _("%(title)s has been removed.") % {"title": material.title})
    return redirect(reverse("meeting_detail", args=[project.slug, meeting.pk]) + "#preparation")


# Advance assignments


@project_view(can_prepare_meetings)
def assignment_create(request, project, meeting_id):
    meeting = get_meeting(request, project, meeting_id)
    return assignment_form(request, project, meeting, None)


@project_view(can_prepare_meetings)
def assignment_edit(request, project, meeting_id, assignment_id):
    meeting = get_meeting(request, project, meeting_id)
    return assignment_form(request, project, meeting, get_assignment(meeting, assignment_id))


def assignment_form(request, project, meeting, assignment):
    form = AssignmentForm(request.POST or None, instance=assignment, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        assignment = services.save_assignment(
            meeting=meeting, assignment=assignment, **form.cleaned_data
        )
        messages.success(
            request, _("The assignment %(title)s has been saved.") % {"title": assignment.title}
        )
        return redirect(reverse("meeting_detail", args=[project.slug, meeting.pk]) + "#preparation")
    return render(
        request,
        "meetings/assignment_form.html",
        {"project": project, "meeting": meeting, "assignment": assignment, "form": form},
    )


def get_assignment(meeting, assignment_id):
    return get_object_or_404(
        Assignment.objects.select_related("meeting"), pk=assignment_id, meeting=meeting
    )


def own_submission(assignment, membership):
    if assignment.per == Assignment.Per.ORGANISATION:
        if membership.organisation_id is None:
            return None
        return assignment.submissions.filter(organisation=membership.organisation_id).first()
    return assignment.submissions.filter(user=membership.user_id).first()


@project_view()
def assignment_detail(request, project, meeting_id, assignment_id):
    meeting = get_meeting(request, project, meeting_id)
    assignment = get_assignment(meeting, assignment_id)
    submission = own_submission(assignment, request.membership)
    form = SubmissionForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        initial={"text": submission.text if submission else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.submit(
                assignment=assignment,
                membership=request.membership,
                text=form.cleaned_data["text"],
                upload=form.cleaned_data["upload"],
            )
        except services.FileRejected as error:
            form.add_error("upload", error.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if submission.is_late:
                messages.warning(
                    request,
                    _("Handed in after the due date: it is kept and marked as late."),
                )
            else:
                messages.success(request, _("Handed in. Thank you!"))
            return redirect(
                "assignment_detail",
                project_slug=project.slug,
                meeting_id=meeting.pk,
                assignment_id=assignment.pk,
            )
    return render(
        request,
        "meetings/assignment_detail.html",
        {
            "project": project,
            "meeting": meeting,
            "assignment": assignment,
            "submission": submission,
            "form": form,
            "can": meeting_permissions(request.membership, meeting),
        },
    )


@project_view(can_prepare_meetings)
def assignment_status(request, project, meeting_id, assignment_id):
    meeting = get_meeting(request, project, meeting_id)
    assignment = get_assignment(meeting, assignment_id)
    if request.method == "POST":
        sent = services.send_assignment_reminders(
            assignment=assignment,
            build_url=lambda a: request.build_absolute_uri(
                reverse("assignment_detail", args=[project.slug, meeting.pk, a.pk])
            ),
        )
        messages.success(
            request,
            ngettext(
                "A reminder has been sent to %(count)d person.",
                "A reminder has been sent to %(count)d people.",
                sent,
            )
            % {"count": sent},
        )
        return redirect(
            "assignment_status",
            project_slug=project.slug,
            meeting_id=meeting.pk,
            assignment_id=assignment.pk,
        )
    rows = services.assignment_status(assignment)
    totals = {state: sum(1 for row in rows if row[2] == state) for state in STATES}
    return render(
        request,
        "meetings/assignment_status.html",
        {
            "project": project,
            "meeting": meeting,
            "assignment": assignment,
            "rows": rows,
            "totals": totals,
        },
    )


STATES = ["submitted", "late", "missing", "open"]


@project_view()
def submission_download(request, project, meeting_id, assignment_id, submission_id):
    meeting = get_meeting(request, project, meeting_id)
    assignment = get_assignment(meeting, assignment_id)
    submission = get_object_or_404(Submission, pk=submission_id, assignment=assignment)
    own = submission.user_id == request.user.pk or (
        submission.organisation_id is not None
        and submission.organisation_id == request.membership.organisation_id
    )
    if not (own or can_prepare_meetings(request.membership)):
        raise PermissionDenied(_("Only the coordinators and the authors see a submission."))
    if not submission.file:
        raise Http404(_("This submission has no file."))
    return attachment_response(
        submission.file, filename=submission.file_name, content_type=submission.content_type
    )


# Tasks between meetings


@project_view()
def task_list(request, project):
    can_create = can_prepare_meetings(request.membership)
    form = None
    if can_create:
        form = TaskForm(request.POST or None, project=project)
        if request.method == "POST" and form.is_valid():
            try:
                task = services.save_task(
                    project=project, created_by=request.user, **form.cleaned_data
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The task %(title)s has been added.") % {"title": task})
                return redirect("task_list", project_slug=project.slug)
    elif request.method == "POST":
        raise PermissionDenied(_("Your role in this project does not allow this."))
    filters = TaskFilterForm(request.GET or None, project=project)
    tasks = project.tasks.select_related("assignee_user", "assignee_organisation", "meeting")
    state, mine, organisation = "open", False, None
    if filters.is_valid():
        state = filters.cleaned_data["state"] or "open"
        mine = filters.cleaned_data["mine"]
        organisation = filters.cleaned_data["organisation"]
    if state == "open":
        tasks = tasks.filter(done_at__isnull=True)
    elif state == "done":
        tasks = tasks.filter(done_at__isnull=False)
    if mine:
        mine_filter = Q(assignee_user=request.user)
        if request.membership.organisation_id:
            mine_filter |= Q(assignee_organisation=request.membership.organisation_id)
        tasks = tasks.filter(mine_filter)
    if organisation is not None:
        tasks = tasks.filter(assignee_organisation=organisation)
    page = Paginator(tasks, TASKS_PER_PAGE).get_page(request.GET.get("page"))
    for task in page:
        task.can_mark_done = can_mark_task_done(request.membership, task)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meetings/task_list.html",
        {
            "project": project,
            "page": page,
            "filters": filters,
            "form": form,
            "today": timezone.localdate(),
            "query_string": query.urlencode(),
        },
    )


TASKS_PER_PAGE = 50


@require_POST
@project_view()
def task_toggle(request, project, task_id):
    task = get_object_or_404(Task, pk=task_id, project=project)
    if not can_mark_task_done(request.membership, task):
        raise PermissionDenied(_("Only the people the task is for can tick it off."))
    task = services.set_task_done(task=task, done=task.done_at is None)
    if task.done_at:
        messages.success(request, _("%(title)s is done.") % {"title": task.title})
    else:
        messages.success(request, _("%(title)s is open again.") % {"title": task.title})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("task_list", args=[project.slug])
    return redirect(back)


@project_view(can_prepare_meetings)
def task_edit(request, project, task_id):
    task = get_object_or_404(Task, pk=task_id, project=project)
    form = TaskForm(request.POST or None, instance=task, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_task(project=project, task=task, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The task %(title)s has been saved.") % {"title": task})
            return redirect("task_list", project_slug=project.slug)
    return render(
        request, "meetings/task_form.html", {"project": project, "task": task, "form": form}
    )


# Icebreaker library


def icebreakers_for(project):
    return Icebreaker.objects.filter(Q(project=None) | Q(project=project))


@project_view()
def icebreaker_list(request, project):
    filters = IcebreakerFilterForm(request.GET or None)
    icebreakers = icebreakers_for(project).prefetch_related("tags")
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            icebreakers = icebreakers.filter(
                Q(name__icontains=data["q"])
                | Q(instructions__icontains=data["q"])
                | Q(tags__name__iexact=data["q"])
            ).distinct()
        if data["purpose"]:
            icebreakers = icebreakers.filter(purpose=data["purpose"])
        if data["setting"]:
            icebreakers = icebreakers.filter(setting__in=[data["setting"], Icebreaker.Setting.BOTH])
        if data["language_demand"]:
            icebreakers = icebreakers.filter(language_demand=data["language_demand"])
        if data["max_duration"]:
            icebreakers = icebreakers.filter(duration__lte=data["max_duration"])
    return render(
        request,
        "meetings/icebreaker_list.html",
        {
            "project": project,
            "icebreakers": icebreakers,
            "filters": filters,
            "can": meeting_permissions(request.membership),
        },
    )


@project_view()
def icebreaker_detail(request, project, icebreaker_id):
    icebreaker = get_object_or_404(
        icebreakers_for(project).prefetch_related("tags"), pk=icebreaker_id
    )
    form = None
    if can_plan_meetings(request.membership):
        form = AddToAgendaForm(request.POST or None, project=project)
        if request.method == "POST" and form.is_valid():
            day = form.cleaned_data["day"]
            item = services.add_icebreaker_to_agenda(icebreaker=icebreaker, day=day)
            messages.success(
                request, _("%(title)s has been added to the agenda.") % {"title": item.title}
            )
            return redirect(
                reverse("meeting_agenda", args=[project.slug, day.meeting_id]) + f"#item-{item.pk}"
            )
    elif request.method == "POST":
        raise PermissionDenied(_("Your role in this project does not allow this."))
    return render(
        request,
        "meetings/icebreaker_detail.html",
        {
            "project": project,
            "icebreaker": icebreaker,
            "form": form,
            "can": meeting_permissions(request.membership),
        },
    )


@project_view(can_manage_icebreakers)
def icebreaker_create(request, project):
    return icebreaker_form(request, project, None)


@project_view(can_manage_icebreakers)
def icebreaker_edit(request, project, icebreaker_id):
    icebreaker = get_object_or_404(Icebreaker, pk=icebreaker_id, project=project)
    return icebreaker_form(request, project, icebreaker)


def icebreaker_form(request, project, icebreaker):
    form = IcebreakerForm(request.POST or None, instance=icebreaker)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in IcebreakerForm.Meta.fields}
        try:
            icebreaker = services.save_icebreaker(
                project=project, icebreaker=icebreaker, tags=form.cleaned_data["tags"], **fields
            )
        except DomainError as error:
            form.add_error("name", error.message)
        else:
            messages.success(request, _("%(name)s has been saved.") % {"name": icebreaker.name})
            return redirect(
                "icebreaker_detail", project_slug=project.slug, icebreaker_id=icebreaker.pk
            )
    return render(
        request,
        "meetings/icebreaker_form.html",
        {"project": project, "icebreaker": icebreaker, "form": form},
    )
