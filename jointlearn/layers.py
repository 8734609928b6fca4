"""The in-memory channel layer of the embedded default (one daphne process, no Redis).

Channels' InMemoryChannelLayer cleans expired messages and group memberships on every
receive, and a clean walks every channel and every group. With 300 sockets each receiving
every event of an activity, that walk was over 40 % of the server's time in the café
benchmark (py-spy). Expiry is measured in seconds (messages after 60 s, memberships after a
day), so cleaning once a second changes nothing anyone can see.
"""

import time

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
