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
"""

import asyncio
import time
from copy import deepcopy

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

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        message = deepcopy(message)
        expires = time.time() + self.expiry
        for channel in list(self.groups.get(group, ())):
            queue = self.channels.setdefault(
                channel, asyncio.Queue(maxsize=self.get_capacity(channel))
            )
            try:
                queue.put_nowait((expires, message))
            except asyncio.QueueFull:
                # A full channel misses the message, as in Channels' own group_send; the
                # version gap makes that socket resync.
                continue
