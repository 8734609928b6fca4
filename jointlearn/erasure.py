"""Erasure of a member's account and purging of expired guests: one rule for every module.

The rule (docs/personal-data.md says the same in the users' words):

- The account row stays as a tombstone so that shared outputs keep their shape: no name, no
  email address, no password, inactive, `erased_at` set. Everywhere a person is shown it
  reads "former participant" (`User.__str__`, `models.shown_name` for stored names).
- What only makes sense with the person goes: memberships (and with them calendar feeds),
  consent decisions, invitations sent to their address, reviewer assignments, personal
  survey links, registrations for meetings that have not ended, café host seats.
- What they wrote in shared outputs stays, shown as by a former participant, unless they
  ask for it to be removed too; then their evaluations, comments, pitch ratings, words,
  café notes and votes, host summaries, reflection answers, poll votes, survey responses
  and personal hand-ins are deleted. What they did for their organisation or the project
  (practices, transfers, materials, tasks, surveys, rounds, codes, activities they
  created) stays in every case: it belongs to the project, and is shown as by a former
  participant.
- Anonymous answers hold no link to anyone and stay as they are.

Each module says what it does with its own rows in `<app>/erasure.py`:
`forget(*, user=None, guest=None, remove_contributions=False)`, found through
jointlearn.modules.hooks. A guest (purged after the project's retention time) goes
through the same hooks, then their record is deleted.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .live.broadcast import disconnect_after_commit
from .live.groups import person_group
from .live.protocol import changing_outside_operations
from .models import (
    ConsentDecision,
    Guest,
    Invitation,
    Membership,
    Project,
    Role,
    User,
    WordWallEntry,
)
from .modules import hooks
from .services import DomainError

# Every reference to an account, and what erasure does with it (the account row stays, so
# no on_delete runs; `tests/jointlearn/test_erasure.py` fails when a new one is not listed).
KEPT = "kept, shown as by a former participant"
KEPT_UNLESS_REMOVED = "kept, shown as by a former participant; deleted on request"
DELETED = "deleted"
ACCOUNT_REFERENCES = {
    "admin.LogEntry.user": KEPT,
    "jointlearn.Membership.user": DELETED,
    "jointlearn.Invitation.invited_by": KEPT,
    "jointlearn.JoinCode.created_by": KEPT,
    "jointlearn.LiveActivity.created_by": KEPT,
    "jointlearn.WordWallEntry.user": KEPT_UNLESS_REMOVED,
    "jointlearn.ConsentText.created_by": KEPT,
    "jointlearn.ConsentDecision.user": DELETED,
    "practices.Practice.created_by": KEPT,
    "practices.Practice.updated_by": KEPT,
    "practices.EvaluationRound.created_by": KEPT,
    "practices.Assignment.reviewer": DELETED,
    "practices.Evaluation.evaluator": KEPT_UNLESS_REMOVED,
    "practices.Comment.author": KEPT_UNLESS_REMOVED,
    "practices.Comment.hidden_by": KEPT,
    "practices.Transfer.created_by": KEPT,
    "practices.PitchRating.user": KEPT_UNLESS_REMOVED,
    "meetings.Registration.user": "deleted before the meeting ends; kept after, without needs",
    "meetings.Material.added_by": KEPT,
    "meetings.Submission.user": KEPT_UNLESS_REMOVED,
    "meetings.Submission.submitted_by": KEPT,
    "meetings.Task.assignee_user": KEPT,
    "meetings.Task.created_by": KEPT,
    "learningcafe.CafeTable.host": "set to nobody",
    "learningcafe.CafeParticipant.user": "kept without a name, marked as having left",
    "learningcafe.TableSummary.author": KEPT_UNLESS_REMOVED,
    "reports.ProjectPack.requested_by": KEPT,
    "jointlearn.Share.created_by": KEPT,
    "reflections.Presence.user": "kept without a name",
    "reflections.Answer.user": KEPT_UNLESS_REMOVED,
    "reflections.Vote.user": KEPT_UNLESS_REMOVED,
    "surveys.Survey.created_by": KEPT,
    "surveys.Response.user": KEPT_UNLESS_REMOVED,
    "surveys.SurveyLink.user": DELETED,
}
# Every reference to a guest, and what purging the guest does (the guest row is deleted).
GUEST_REFERENCES = {
    "jointlearn.WordWallEntry.guest": "kept without a name (SET_NULL)",
    "practices.PitchRating.guest": "deleted with the guest (CASCADE)",
    "learningcafe.CafeParticipant.guest": "deleted with the guest, and their dot votes",
    "reflections.Presence.guest": "deleted with the guest (CASCADE)",
    "reflections.Answer.guest": "kept without a name (SET_NULL)",
    "reflections.Vote.guest": "deleted with the guest (CASCADE)",
}


class ErasureRefused(DomainError):
    pass


def sole_coordinator_of(user):
    """The projects in which this person is the only coordinator."""
    projects = Membership.objects.filter(user=user, role=Role.COORDINATOR).values("project")
    return list(
        Project.objects.filter(pk__in=projects)
        .annotate(coordinators=Count("memberships", filter=Q(memberships__role=Role.COORDINATOR)))
        .filter(coordinators=1)
        .order_by("name")
    )


def forget(*, user=None, guest=None, remove_contributions=False):
    """Core: the word-wall words of the person or guest."""
    words = (
        WordWallEntry.objects.filter(user=user)
        if user
        else WordWallEntry.objects.filter(guest=guest)
    )
    if remove_contributions:
        words.delete()
    else:
        words.update(author_name="")
    if user is not None:
        ConsentDecision.objects.filter(user=user).delete()
        Invitation.objects.filter(email__iexact=user.email).delete()


@transaction.atomic
def erase_account(*, user, remove_contributions=False):
    """Erase a member's account (the rule above). Refused for an account already erased
    and for the only coordinator of a project, who hands the role over first."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.erased_at is not None:
        raise ErasureRefused(_("This account has already been erased."))
    blocking = sole_coordinator_of(user)
    if blocking:
        raise ErasureRefused(
            _(
                "You are the only coordinator of %(projects)s. Hand over the coordinator role "
                "first: make another member coordinator on the Members page, then come back."
            )
            % {"projects": ", ".join(project.name for project in blocking)}
        )
    project_ids = list(Membership.objects.filter(user=user).values_list("project_id", flat=True))
    with changing_outside_operations(project_ids):
        for module in hooks("erasure"):
            module.forget(user=user, remove_contributions=remove_contributions)
    Membership.objects.filter(user=user).delete()
    user.email = f"erased-{user.pk}@erased.invalid"
    user.display_name = ""
    user.preferred_language = "en"
    user.time_zone = ""
    user.last_login = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    # A new (unusable) password also ends every session they have open elsewhere.
    user.set_unusable_password()
    user.erased_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    for project_id in project_ids:
        disconnect_after_commit(person_group(project_id, f"user-{user.pk}"))
    return user


def expired_guests(*, now=None):
    """Guests whose project's retention time has passed since they were last active."""
    now = now or timezone.now()
    expired = []
    for project in Project.objects.filter(guests__isnull=False).distinct().order_by("pk"):
        cutoff = now - timedelta(days=project.guest_retention_days)
        expired.extend(Guest.objects.filter(project=project, last_seen_at__lt=cutoff))
    return expired


@transaction.atomic
def purge_guest(*, guest, remove_contributions=False):
    """A guest's record goes and their name with it, and every page they have open closes.
    What they wrote stays, unnamed, unless `remove_contributions` (a facilitator removing
    someone who posted what should not stay); open live pages take a new snapshot."""
    project_id, key = guest.project_id, f"guest-{guest.pk}"
    with changing_outside_operations([project_id]):
        for module in hooks("erasure"):
            module.forget(guest=guest, remove_contributions=remove_contributions)
        guest.delete()
    disconnect_after_commit(person_group(project_id, key))


def purge_guests(*, now=None, dry_run=False):
    """Purge every expired guest; returns how many (or would be, on a dry run)."""
    guests = expired_guests(now=now)
    if not dry_run:
        for guest in guests:
            purge_guest(guest=guest)
    return len(guests)
