"""Template helpers of the core: times in the viewer's zone, with the zone named."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

register = template.Library()


@register.filter
def when(value, style="DATETIME_FORMAT"):
    """`<time>` in the viewer's time zone, for example "23 Nov 2026, 14:00 (Europe/Helsinki)"."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}">{} ({})</time>',
        value.isoformat(),
        date_format(local, style),
        timezone.get_current_timezone_name(),
    )


@register.simple_tag
def country_flag(country):
    """The small flag picture django-countries ships; decorative, as the name stands beside it."""
    if not country:
        return ""
    return format_html('<img class="flag" src="{}" alt="" width="16" height="11">', country.flag)
