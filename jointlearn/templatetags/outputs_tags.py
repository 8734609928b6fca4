"""Template tags of shared outputs: the live share of an activity or meeting, and the
outputs shared from a meeting."""

from django import template
from django.utils.translation import gettext as _

from .. import sharing

register = template.Library()


@register.simple_tag
def live_share_of(activity=None, meeting=None):
    return sharing.live_share(activity=activity, meeting=meeting)


@register.simple_tag
def shared_from_meeting(meeting):
    """{"shares": the live shares of the meeting and its activities, "pack": the meeting
    pack's own share or None}, in one query."""
    shares = sharing.shared_for_meeting(meeting)
    return {
        "shares": shares,
        "pack": next((share for share in shares if share.meeting_id == meeting.pk), None),
    }


@register.filter
def may_share_outputs(membership):
    from ..permissions import can_share_outputs

    return can_share_outputs(membership)


@register.filter
def output_cell(value):
    """A cell of an output's table as a reader sees it: yes or no rather than True or False."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value
