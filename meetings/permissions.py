"""Who may do what with meetings: the one place that decides, for views and templates."""

from django.utils import timezone

from jointlearn.models import Role
from jointlearn.permissions import can_run_live_activities

from .models import ONLINE_LINK_LEAD, Meeting, Registration

PLANNERS = {Role.COORDINATOR}
FACILITATING = {Role.COORDINATOR, Role.FACILITATOR}


def can_plan_meetings(membership):
    return membership is not None and membership.role in PLANNERS


def can_take_attendance(membership):
    return membership is not None and membership.role in FACILITATING


def can_prepare_meetings(membership):
    """Add material, assignments and tasks, see everyone's submissions."""
    return membership is not None and membership.role in FACILITATING


def can_manage_icebreakers(membership):
    return membership is not None and membership.role in FACILITATING


def can_mark_task_done(membership, task):
    if membership is None:
        return False
    if membership.role in FACILITATING or task.assignee_user_id == membership.user_id:
        return True
    return (
        task.assignee_organisation_id is not None
        and task.assignee_organisation_id == membership.organisation_id
    )


def can_see_meeting(membership, meeting):
    """Drafts are for the people who plan and run meetings; the rest see them once published."""
    if membership is None:
        return False
    return meeting.status != Meeting.Status.DRAFT or membership.role in FACILITATING


def can_see_needs(membership, meeting):
    """Dietary and accessibility needs: coordinators and the host organisation's people only."""
    if membership is None:
        return False
    if membership.role == Role.COORDINATOR:
        return True
    return meeting.host_id is not None and membership.organisation_id == meeting.host_id


def can_see_online_link(membership, meeting, registration, *, first_start, last_end, now=None):
    """Registered people see the link from shortly before the meeting until it ends; the
    people who run the meeting always see it."""
    if not meeting.online_url or membership is None or meeting.is_cancelled:
        return False
    if membership.role in FACILITATING:
        return True
    if registration is None or registration.status != Registration.Status.CONFIRMED:
        return False
    now = now or timezone.now()
    return first_start - ONLINE_LINK_LEAD <= now <= last_end


def meeting_permissions(membership, meeting=None):
    """Flags for templates."""
    flags = {
        "plan": can_plan_meetings(membership),
        "take_attendance": can_take_attendance(membership),
        "prepare": can_prepare_meetings(membership),
        "manage_icebreakers": can_manage_icebreakers(membership),
        "run_live": can_run_live_activities(membership),
    }
    if meeting is not None:
        flags["see_needs"] = can_see_needs(membership, meeting)
    return flags
