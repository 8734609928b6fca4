"""Activate each viewer's language and time zone, from their profile or their browser."""

import zoneinfo
from urllib.parse import unquote

from django.conf import settings
from django.utils import timezone, translation

TIME_ZONE_COOKIE = "tz"
KNOWN_TIME_ZONES = zoneinfo.available_timezones()


class UserPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        language_codes = {code for code, _name in settings.LANGUAGES}
        if user.is_authenticated and user.preferred_language in language_codes:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        zone_name = user.time_zone if user.is_authenticated and user.time_zone else ""
        if not zone_name:
            zone_name = unquote(request.COOKIES.get(TIME_ZONE_COOKIE, ""))
        if zone_name not in KNOWN_TIME_ZONES:
            zone_name = settings.TIME_ZONE
        timezone.activate(zoneinfo.ZoneInfo(zone_name))
        request.time_zone_name = zone_name
        return self.get_response(request)
