"""Each worker takes a live activity's events from the channel layer once, puts them in
order, and hands each to those of its sockets that follow it.

Before, every socket joined the activity's group itself. channels then woke every consumer
for every event (a receive with two tasks and a wait each), and a worker's 150 café phones
spent much of its event loop on notes of other tables: 30 notes a second, 4,500 wake-ups.
That loop is also the one the snapshots after a rotation compete with. Now the relay's one
channel is in the group; a phone is handed its own table's events, and the events that come
while it reads a snapshot (it sorts those out itself once it knows the snapshot's version
and the scopes it follows from then on).

Order: each worker (and each of its database threads) broadcasts what it committed as soon
as it can, so on two workers version 8 can reach a worker a few milliseconds before
version 7. The relay holds an event that overtook another for up to REORDER_WAIT_S. One
that never comes (a full channel dropped it) is counted as lost; every socket that has not
had a snapshot since then then sends its next event without "after", so the client resyncs.
"""

import asyncio
import logging

from .groups import activity_group

logger = logging.getLogger(__name__)

# How long the relay holds an event that overtook an earlier one (see above). Without the
# wait every such crossing made a gap and a snapshot (the soak: four resyncs per note).
REORDER_WAIT_S = 1.0
# channels_redis forgets a group's member after a day (group_expiry): the relay joins again
# well before, for a projector left open on a live activity for days.
REJOIN_S = 3600

_relays = {}


async def join(layer, activity_id, socket):
    """The worker's relay of the activity, with `socket` among its sockets; the relay is in
    the activity's group when this returns, so nothing committed from now on passes it by."""
    key = (asyncio.get_running_loop(), layer, activity_id)
    relay = _relays.get(key)
    if relay is None:
        relay = _relays[key] = Relay(layer, activity_id, key)
        relay.ready = asyncio.ensure_future(relay.start())
    relay.sockets.add(socket)
    try:
        await asyncio.shield(relay.ready)
    except Exception:
        relay.leave(socket)
        raise
    return relay


class Relay:
    def __init__(self, layer, activity_id, key):
        self.layer, self.activity_id, self.key = layer, activity_id, key
        self.sockets = set()
        self.channel = None
        self.ready = None
        self.tasks = []
        self.stopped = False
        # The last version handed on in order (None until a snapshot says where to start),
        # the newest version that never came, the events that overtook the one awaited,
        # the newest version a snapshot showed, and the timer that stops waiting.
        self.received = None
        self.lost = 0
        self.early = {}
        self.expected = 0
        self.timer = None

    async def start(self):
        self.channel = await self.layer.new_channel()
        await self.layer.group_add(activity_group(self.activity_id), self.channel)
        self.tasks = [
            asyncio.ensure_future(self.listen()),
            asyncio.ensure_future(self.stay_joined()),
        ]

    async def listen(self):
        try:
            while True:
                message = await self.layer.receive(self.channel)
                if message.get("type") == "live.event" and "version" in message:
                    self.take(message)
        except asyncio.CancelledError:
            raise
        except Exception:
            # The channel layer went away (Redis stopped): the sockets close and their
            # clients reconnect, to a relay that starts afresh.
            logger.exception("The live relay of activity %s stopped", self.activity_id)
            self.stop()
            for socket in list(self.sockets):
                socket.inbox.put_nowait({"type": "live.relay_lost"})

    async def stay_joined(self):
        while True:
            await asyncio.sleep(REJOIN_S)
            await self.layer.group_add(activity_group(self.activity_id), self.channel)

    def leave(self, socket):
        self.sockets.discard(socket)
        if not self.sockets:
            self.stop()

    def stop(self):
        if self.stopped:
            return
        self.stopped = True
        if _relays.get(self.key) is self:
            del _relays[self.key]
        if self.timer is not None:
            self.timer.cancel()
        for task in self.tasks:
            task.cancel()
        if self.channel is not None:
            task = asyncio.ensure_future(
                self.layer.group_discard(activity_group(self.activity_id), self.channel)
            )
            task.add_done_callback(discarded)

    def take(self, message):
        version = message["version"]
        if self.received is not None and version <= self.received:
            return  # a repeat, or one already counted as lost
        self.early[version] = message
        self.hand_on_in_order()

    def seen(self, version):
        """A socket's snapshot showed `version`: the relay starts from the first one, and
        waits for no longer than REORDER_WAIT_S for what the others showed."""
        if self.received is None:
            self.received = version
        self.expected = max(self.expected, version)
        self.hand_on_in_order()

    def hand_on_in_order(self, *, progress=False):
        if self.received is None or self.stopped:
            return  # the first snapshot says where to start; a stopped relay hands on nothing
        for version in [version for version in self.early if version <= self.received]:
            del self.early[version]
        while self.received + 1 in self.early:
            self.hand_on(self.early.pop(self.received + 1))
            progress = True
        waiting = bool(self.early) or self.expected > self.received
        if self.timer is not None and (progress or not waiting):
            self.timer.cancel()
            self.timer = None
        if waiting and self.timer is None:
            # Each new wait gets its full time.
            self.timer = asyncio.get_running_loop().call_later(REORDER_WAIT_S, self.give_up)

    def give_up(self):
        """What was awaited did not come: count it as lost and go on."""
        self.timer = None
        first = min(self.early) if self.early else self.expected + 1
        self.lost = max(self.lost, first - 1)
        self.received = max(self.received, first - 1)
        if self.early:
            # Every socket hears of the loss at once: the event goes to all of them.
            self.hand_on(self.early.pop(first), everyone=True)
        self.hand_on_in_order(progress=True)

    def hand_on(self, message, *, everyone=False):
        self.received = message["version"]
        event = message["event"]
        for socket in self.sockets:
            if everyone or socket.wants(event):
                socket.inbox.put_nowait(message)


def discarded(task):
    if not task.cancelled() and task.exception() is not None:
        logger.warning("The live relay could not leave its group", exc_info=task.exception())
