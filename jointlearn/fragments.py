"""Rendered pieces of pages, kept under a key made from everything they show.

A fragment's template reads only the plain values it is given (strings, numbers, lists of
them, a country), and the key is a digest of their reprs, the language, the templates and
the addresses (so `{% url %}` may be used). A change to anything the fragment shows makes a
new key, so a kept fragment is never out of date and nothing has to remember to clear it.
They live in their own cache ("fragments" in settings), which can lose them at any time:
the fragment is then rendered again.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.urls import get_resolver
from django.utils.safestring import mark_safe
from django.utils.translation import get_language


def url_patterns(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        yield f"{route} {getattr(pattern, 'name', '')}"
        yield from url_patterns(getattr(pattern, "url_patterns", ()), route)


@functools.cache
def release_digest():
    """A digest of every template and address, so that a release with other ones uses
    other keys (the cache may be shared by workers and outlive a deployment)."""
    digest = hashlib.blake2b(digest_size=8)
    for folder in [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]:
        for path in sorted(folder.rglob("*.html")):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    for line in url_patterns(get_resolver().url_patterns):
        digest.update(line.encode())
    return digest.hexdigest()


def key_of(namespace, values):
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr(sorted(values.items())).encode())
    return f"{namespace}:{release_digest()}:{get_language()}:{digest.hexdigest()}"


def render_each(template_name, contexts, *, namespace):
    """`template_name` rendered once for each context, reusing what was rendered before for
    the same values; the contexts must hold plain values only."""
    keys = [key_of(namespace, context) for context in contexts]
    cache = caches["fragments"]
    found = cache.get_many(keys)
    rendered = {
        key: render_to_string(template_name, context)
        for key, context in zip(keys, contexts, strict=True)
        if key not in found
    }
    if rendered:
        cache.set_many(rendered)
    found.update(rendered)
    return [mark_safe(found[key]) for key in keys]  # noqa: S308 (rendered by our templates)


def keep(namespace, values, render):
    """`render()` once for these plain values, then what it returned, until they change."""
    key = key_of(namespace, values)
    cache = caches["fragments"]
    found = cache.get(key)
    if found is None:
        found = render()
        cache.set(key, found)
    return mark_safe(found)  # noqa: S308 (rendered by our templates)
