"""The in-memory channel layer of the embedded default (one daphne process, no Redis).

Two costs of Channels' InMemoryChannelLayer grow with the number of sockets, measured in the
café benchmark (300 sockets, py-spy):
- It cleans expired messages and group memberships on every receive, and a clean walks
  every channel and every group: over 40 % of the server's time. Expiry is measured in
  seconds (messages after 60 s, memberships after a day), so cleaning once a second changes
  nothing anyone can see.
- `group_send` starts a task per member and deep-copies the message for each, 300 tasks and
  300 copies per event. Here the message is copied once (the sender may reuse its dict) and
  the same copy is queued for every member at once. Receivers only read messages: every
  handler in `jointlearn/live/consumers.py` builds its own frames.
- Channels builds a new queue for every member on every send (`setdefault` with a new queue
  as its default) and drops a channel's queue whenever a receive leaves it empty, so the
  next send and receive built two more: 600 queues per café event. Here a queue is made
  only for a channel that has none, and empty queues nobody waits on are dropped with the
  once-a-second clean.
"""

import asyncio
import time
from copy import deepcopy

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer

CLEAN_EVERY_S = 1.0


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    _cleaned_at = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._cleaned_at < CLEAN_EVERY_S:
            return
        self._cleaned_at = now
        super()._clean_expired()
        for channel, queue in list(self.channels.items()):
            if queue.empty() and not queue._getters:
                del self.channels[channel]

    def queue_of(self, channel):
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
        return queue

    async def send(self, channel, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        try:
            self.queue_of(channel).put_nowait((time.time() + self.expiry, deepcopy(message)))
        except asyncio.QueueFull:
            raise ChannelFull(channel) from None

    async def receive(self, channel):
        self.require_valid_channel_name(channel)
        self._clean_expired()
        _expires, message = await self.queue_of(channel).get()
        return message

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        message = deepcopy(message)
        expires = time.time() + self.expiry
        for channel in list(self.groups.get(group, ())):
            try:
                self.queue_of(channel).put_nowait((expires, message))
            except asyncio.QueueFull:
                # A full channel misses the message, as in Channels' own group_send; the
                # version gap makes that socket resync.
                continue
