"""What meetings add to "Coming next" on the project home: the next meetings."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Meeting
from .permissions import can_take_attendance


def coming_next(project, membership):
    meetings = project.meetings.filter(ends_on__gte=timezone.localdate()).exclude(
        status=Meeting.Status.CANCELLED
    )
    if not can_take_attendance(membership):
        meetings = meetings.exclude(status=Meeting.Status.DRAFT)
    meetings = list(meetings.order_by("starts_on", "title")[:3])
    for meeting in meetings:
        meeting.project = project  # the URL needs its slug; no query per meeting
    return [
        {
            "label": _("Meeting"),
            "title": meeting.title,
            "url": meeting.get_absolute_url(),
            "date": meeting.starts_on,
        }
        for meeting in meetings
    ]
