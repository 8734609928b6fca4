"""The worker's relay of an activity's events (jointlearn.live.relay): one channel in the
activity's group per worker, events back in order, each handed only to the sockets that
follow it, and a lost one made known to every socket."""

import asyncio

import pytest
from channels.layers import get_channel_layer

from jointlearn.live import protocol, relay
from jointlearn.live.groups import activity_group

from .test_live_activity_socket import joined, receive_until, send, world

pytestmark = pytest.mark.django_db(transaction=True)


class Socket:
    """What the relay needs of a consumer: an inbox and the scopes it follows."""

    def __init__(self, *scopes, reading=False):
        self.inbox = asyncio.Queue()
        self.scopes = set(scopes) or None
        self.reading = reading

    def wants(self, event):
        return self.reading or protocol.follows(self.scopes, event)

    def versions(self):
        got = []
        while not self.inbox.empty():
            got.append(self.inbox.get_nowait()["version"])
        return got


def event(version, scope=None):
    return {"type": "live.event", "version": version, "event": {"kind": "x", "scope": scope}}


def started(*sockets, at=0):
    hub = relay.Relay(layer=None, activity_id=1, key=None)
    hub.sockets.update(sockets)
    hub.seen(at)
    return hub


async def test_each_socket_is_handed_the_events_of_its_scopes_in_order():
    console, table_one, table_two = Socket(), Socket("table-1"), Socket("table-2")
    hub = started(console, table_one, table_two)
    hub.take(event(2, "table-2"))
    hub.take(event(1, "table-1"))  # overtaken on the way: 2 waited for it
    hub.take(event(3))  # for everyone
    hub.take(event(2, "table-2"))  # a repeat
    assert console.versions() == [1, 2, 3]
    assert table_one.versions() == [1, 3]
    assert table_two.versions() == [2, 3]
    assert (hub.received, hub.lost, hub.timer) == (3, 0, None)


async def test_a_socket_reading_a_snapshot_is_handed_everything():
    """Which events a phone shows depends on the table its snapshot finds: until then it
    gets them all, and sorts them out itself."""
    moving = Socket("table-1", reading=True)
    hub = started(moving)
    hub.take(event(1, "table-2"))
    moving.reading = False
    hub.take(event(2, "table-2"))
    assert moving.versions() == [1]


async def test_an_event_that_never_comes_is_lost_for_everyone(monkeypatch):
    monkeypatch.setattr(relay, "REORDER_WAIT_S", 0.05)
    table_one, table_two = Socket("table-1"), Socket("table-2")
    hub = started(table_one, table_two)
    hub.take(event(1, "table-1"))
    hub.take(event(3, "table-1"))  # 2 never comes
    hub.take(event(4, "table-2"))
    assert table_one.versions() == [1] and hub.timer is not None
    await asyncio.sleep(0.2)
    # The first after the gap goes to every socket: whoever 2 was for resyncs now.
    assert table_one.versions() == [3]
    assert table_two.versions() == [3, 4]
    assert (hub.received, hub.lost, hub.timer) == (4, 2, None)
    hub.take(event(2, "table-2"))  # too late: already counted as lost
    assert table_two.versions() == []


async def test_a_version_a_snapshot_showed_that_never_comes_is_lost(monkeypatch):
    """The last event of a burst dropped: no later one shows the gap, the snapshot that a
    ping asked for does."""
    monkeypatch.setattr(relay, "REORDER_WAIT_S", 0.05)
    hub = started(Socket(), at=3)
    hub.seen(5)
    hub.take(event(4))
    await asyncio.sleep(0.2)
    assert (hub.received, hub.lost) == (5, 5)


async def test_a_worker_has_one_channel_in_the_group_and_leaves_it_with_its_last_socket(
    monkeypatch,
):
    _project, wall, facilitator, participant = await world()
    layer = get_channel_layer()
    group = activity_group(wall.pk)
    joins, leaves = [], []
    group_add, group_discard = layer.group_add, layer.group_discard

    async def add(name, channel):
        if name == group:
            joins.append(channel)
        await group_add(name, channel)

    async def discard(name, channel):
        if name == group:
            leaves.append(channel)
        await group_discard(name, channel)

    monkeypatch.setattr(layer, "group_add", add)
    monkeypatch.setattr(layer, "group_discard", discard)
    first, _ = await joined(wall, user=participant)
    second, _ = await joined(wall, user=facilitator)
    assert len(joins) == 1
    await send(first, "word.post", "w1", text="Curious")
    assert (await receive_until(second, "event"))["version"] == 1
    await first.disconnect()
    assert leaves == []
    await second.disconnect()
    await asyncio.sleep(0.05)
    assert leaves == joins


async def test_sockets_close_when_the_relay_loses_the_channel_layer():
    """Redis went away under the relay: its sockets close, and the clients reconnect to a
    relay that starts afresh."""
    _project, wall, _facilitator, participant = await world()
    layer = get_channel_layer()
    socket, _ = await joined(wall, user=participant)
    hub = relay._relays[(asyncio.get_running_loop(), layer, wall.pk)]
    receive = layer.receive

    async def broken(channel):
        if channel == hub.channel:
            raise ConnectionError("Redis is away")
        return await receive(channel)

    layer.receive = broken
    try:
        hub.tasks[0].cancel()
        hub.tasks[0] = asyncio.ensure_future(hub.listen())
        closed = await socket.receive_output(timeout=2)
    finally:
        layer.receive = receive
    assert closed["type"] == "websocket.close"
    assert hub.key not in relay._relays
    again, snapshot = await joined(wall, user=participant)
    assert snapshot["version"] == 0
    await again.disconnect()
