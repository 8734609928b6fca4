"""Every change to meetings, their agenda, registrations, attendance and calendar feeds."""

import uuid
from datetime import time, timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jointlearn.live import protocol
from jointlearn.models import LiveActivity
from jointlearn.services import DomainError
from jointlearn.uploads import AttachmentRejected, clean_attachment

from . import timing
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
    new_secret,
)


class RegistrationClosed(DomainError):
    pass


class NotRegistered(DomainError):
    pass


class CheckInRefused(DomainError):
    pass


class FileRejected(DomainError):
    """The shared upload validation refused a file; views show it next to the file field."""


def minutes_of(value):
    return value.hour * 60 + value.minute


def time_of(minutes):
    minutes %= 24 * 60
    return time(minutes // 60, minutes % 60)


def _dates(starts_on, ends_on):
    return [starts_on + timedelta(days=offset) for offset in range((ends_on - starts_on).days + 1)]


def _changed(meeting):
    """Calendars pick up a change only when the SEQUENCE goes up."""
    Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1)
    meeting.refresh_from_db(fields=["sequence"])


# Meetings


@transaction.atomic
def create_meeting(*, project, day_starts_at=time(9), day_ends_at=time(17), **fields):
    """A meeting with one agenda day per date, each running from `day_starts_at`."""
    if fields.get("host") is not None and fields["host"].project_id != project.pk:
        raise DomainError(_("This organisation belongs to another project."))
    meeting = Meeting(project=project, **fields)
    meeting.full_clean()
    meeting.save()
    AgendaDay.objects.bulk_create(
        AgendaDay(meeting=meeting, date=date, starts_at=day_starts_at, ends_at=day_ends_at)
        for date in _dates(meeting.starts_on, meeting.ends_on)
    )
    return meeting


@transaction.atomic
def update_meeting(*, meeting, **fields):
    """Save the meeting's fields; when its dates move, its days move along with them."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if fields.get("host") is not None and fields["host"].project_id != meeting.project_id:
        raise DomainError(_("This organisation belongs to another project."))
    old_start, old_end = meeting.starts_on, meeting.ends_on
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    if (meeting.starts_on, meeting.ends_on) != (old_start, old_end):
        _move_days(meeting, old_start, old_end)
    meeting.sequence += 1
    meeting.save()
    _fill_places_from_waiting_list(meeting)
    return meeting


def _fill_places_from_waiting_list(meeting):
    """After places open up (a cancellation, a larger capacity) the waiting list moves up."""
    moved = []
    while True:
        confirmed = meeting.registrations.filter(status=Registration.Status.CONFIRMED).count()
        if meeting.capacity is not None and confirmed >= meeting.capacity:
            return moved
        waiting = _first_waiting(meeting)
        if waiting is None:
            return moved
        waiting.status = Registration.Status.CONFIRMED
        waiting.save(update_fields=["status"])
        moved.append(waiting)


def _move_days(meeting, old_start, old_end):
    days = list(meeting.days.order_by("date"))
    shift = meeting.starts_on - old_start
    if (meeting.ends_on - meeting.starts_on) == (old_end - old_start):
        # The same number of days, moved: each day keeps its programme.
        for day in reversed(days) if shift.days > 0 else days:
            day.date += shift
            day.save(update_fields=["date"])
        return
    wanted = set(_dates(meeting.starts_on, meeting.ends_on))
    dropped = [day for day in days if day.date not in wanted]
    if any(day.items.exists() for day in dropped):
        raise DomainError(
            _(
                "A day you left out still has agenda items. Move or delete them first, "
                "or keep the same number of days to move the whole programme."
            )
        )
    for day in dropped:
        day.delete()
    template = days[0] if days else None
    existing = {day.date for day in days}
    AgendaDay.objects.bulk_create(
        AgendaDay(
            meeting=meeting,
            date=date,
            starts_at=template.starts_at if template else time(9),
            ends_at=template.ends_at if template else time(17),
        )
        for date in sorted(wanted - existing)
    )


@transaction.atomic
def duplicate_meeting(*, meeting, starts_on, title):
    """A draft copy with the same days and agenda, moved to start on `starts_on`."""
    shift = starts_on - meeting.starts_on
    copy = Meeting.objects.create(
        project=meeting.project,
        title=title,
        kind=meeting.kind,
        host=meeting.host,
        venue_name=meeting.venue_name,
        venue_address=meeting.venue_address,
        map_url=meeting.map_url,
        online_url=meeting.online_url,
        time_zone=meeting.time_zone,
        starts_on=meeting.starts_on + shift,
        ends_on=meeting.ends_on + shift,
        description=meeting.description,
        status=Meeting.Status.DRAFT,
        capacity=meeting.capacity,
    )
    for day in meeting.days.prefetch_related("items"):
        new_day = AgendaDay.objects.create(
            meeting=copy,
            date=day.date + shift,
            starts_at=day.starts_at,
            ends_at=day.ends_at,
            title=day.title,
        )
        items = list(day.items.all())
        for item in items:
            item.pk = None
            item.day = new_day
        AgendaItem.objects.bulk_create(items)
    return copy


# Agenda


def retime_day(day):
    """Work out every item's start from the order, durations and fixed times; returns the plan."""
    items = list(day.items.order_by("position", "pk"))
    plan = schedule_for(day, items)
    for position, (item, timed) in enumerate(zip(items, plan, strict=True)):
        start = time_of(timed.start)
        if item.starts_at != start or item.position != position:
            item.starts_at, item.position = start, position
            item.save(update_fields=["starts_at", "position"])
    return plan


def schedule_for(day, items):
    return timing.schedule(
        [
            timing.Slot(
                item.duration,
                minutes_of(item.fixed_start) if item.fixed_start is not None else None,
            )
            for item in items
        ],
        day_start=minutes_of(day.starts_at),
        day_end=minutes_of(day.ends_at),
    )


def _check_item_fields(day, fields):
    organisation = fields.get("responsible_organisation")
    if organisation is not None and organisation.project_id != day.meeting.project_id:
        raise DomainError(_("This organisation belongs to another project."))


@transaction.atomic
def save_day(*, day, **fields):
    for name, value in fields.items():
        setattr(day, name, value)
    day.full_clean()
    day.save()
    retime_day(day)
    _changed(day.meeting)
    return day


@transaction.atomic
def add_item(*, day, **fields):
    _check_item_fields(day, fields)
    last = day.items.aggregate(last=Max("position"))["last"]
    item = AgendaItem(day=day, position=0 if last is None else last + 1, **fields)
    item.starts_at = day.starts_at
    item.full_clean()
    item.save()
    retime_day(day)
    _changed(day.meeting)
    item.refresh_from_db()
    return item


@transaction.atomic
def update_item(*, item, **fields):
    _check_item_fields(item.day, fields)
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    retime_day(item.day)
    _changed(item.day.meeting)
    item.refresh_from_db()
    return item


@transaction.atomic
def delete_item(*, item):
    day = item.day
    item.delete()
    retime_day(day)
    _changed(day.meeting)


@transaction.atomic
def move_item(*, item, position):
    """Put `item` at `position` (0 is first) in its day; later items move along."""
    day = AgendaDay.objects.select_for_update().get(pk=item.day_id)
    order = list(day.items.order_by("position", "pk").values_list("pk", flat=True))
    order = timing.move(order, order.index(item.pk), position - order.index(item.pk))
    for index, pk in enumerate(order):
        AgendaItem.objects.filter(pk=pk).update(position=index)
    retime_day(day)
    _changed(day.meeting)
    item.refresh_from_db()
    return item


# Registration and attendance


def _first_waiting(meeting):
    return (
        meeting.registrations.select_for_update()
        .filter(status=Registration.Status.WAITING)
        .order_by("registered_at", "pk")
        .first()
    )


@transaction.atomic
def register(*, meeting, membership, dietary_needs="", accessibility_needs=""):
    """Register a member: a place while there is one, otherwise the waiting list.

    The meeting row is locked first, so two people registering at the same moment are
    counted one after the other and the meeting is never overbooked.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.registration_is_open():
        raise RegistrationClosed(_("Registration for this meeting is closed."))
    registration = (
        Registration.objects.select_for_update()
        .filter(meeting=meeting, user=membership.user_id)
        .first()
    )
    if registration is not None and registration.status != Registration.Status.CANCELLED:
        registration.dietary_needs = dietary_needs
        registration.accessibility_needs = accessibility_needs
        registration.save(update_fields=["dietary_needs", "accessibility_needs"])
        return registration
    confirmed = meeting.registrations.filter(status=Registration.Status.CONFIRMED).count()
    has_place = meeting.capacity is None or confirmed < meeting.capacity
    status = Registration.Status.CONFIRMED if has_place else Registration.Status.WAITING
    if registration is None:
        registration = Registration(meeting=meeting, user_id=membership.user_id)
    registration.organisation_id = membership.organisation_id
    registration.status = status
    registration.dietary_needs = dietary_needs
    registration.accessibility_needs = accessibility_needs
    registration.registered_at = timezone.now()
    registration.checked_in_at = None
    registration.save()
    _changed(meeting)
    return registration


@transaction.atomic
def cancel_registration(*, registration):
    """Give up a place; the first person on the waiting list gets it. Returns who moved up."""
    meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise NotRegistered(_("You are not registered for this meeting."))
    if meeting.is_over:
        raise RegistrationClosed(_("This meeting is over; its registrations stay as they were."))
    had_place = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.checked_in_at = None
    registration.save(update_fields=["status", "checked_in_at"])
    moved_up = _fill_places_from_waiting_list(meeting) if had_place else []
    _changed(meeting)
    return moved_up[0] if moved_up else None


@transaction.atomic
def set_checked_in(*, registration, checked_in):
    """A facilitator ticks someone off the attendance list, or takes the tick back."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.CONFIRMED:
        raise CheckInRefused(_("Only people with a place can be checked in."))
    registration.checked_in_at = timezone.now() if checked_in else None
    registration.save(update_fields=["checked_in_at"])
    return registration


@transaction.atomic
def self_check_in(*, meeting, membership, token):
    """Someone scanned the code at the door: check them in if they have a place."""
    if token != meeting.check_in_token:
        raise CheckInRefused(_("This check-in code is not valid any more. Scan the code again."))
    today = timezone.localtime(timezone.now(), meeting.zone).date()
    if not meeting.starts_on <= today <= meeting.ends_on:
        raise CheckInRefused(_("Check-in is open only on the days of the meeting."))
    registration = (
        Registration.objects.select_for_update()
        .filter(meeting=meeting, user=membership.user_id, status=Registration.Status.CONFIRMED)
        .first()
    )
    if registration is None:
        raise CheckInRefused(
            _("You do not have a place at this meeting. Please talk to the organisers.")
        )
    if registration.checked_in_at is None:
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at"])
    return registration


@transaction.atomic
def renew_check_in_code(*, meeting):
    meeting.check_in_token = new_secret()
    meeting.save(update_fields=["check_in_token"])
    return meeting


# Calendar feeds


@transaction.atomic
def calendar_feed_for(*, membership):
    feed, _created = CalendarFeed.objects.get_or_create(membership=membership)
    return feed


@transaction.atomic
def renew_calendar_feed(*, membership):
    """A new secret address; the old one stops working at once."""
    CalendarFeed.objects.filter(membership=membership).delete()
    return CalendarFeed.objects.create(membership=membership)


# Preparatory material


def _store_file(instance, upload):
    """Check an upload with the shared validation and attach it; raises AttachmentRejected."""
    try:
        stored, name, content_type = clean_attachment(upload)
    except AttachmentRejected as error:
        raise FileRejected(str(error)) from error
    old = instance.file.name if instance.file else None
    instance.file.save(stored.name, stored, save=False)
    instance.file_name, instance.content_type = name, content_type
    if old:
        storage = instance.file.storage
        transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def add_material(*, meeting, added_by, title, notes="", url="", upload=None):
    if not (notes or url or upload):
        raise DomainError(_("Add notes, a link or a file, so there is something to open."))
    material = Material(meeting=meeting, added_by=added_by, title=title, notes=notes, url=url)
    if upload is not None:
        _store_file(material, upload)
    material.save()
    return material


@transaction.atomic
def delete_material(*, material):
    if material.file:
        name, storage = material.file.name, material.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    material.delete()


# Advance assignments


@transaction.atomic
def save_assignment(*, meeting, assignment=None, **fields):
    assignment = assignment or Assignment(meeting=meeting)
    for name, value in fields.items():
        setattr(assignment, name, value)
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def submit(*, assignment, membership, text="", upload=None):
    """Hand in (or hand in again) for oneself or one's organisation; late is kept, marked late."""
    if not text.strip() and upload is None:
        raise DomainError(_("Write something or attach a file before handing in."))
    owner = {"user_id": membership.user_id}
    if assignment.per == Assignment.Per.ORGANISATION:
        if membership.organisation_id is None:
            raise DomainError(
                _("This assignment is handed in by organisations, and you belong to none.")
            )
        owner = {"organisation_id": membership.organisation_id}
    submission = (
        Submission.objects.select_for_update().filter(assignment=assignment, **owner).first()
    )
    if submission is None:
        submission = Submission(assignment=assignment, **owner)
    now = timezone.now()
    submission.submitted_by_id = membership.user_id
    submission.text = text
    submission.submitted_at = now
    submission.is_late = now > assignment.due_at
    if upload is not None:
        _store_file(submission, upload)
    submission.save()
    return submission


def assignment_status(assignment, *, now=None):
    """Rows of (who, submission or None, state) for the coordinator's table.

    Per person: everyone registered for the meeting (or, before anyone registers, every
    member). Per organisation: every partner organisation of the project.
    """
    now = now or timezone.now()
    submissions = list(assignment.submissions.select_related("user", "organisation"))
    if assignment.per == Assignment.Per.ORGANISATION:
        handed_in = {s.organisation_id: s for s in submissions}
        owners = list(assignment.meeting.project.organisations.all())
    else:
        handed_in = {s.user_id: s for s in submissions}
        registered = assignment.meeting.registrations.exclude(
            status=Registration.Status.CANCELLED
        ).select_related("user")
        owners = [r.user for r in registered] or [
            m.user for m in assignment.meeting.project.memberships.select_related("user")
        ]
        owners.sort(key=lambda user: str(user).lower())
    rows = []
    for owner in owners:
        submission = handed_in.get(owner.pk)
        if submission is None:
            state = "missing" if now > assignment.due_at else "open"
        else:
            state = "late" if submission.is_late else "submitted"
        rows.append((owner, submission, state))
    return rows


@transaction.atomic
def send_assignment_reminders(*, assignment, build_url):
    """Email everyone who has not handed in yet; returns how many addresses were sent to."""
    missing = [
        owner
        for owner, _submission, state in assignment_status(assignment)
        if state in {"missing", "open"}
    ]
    if assignment.per == Assignment.Per.ORGANISATION:
        emails = sorted(
            {
                m.user.email
                for m in assignment.meeting.project.memberships.select_related("user").filter(
                    organisation__in=missing
                )
            }
        )
    else:
        emails = sorted({user.email for user in missing})
    if not emails:
        return 0
    subject = _("Reminder: %(title)s") % {"title": assignment.title}
    body = _("%(title)s for %(meeting)s is due on %(due)s. You can hand it in here: %(url)s") % {
        "title": assignment.title,
        "meeting": assignment.meeting.title,
        "due": timezone.localtime(assignment.due_at, assignment.meeting.zone).strftime(
            "%Y-%m-%d %H:%M"
        )
        + f" ({assignment.meeting.time_zone})",
        "url": build_url(assignment),
    }
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in emails]
    transaction.on_commit(lambda: send_mass_mail(messages))
    return len(emails)


def send_due_reminders(*, build_url, within=timedelta(hours=48), now=None):
    """Remind, once per assignment, everyone who has not handed in when the due date is near.

    Run from `manage.py send_meeting_reminders` (hourly, from cron or a systemd timer).
    Returns {assignment: number of addresses}.
    """
    now = now or timezone.now()
    due_soon = Assignment.objects.select_related("meeting__project").filter(
        reminded_at__isnull=True,
        due_at__gt=now,
        due_at__lte=now + within,
        meeting__status=Meeting.Status.PUBLISHED,
    )
    sent = {}
    for assignment in due_soon:
        with transaction.atomic():
            locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
            if locked.reminded_at is not None:
                continue
            sent[assignment] = send_assignment_reminders(assignment=assignment, build_url=build_url)
            locked.reminded_at = now
            locked.save(update_fields=["reminded_at"])
    return sent


# Tasks between meetings


def _check_assignees(project, fields):
    user, organisation = fields.get("assignee_user"), fields.get("assignee_organisation")
    if organisation is not None and organisation.project_id != project.pk:
        raise DomainError(_("This organisation belongs to another project."))
    if user is not None and not project.memberships.filter(user=user).exists():
        raise DomainError(_("This person is not a member of the project."))
    meeting = fields.get("meeting")
    if meeting is not None and meeting.project_id != project.pk:
        raise DomainError(_("This meeting belongs to another project."))


@transaction.atomic
def save_task(*, project, task=None, created_by=None, **fields):
    _check_assignees(project, fields)
    task = task or Task(project=project, created_by=created_by)
    for name, value in fields.items():
        setattr(task, name, value)
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def set_task_done(*, task, done):
    task.done_at = timezone.now() if done else None
    task.save(update_fields=["done_at"])
    return task


# Icebreaker library


@transaction.atomic
def save_icebreaker(*, project, icebreaker=None, tags=(), **fields):
    """A project's own icebreaker; the shared library is kept by seed data and the admin."""
    if icebreaker is not None and icebreaker.project_id != project.pk:
        raise DomainError(_("Only this project's own icebreakers can be changed here."))
    name = fields.get("name", icebreaker.name if icebreaker else "")
    clash = Icebreaker.objects.filter(project=project, name__iexact=name)
    if icebreaker is not None:
        clash = clash.exclude(pk=icebreaker.pk)
    if clash.exists():
        raise DomainError(_("This project already has an icebreaker with this name."))
    icebreaker = icebreaker or Icebreaker(project=project)
    for field, value in fields.items():
        setattr(icebreaker, field, value)
    icebreaker.full_clean()
    icebreaker.save()
    icebreaker.tags.set(list(tags), clear=True)
    return icebreaker


@transaction.atomic
def add_icebreaker_to_agenda(*, icebreaker, day):
    """The icebreaker becomes an item at the end of that day, with its time and instructions."""
    return add_item(
        day=day,
        kind=AgendaItem.Kind.ICEBREAKER,
        title=icebreaker.name,
        duration=icebreaker.duration,
        description=icebreaker.instructions,
        materials=icebreaker.materials,
    )


# Live activities of agenda slots


class LiveSlotError(DomainError):
    pass


@transaction.atomic
def prepare_live_activity(*, item, kind, created_by):
    """Create the live activity of a live-kind agenda item (an icebreaker's word wall, a
    pitch session, a learning café, a reflection round), prepared: it opens with the slot."""
    locked = AgendaItem.objects.select_for_update().select_related("day__meeting").get(pk=item.pk)
    if locked.live_activity_id is not None:
        raise LiveSlotError(_("This item already has its live activity."))
    definitions = dict(protocol.kinds_for_agenda(locked.kind))
    if kind not in definitions:
        raise LiveSlotError(_("This kind of activity cannot be prepared for this item."))
    activity = definitions[kind].prepare(
        project=locked.day.meeting.project, title=locked.title, created_by=created_by
    )
    locked.live_activity = item.live_activity = activity
    locked.save(update_fields=["live_activity"])
    return activity


def open_live_activity(*, item, membership):
    """Start the prepared activity of the slot, as the facilitator's console would: through
    the live protocol, so open pages hear of it at once."""
    activity = item.live_activity
    if activity is None:
        raise LiveSlotError(_("Prepare the activity of this item first."))
    if activity.state == LiveActivity.State.OPEN:
        return activity
    protocol.apply_op(
        activity_id=activity.pk,
        actor=protocol.Actor(membership=membership),
        op_id=f"agenda-open-{uuid.uuid4().hex}",
        op="state.set",
        data={"state": LiveActivity.State.OPEN},
    )
    activity.refresh_from_db()
    return activity
