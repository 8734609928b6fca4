"""The platform's modules, and the small hooks through which they add to shared pages.

The core never imports a module directly: a module that has something to add keeps it in
`<app>/<hook>.py` (`demo.py` for `seed_demo`, `home.py` for the project home), found here.
"""

import importlib
import importlib.util

MODULE_APPS = ["jointlearn", "practices", "meetings", "learningcafe", "reflections", "surveys"]


def hooks(name):
    """The `<app>.<name>` modules that exist, in the order of MODULE_APPS."""
    for app in MODULE_APPS:
        if importlib.util.find_spec(f"{app}.{name}") is not None:
            yield importlib.import_module(f"{app}.{name}")
