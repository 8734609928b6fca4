"""System checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if settings.SECRET_KEY_MISSING:
        return [
            Error(
                "SECRET_KEY is not set in the environment.",
                hint="Set SECRET_KEY to at least 50 random characters (see .env.example).",
                id="jointlearn.E001",
            )
        ]
    return []
