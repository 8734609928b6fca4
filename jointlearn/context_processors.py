"""Template context shared by every page."""

from django.conf import settings


def site(request):
    return {
        "time_zone_name": getattr(request, "time_zone_name", settings.TIME_ZONE),
        "current_project": getattr(request, "project", None),
        "current_membership": getattr(request, "membership", None),
        "current_guest": getattr(request, "guest", None),
    }
