"""Who may do what with practices, evaluations, rounds, comments and transfers.

Every function takes the viewer's membership (None for people outside the project) and
reads as a sentence; views, templates and services all ask here.
"""

from jointlearn.models import Role
from jointlearn.permissions import is_coordinator

# Roles that bring practices of their organisation and rate the others'.
CONTRIBUTING_ROLES = {Role.COORDINATOR, Role.PARTNER}
# Roles a coordinator can assign as reviewers in an evaluation round.
REVIEWER_ROLES = {Role.COORDINATOR, Role.PARTNER, Role.FACILITATOR}


def belongs_to_owner(membership, practice):
    return (
        membership is not None
        and membership.organisation_id is not None
        and membership.organisation_id == practice.organisation_id
    )


def can_view_library(membership):
    return membership is not None


def can_add_practice(membership):
    return is_coordinator(membership) or (
        membership is not None
        and membership.role == Role.PARTNER
        and membership.organisation_id is not None
    )


def can_view_practice(membership, practice):
    if membership is None or membership.project_id != practice.project_id:
        return False
    return (
        practice.is_published
        or is_coordinator(membership)
        or belongs_to_owner(membership, practice)
    )


def can_edit_practice(membership, practice):
    if membership is None or membership.project_id != practice.project_id:
        return False
    return is_coordinator(membership) or belongs_to_owner(membership, practice)


def can_evaluate(membership, practice):
    """Anyone from another partner organisation may rate a published practice; never their own."""
    return (
        can_view_practice(membership, practice)
        and practice.is_published
        and membership.organisation_id is not None
        and not belongs_to_owner(membership, practice)
    )


def can_comment(membership, practice):
    return can_view_practice(membership, practice) and practice.is_published


def can_hide_comment(membership):
    return is_coordinator(membership)


def can_record_transfer(membership, practice):
    return (
        can_view_practice(membership, practice)
        and practice.is_published
        and membership.role in CONTRIBUTING_ROLES
        and membership.organisation_id is not None
        and not belongs_to_owner(membership, practice)
    )


def can_manage_rubric(membership):
    return is_coordinator(membership)


def can_manage_rounds(membership):
    return is_coordinator(membership)


def practice_permissions(membership, practice):
    """The flags the practice page uses to show or hide actions."""
    return {
        "edit": can_edit_practice(membership, practice),
        "evaluate": can_evaluate(membership, practice),
        "comment": can_comment(membership, practice),
        "hide_comments": can_hide_comment(membership),
        "record_transfer": can_record_transfer(membership, practice),
    }
