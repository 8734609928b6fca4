"""Template helpers of the core: times in the viewer's zone, with the zone named; blocks
kept rendered."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from jointlearn import fragments

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


class KeepNode(template.Node):
    def __init__(self, name, values, nodelist):
        self.name, self.values, self.nodelist = name, values, nodelist

    def render(self, context):
        values = tuple(value.resolve(context) for value in self.values)
        return fragments.keep(
            f"keep:{self.name.resolve(context)}",
            {"values": values},
            lambda: self.nodelist.render(context),
        )


@register.tag
def keep(parser, token):
    """`{% keep "name" value… %}…{% endkeep %}`: the block is rendered once for these values
    and then kept (`jointlearn.fragments`), so the block must show nothing but what the
    values hold (with the language, the addresses and translated words)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% keep %} needs a name and the values it shows.")
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    return KeepNode(
        parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]], nodelist
    )
