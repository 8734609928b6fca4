import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # WeasyPrint (the agenda PDF) reports every step of its work, and each screen-only
        # media query of our stylesheet, from the moment it is imported; neither tells an
        # operator anything, so only its errors reach the logs.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)
