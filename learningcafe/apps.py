from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningCafeConfig(AppConfig):
    name = "learningcafe"
    verbose_name = _("Learning café")

    def ready(self):
        from jointlearn.live.consumers import socket_presence

        from . import live, presence  # noqa: F401 - live registers the café's kind

        socket_presence.connect(presence.socket_changed, dispatch_uid="learningcafe-presence")
