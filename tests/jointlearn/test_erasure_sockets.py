"""An erased member's open sockets close at once, like a removed member's, and everyone
else's pages are told to take a new snapshot (the name is gone)."""

import pytest
from channels.db import database_sync_to_async

from jointlearn import erasure
from jointlearn.live.consumers import REMOVED

from .test_live_activity_socket import joined, receive_event, receive_until, world
from .test_removal import closed_with

pytestmark = pytest.mark.django_db(transaction=True)


async def test_an_erased_member_is_disconnected_everywhere():
    _project, wall, facilitator, participant = await world()
    socket, _ = await joined(wall, user=participant)
    other, snapshot = await joined(wall, user=facilitator)

    await database_sync_to_async(erasure.erase_account)(user=participant)

    assert (await receive_until(socket, "error"))["code"] == "removed"
    assert await closed_with(socket) == REMOVED
    assert (await receive_event(other, "resync"))["version"] == snapshot["version"] + 1
    await other.send_json_to({"op": "ping"})
    assert (await other.receive_json_from())["type"] == "pong"
    await other.disconnect()
