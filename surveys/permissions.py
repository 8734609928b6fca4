"""Who may do what with surveys: coordinators build, open, send and read; members answer."""

from jointlearn.permissions import is_coordinator


def can_manage_surveys(membership):
    return is_coordinator(membership)


def can_answer_surveys(membership):
    return membership is not None
