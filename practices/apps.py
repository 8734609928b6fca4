from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Good practices")

    def ready(self):
        from jointlearn.live.protocol import register
        from jointlearn.models import LiveActivity

        from .pitch import KIND

        register(LiveActivity.Kind.PITCH, KIND)
