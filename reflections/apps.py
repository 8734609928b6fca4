from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReflectionsConfig(AppConfig):
    name = "reflections"
    verbose_name = _("Reflections")

    def ready(self):
        from . import anonymity, pairs, polls, rounds

        rounds.register_kind()
        polls.register_kind()
        pairs.register_kind()
        anonymity.connect()
