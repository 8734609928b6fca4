"""Meetings for tests, built through the services like the app builds them."""

import zoneinfo
from datetime import date, time

from django.utils import timezone

from meetings import services
from meetings.models import AgendaItem, Meeting


def meeting_today(time_zone="Europe/Helsinki"):
    """Today where the meeting is (make_meeting's zone): from 22:00 UTC, Helsinki is already
    in tomorrow, and a meeting held on the server's today has ended there."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(time_zone))


def make_meeting(project, **fields):
    fields.setdefault("title", "Seminar in Tampere")
    fields.setdefault("kind", Meeting.Kind.FACE_TO_FACE)
    fields.setdefault("time_zone", "Europe/Helsinki")
    fields.setdefault("starts_on", date(2030, 3, 12))
    fields.setdefault("ends_on", fields["starts_on"])
    fields.setdefault("status", Meeting.Status.PUBLISHED)
    return services.create_meeting(project=project, **fields)


def add_item(day, title="Lecture", duration=60, **fields):
    fields.setdefault("kind", AgendaItem.Kind.LECTURE)
    return services.add_item(day=day, title=title, duration=duration, **fields)


def at(hour, minute=0):
    return time(hour, minute)
