"""Channel-layer capacity overflow and slow clients, on real workers.

What happens, and what these tests hold on to:
- A worker that falls behind (here: stopped with SIGSTOP) cannot take its messages out of
  the channel layer; once its channel holds CHANNEL_CAPACITY messages, channels_redis's
  group_send drops further ones for that worker only (the in-memory layer does the same
  per socket: ChannelFull is caught inside group_send). Broadcasting to everyone else goes
  on; the sockets of the worker that fell behind see a version jump with the next event
  and resync.
- A client that stops reading does not slow anyone down: daphne does not wait for a
  socket's reader, so nothing backs up into the channel layer. What it cannot send waits in
  the worker's memory until daphne's keepalive gives up on the silent socket (a ping
  unanswered for --ping-timeout seconds; 20 + 30 s by default) and drops it; the client,
  reading again, reconnects and gets a snapshot.
"""

import asyncio
import json
import signal

import pytest
from channels.exceptions import ChannelFull
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from jointlearn.layers import InMemoryChannelLayer

from ..servers import stop
from .conftest import start_workers
from .test_workers import Client, connected_clients, room, stored

pytestmark = pytest.mark.django_db(transaction=True)
WAIT_S = 30
CAPACITY = 3
PING_S = 1


async def test_in_memory_layer_a_full_channel_does_not_stop_a_group_send():
    layer = InMemoryChannelLayer(capacity=1)
    stuck, listening = await layer.new_channel(), await layer.new_channel()
    for channel in (stuck, listening):
        await layer.group_add("room", channel)
    await layer.group_send("room", {"type": "live.event", "version": 1})
    assert (await layer.receive(listening))["version"] == 1
    with pytest.raises(ChannelFull):
        await layer.send(stuck, {"type": "live.event", "version": 2})
    await layer.group_send("room", {"type": "live.event", "version": 2})
    assert (await layer.receive(listening))["version"] == 2
    assert (await layer.receive(stuck))["version"] == 1  # 2 was dropped for it alone


async def test_a_worker_whose_channel_overflows_resyncs_its_sockets_and_stalls_nobody(
    redis_url, tmp_path
):
    workers = start_workers(redis_url, tmp_path, CHANNEL_CAPACITY=str(CAPACITY))
    (_running, running_url), (behind, _behind_url) = workers
    try:
        wall, cookies = await room()
        clients = await connected_clients(workers, wall, cookies)
        here = clients[0::2]  # the facilitator and half the room, on the running worker
        there = clients[1::2]
        behind.send_signal(signal.SIGSTOP)
        try:
            # More broadcasts than the stopped worker's channel holds: everyone on the
            # running worker still gets every one of them.
            for round_ in range(2):
                await asyncio.gather(
                    *(c.post(f"{c.name}-{round_}", f"{c.name} {round_}") for c in here[1:])
                )
            burst = 2 * len(here[1:])
            assert burst > CAPACITY
            await asyncio.wait_for(
                asyncio.gather(*(c.follow_until(burst, [running_url]) for c in here)), WAIT_S
            )
        finally:
            behind.send_signal(signal.SIGCONT)
        # One more word: the sockets of the worker that fell behind see the versions they
        # lost, resync and end with everyone else.
        await here[1].post("last", "last word")
        total = burst + 1
        urls = [url for _process, url in workers]
        await asyncio.wait_for(
            asyncio.gather(*(c.follow_until(total, urls) for c in clients)), WAIT_S
        )
        version, ops, entries = await stored(wall)
        assert (version, entries, len(set(ops))) == (total, total, total)
        assert all(client.version == total for client in clients)
        assert all(client.resyncs >= 1 for client in there)
        assert all(client.reconnects == 0 for client in clients)
        for client in clients:
            await client.close()
    finally:
        for process, _url in workers:
            stop(process)


class SlowClient(Client):
    """Reads nothing until told to: its socket library stops taking frames off the wire
    after one (max_queue=1), so the server's pings go unanswered too."""

    async def open(self, url):
        if self.socket is not None:
            return await super().open(url)
        self.socket = await connect(
            url.replace("http://", "ws://") + self.path,
            additional_headers=[("Origin", url), ("Cookie", self.cookie)],
            max_queue=1,
        )
        self.url = url
        await self.expect_snapshot()


async def test_a_client_that_stops_reading_stalls_nobody_and_resyncs_when_it_reads_again(
    redis_url, tmp_path
):
    arguments = ["--ping-interval", str(PING_S), "--ping-timeout", str(PING_S)]
    workers = start_workers(redis_url, tmp_path, count=1, arguments=arguments)
    ((process, url),) = workers
    try:
        wall, cookies = await room()
        clients = await connected_clients(workers, wall, cookies[:-1])
        slow = SlowClient("slow", [url], f"/ws/p/{wall.project.slug}/live/{wall.pk}/", cookies[-1])
        await slow.open(url)
        posters = clients[1:]
        for round_ in range(3):
            await asyncio.gather(
                *(c.post(f"{c.name}-{round_}", f"{c.name} says {round_}") for c in posters)
            )
        total = 3 * len(posters)
        await asyncio.wait_for(
            asyncio.gather(*(c.follow_until(total, [url]) for c in clients)), WAIT_S
        )
        assert all(client.version == total for client in clients)
        # Long enough for daphne's keepalive to give up on the silent socket.
        await asyncio.sleep(6 * PING_S)
        # Reading again: what the wire still held, then the end of a socket the server
        # dropped; it comes back with a snapshot of everything.
        with pytest.raises(ConnectionClosed):
            while True:
                slow.take(json.loads(await asyncio.wait_for(slow.socket.recv(), WAIT_S)))
        await slow.reopen([url])
        assert slow.version == total
        assert process.poll() is None
        for client in [*clients, slow]:
            await client.close()
    finally:
        stop(process)
