"""Who may read the learning trails and build the project pack."""

from jointlearn.permissions import can_view_project, is_coordinator


def can_follow_trails(membership):
    """Every member; guests who joined with a code see only their live activities."""
    return can_view_project(membership)


def can_build_project_pack(membership):
    """The project pack is the coordinators' report to the funder."""
    return is_coordinator(membership)
