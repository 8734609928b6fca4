"""The feedback surveys of a meeting, for the meeting page."""

from django import template

from jointlearn.permissions import is_coordinator

from ..models import Survey

register = template.Library()


@register.inclusion_tag("surveys/_meeting_surveys.html", takes_context=True)
def meeting_surveys(context, meeting):
    request = context["request"]
    manage = is_coordinator(getattr(request, "membership", None))
    surveys = [
        survey
        for survey in Survey.objects.filter(meeting=meeting).select_related("project")
        if manage or survey.is_open
    ]
    return {"surveys": surveys, "manage": manage, "meeting": meeting, "project": meeting.project}
