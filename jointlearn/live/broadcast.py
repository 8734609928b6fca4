"""Send events to a channel-layer group once the transaction that caused them has committed."""

import asyncio
import logging
import os

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from .groups import project_group

logger = logging.getLogger(__name__)
_pending = set()


def waiting_loop():
    """The event loop that waits for this thread, when this is the database thread of an
    async server (asgiref's sync_to_async records it), else None."""
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None) != os.getpid():
        return None
    return loop if loop is not None and loop.is_running() else None


def sent(future):
    _pending.discard(future)
    if not future.cancelled() and future.exception() is not None:
        # Clients see the version gap at their next event or ping and resync.
        logger.error("A live event could not be sent", exc_info=future.exception())


def track(future):
    """Keep a send that is not waited for until it is done, and log it if it failed."""
    _pending.add(future)
    future.add_done_callback(sent)


def send_to_group(group, message):
    layer = get_channel_layer()
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if loop is not None:
        # Synchronous code on a thread that runs an event loop (a command called from async
        # code) cannot wait for the send; it goes out as soon as the loop is free.
        track(loop.create_task(layer.group_send(group, message)))
        return
    loop = waiting_loop()
    if loop is None:
        async_to_sync(layer.group_send)(group, message)
        return
    # The database thread of daphne: handed to the event loop, not waited for. Waiting held
    # the one database thread every socket shares until the busy loop got round to the send
    # (cafe_mix_300: a sixth of each operation's time, and the ops queued behind it).
    # Sends start in the order they are handed over; consumers put overtaken events back in
    # order (jointlearn.live.consumers).
    track(asyncio.run_coroutine_threadsafe(layer.group_send(group, message), loop))


def broadcast_after_commit(group, event, *, version=None):
    """Queue `event` for the group's sockets; nothing is sent if the transaction rolls back.

    Live activities pass the version the change produced, so clients can see a gap.
    """
    message = {"type": "live.event", "event": event}
    if version is not None:
        message["version"] = version
    transaction.on_commit(lambda: send_to_group(group, message))


def disconnect_after_commit(group):
    """Close every socket in the group once the removal that caused it has committed."""
    transaction.on_commit(lambda: send_to_group(group, {"type": "live.disconnect"}))


def project_changed(project, what):
    """Tell the project's open pages that `what` (members, organisations, project) changed."""
    broadcast_after_commit(project_group(project.pk), {"kind": "project.changed", "what": what})
