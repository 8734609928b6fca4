"""What the core adds to "Coming next" on the project home: the live activities open now."""

from django.utils.translation import gettext as _

from .models import LiveActivity


def coming_next(project, membership):
    activities = list(project.live_activities.filter(state=LiveActivity.State.OPEN)[:3])
    for activity in activities:
        activity.project = project  # the URL needs its slug; no query per activity
    return [
        {"label": _("Live now"), "title": activity.title, "url": activity.get_absolute_url()}
        for activity in activities
    ]
