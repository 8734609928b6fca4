"""Template helpers of meetings: times as they read on the meeting's own clock."""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html

register = template.Library()


@register.filter
def clock(value):
    """ "14:30" in the zone the moment carries, not the viewer's (the `time` filter converts)."""
    if not value:
        return ""
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), value.strftime("%H:%M"))


@register.filter
def day_range(meeting):
    """The meeting's first and last day, in the active language's date format."""
    first = date_format(meeting.starts_on, "DATE_FORMAT")
    if meeting.starts_on == meeting.ends_on:
        return first
    return f"{first} \u2013 {date_format(meeting.ends_on, 'DATE_FORMAT')}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
