"""The `markdown` filter: Markdown written by people, rendered and cleaned."""

from django import template
from django.utils.safestring import mark_safe

from ..markdown import render_markdown

register = template.Library()


@register.filter
def markdown(value):
    return mark_safe(render_markdown(value))  # noqa: S308 - cleaned by nh3 in render_markdown
