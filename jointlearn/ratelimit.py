"""A fixed-window counter in the cache, to slow down guessing (for example of join codes)."""

import time

from django.core.cache import cache


def seconds_until_allowed(key, *, limit, window):
    """How long `key` must wait before it may try again; 0 when it may try now."""
    state = cache.get(key)
    if state is None:
        return 0
    started, count = state
    remaining = int(started + window - time.time())
    if remaining <= 0:
        return 0
    return remaining if count >= limit else 0


def record_failure(key, *, window):
    now = time.time()
    started, count = cache.get(key) or (now, 0)
    if started + window <= now:
        started, count = now, 0
    cache.set(key, (started, count + 1), timeout=int(started + window - now) + 1)
