from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointLearnConfig(AppConfig):
    name = "jointlearn"
    verbose_name = _("JointLearn core")

    def ready(self):
        from . import checks  # noqa: F401 - registers the checks
        from .live import wordwall  # noqa: F401 - registers the word wall's operations
