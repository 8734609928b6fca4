"""Send events to a channel-layer group once the transaction that caused them has committed."""

import asyncio

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from .groups import project_group

_pending = set()


def send_to_group(group, message):
    layer = get_channel_layer()
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        async_to_sync(layer.group_send)(group, message)
        return
    # Synchronous code on a thread that runs an event loop (a command called from async
    # code) cannot wait for the send; it goes out as soon as the loop is free.
    task = loop.create_task(layer.group_send(group, message))
    _pending.add(task)
    task.add_done_callback(_pending.discard)


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
