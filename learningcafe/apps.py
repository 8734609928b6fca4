from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningCafeConfig(AppConfig):
    name = "learningcafe"
    verbose_name = _("Learning café")
