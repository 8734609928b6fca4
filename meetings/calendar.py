"""iCalendar feeds: every day of a meeting as an event in the meeting's own time zone."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .agenda import items_prefetch
from .models import AgendaDay, Meeting, Registration

PRODUCT_ID = "-//JointLearn//Meetings//EN"
UID_DOMAIN = "meetings.jointlearn"


def meetings_for(membership, *, personal):
    meetings = membership.project.meetings.exclude(status=Meeting.Status.DRAFT)
    if personal:
        meetings = meetings.filter(registrations__user=membership.user_id)
    return meetings.select_related("host").prefetch_related(
        Prefetch("days", queryset=AgendaDay.objects.prefetch_related(items_prefetch()))
    )


def feed(membership, *, personal):
    """The feed as bytes: the project's meetings, or the ones this member registered for."""
    project = membership.project
    statuses = dict(
        Registration.objects.filter(meeting__project=project, user=membership.user_id).values_list(
            "meeting", "status"
        )
    )
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = project.name if not personal else _("%(project)s: my meetings") % {"project": project}
    calendar.add("x-wr-calname", name)
    meetings = list(meetings_for(membership, personal=personal))
    for meeting in meetings:
        mine = statuses.get(meeting.pk) if personal else None
        if meeting.is_cancelled or mine == Registration.Status.CANCELLED:
            status = "CANCELLED"
        elif mine == Registration.Status.WAITING:
            status = "TENTATIVE"  # on the waiting list: the place is not certain yet
        else:
            status = "CONFIRMED"
        for day in meeting.days.all():
            day.meeting = meeting
            for item in day.items.all():
                item.day = day
            calendar.add_component(day_event(meeting, day, status=status))
    # One VTIMEZONE per zone used, with its rules for the years around the meetings.
    if meetings:
        first = min(meeting.starts_on for meeting in meetings)
        last = max(meeting.ends_on for meeting in meetings)
        calendar.add_missing_timezones(
            first_date=first.replace(year=first.year - 1, day=1),
            last_date=last.replace(year=last.year + 1, day=1),
        )
    return calendar.to_ical()


def day_event(meeting, day, *, status):
    items = list(day.items.all())
    start = day.start
    end = max([day.end] + [item.end for item in items])
    event = Event()
    # The same UID for the same day of the same meeting, however often it is edited.
    event.add("uid", f"{meeting.uid}-{day.date.isoformat()}@{UID_DOMAIN}")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated_at)
    event.add("last-modified", meeting.updated_at)
    event.add("dtstart", start)
    event.add("dtend", end)
    title = meeting.title
    if day.title:
        title = f"{meeting.title}: {day.title}"
    event.add("summary", title)
    location = ", ".join(part for part in [meeting.venue_name, meeting.venue_address] if part)
    if not location and meeting.is_online:
        location = _("Online")
    if location:
        event.add("location", location)
    lines = []
    for item in items:
        line = f"{item.starts_at.strftime('%H:%M')} {item.title}"
        lines.append(f"{line} ({item.place})" if item.place else line)
    if lines:
        event.add("description", "\n".join(lines))
    event.add("status", status)
    return event
