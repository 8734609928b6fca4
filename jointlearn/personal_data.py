"""A member's personal data, as one JSON document they can download.

The core gives the profile, memberships and what they posted on live activities; each
module adds its part through `<app>/personal_data.py` with `export(user) -> dict`
(found by jointlearn.modules.hooks), so a new module cannot forget to say what it keeps.
"""

from django.utils import timezone

from .models import ConsentDecision, Membership, WordWallEntry
from .modules import hooks

FORMAT_VERSION = 1


def when(moment):
    return moment.isoformat() if moment else None


def export(user):
    """Core: who they are, where they are a member, the words they posted."""
    return {
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "time_zone": user.time_zone,
            "joined": when(user.date_joined),
            "last_login": when(user.last_login),
        },
        "memberships": [
            {
                "project": membership.project.name,
                "role": membership.role,
                "organisation": membership.organisation.name if membership.organisation else None,
                "joined": when(membership.joined_at),
            }
            for membership in Membership.objects.filter(user=user).select_related(
                "project", "organisation"
            )
        ],
        "live_words": [
            {
                "project": entry.activity.project.name,
                "activity": entry.activity.title,
                "word": entry.text,
                "posted": when(entry.created_at),
                "hidden": entry.hidden,
            }
            for entry in WordWallEntry.objects.filter(user=user).select_related("activity__project")
        ],
        "research_consent": [
            {
                "project": decision.project.name,
                "given": decision.given,
                "version": decision.version,
                "text": decision.text,
                "language": decision.language,
                "asked": decision.context,
                "decided": when(decision.decided_at),
            }
            for decision in ConsentDecision.objects.filter(user=user).select_related("project")
        ],
    }


def document(user):
    """Everything: the core's part and every module's, with when and in which format."""
    data = {"format_version": FORMAT_VERSION, "exported_at": timezone.now().isoformat()}
    for module in hooks("personal_data"):
        data[module.__name__.split(".")[0]] = module.export(user)
    return data
