"""Publishing outputs to the participants: share an activity's results or a meeting's pack,
revoke it, find what is shared. What a share shows is jointlearn/outputs.py's SHARED
audience; who may publish is `permissions.can_share_outputs`."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import LiveActivity, Share
from .services import DomainError


class CannotShare(DomainError):
    pass


def publish(*, project, created_by, activity=None, meeting=None):
    """Share the output with the participants; sharing it again keeps the same link."""
    try:
        return _publish(project, created_by, activity, meeting)
    except IntegrityError:
        # Shared at the same moment from another page: that share is the one.
        share = live_share(activity=activity, meeting=meeting)
        if share is None:
            raise
        return share


@transaction.atomic
def _publish(project, created_by, activity, meeting):
    target = activity if activity is not None else meeting
    if target is None or target.project_id != project.pk:
        raise CannotShare(_("This output is not part of the project."))
    if activity is not None and activity.state == LiveActivity.State.PREPARED:
        raise CannotShare(_("This activity has not started yet, so it has nothing to share."))
    live = Share.objects.select_for_update().filter(
        project=project, activity=activity, meeting=meeting, revoked_at=None
    )
    existing = live.first()
    if existing is not None:
        return existing
    return Share.objects.create(
        project=project, activity=activity, meeting=meeting, created_by=created_by
    )


@transaction.atomic
def revoke(*, share):
    """The link stops working at once; publishing again makes a new link."""
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
    return share


def live_share(*, activity=None, meeting=None):
    return Share.objects.filter(activity=activity, meeting=meeting, revoked_at=None).first()


def shared_for_meeting(meeting):
    """The live shares of the meeting's pack and of its activities, newest first."""
    from django.db.models import Q

    return list(
        Share.objects.filter(revoked_at=None)
        .filter(Q(meeting=meeting) | Q(activity__agenda_item__day__meeting=meeting))
        .select_related("activity", "meeting")
        .distinct()
    )


def find(token):
    """The live share of the token, or None (unknown or revoked)."""
    if not token or len(token) > 64:
        return None
    return (
        Share.objects.select_related("project", "activity__project", "meeting__project")
        .filter(token=token, revoked_at=None)
        .first()
    )
