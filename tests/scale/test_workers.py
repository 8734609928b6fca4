"""Several daphne workers on one database and one Redis: every event reaches every client
whichever worker it is connected to, and a worker killed with SIGKILL loses no
acknowledged operation.

The workers are real processes (tests/servers.py) on the test database; Redis is CI's
(REDIS_URL) or one started here, so this runs in both CI configurations.
"""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from jointlearn.live.wordwall import create_word_wall
from jointlearn.models import LiveActivity, LiveOp, Role, WordWallEntry

from ..factories import add_member, make_project
from ..servers import start_redis, stop
from .conftest import start_workers

pytestmark = pytest.mark.django_db(transaction=True)
PARTICIPANTS = 8
WORDS_EACH = 3
WAIT_S = 20
# Refusals that mean "not now": the client keeps the op and sends it again (as live.js).
TRANSIENT = {"server_error", "rate_limited"}


def cookie_for(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"sessionid={session.session_key}"


@sync_to_async
def room():
    project = make_project()
    facilitator = add_member(project, role=Role.FACILITATOR)
    wall = create_word_wall(
        project=project, created_by=facilitator, question="How do you arrive?", words_per_person=5
    )
    people = [add_member(project, role=Role.PARTICIPANT) for _ in range(PARTICIPANTS)]
    return wall, [cookie_for(person) for person in [facilitator, *people]]


class Client:
    """What live.js does, in a few lines: follow versions, resync on a gap, keep an outbox
    of unacknowledged ops and resend it after reconnecting."""

    def __init__(self, name, urls, path, cookie):
        self.name, self.urls, self.path, self.cookie = name, urls, path, cookie
        self.version = 0
        self.outbox = {}
        self.acked = set()
        self.resyncs = 0
        self.reconnects = 0
        self.retries = 0
        self.socket = None

    async def open(self, url):
        self.socket = await connect(
            url.replace("http://", "ws://") + self.path,
            additional_headers=[("Origin", url), ("Cookie", self.cookie)],
        )
        self.url = url
        await self.expect_snapshot()
        await self.flush()

    async def flush(self):
        for op_id, message in list(self.outbox.items()):
            await self.socket.send(json.dumps({"id": op_id, **message}))

    async def reopen(self, urls):
        """Reconnect with a pause between tries, as live.js backs off, to any live worker."""
        while True:
            for url in urls:
                try:
                    await self.open(url)
                    return
                # Refused (InvalidStatus) or dropped before the answer (InvalidMessage: a
                # worker whose Redis is away cannot join the socket to its groups).
                except (OSError, ConnectionClosed, InvalidHandshake):
                    await asyncio.sleep(0.3)

    async def expect_snapshot(self):
        while True:
            message = json.loads(await self.socket.recv())
            if message["type"] == "snapshot":
                self.version = message["version"]
                return

    async def post(self, op_id, text):
        message = {"op": "word.post", "data": {"text": text}}
        self.outbox[op_id] = message
        await self.socket.send(json.dumps({"id": op_id, **message}))

    def take(self, message):
        if message["type"] == "ack":
            self.outbox.pop(message["id"], None)
            self.acked.add(message["id"])
        elif message["type"] == "event" and message["version"] > self.version:
            if message.get("after", message["version"] - 1) != self.version:
                return "gap"
            self.version = message["version"]
        elif message["type"] == "snapshot":
            self.version = max(self.version, message["version"])
        elif message["type"] == "error":
            if message["code"] in TRANSIENT:
                return "retry"
            raise AssertionError(f"{self.name}: {message}")
        return None

    async def follow_until(self, version, alive_urls):
        """Read until this client has seen `version` with nothing pending, reconnecting to
        a live worker if its own went away."""
        await self.follow(lambda: self.version >= version, alive_urls)

    async def follow(self, done, alive_urls):
        """Read until `done()` holds with nothing pending, reconnecting as follow_until."""
        while not done() or self.outbox:
            try:
                message = json.loads(await asyncio.wait_for(self.socket.recv(), 2))
            except TimeoutError:
                # Nothing for a while: ask again (a resend of a pending op is harmless).
                await self.resend_or_reconnect(alive_urls)
                continue
            except ConnectionClosed:
                self.reconnects += 1
                others = [url for url in alive_urls if url != self.url] or alive_urls
                await self.reopen(others)
                continue
            outcome = self.take(message)
            if outcome == "gap":
                self.resyncs += 1
                await self.socket.send(json.dumps({"op": "sync"}))
            elif outcome == "retry":
                self.retries += 1
                await asyncio.sleep(0.5)
                await self.resend_or_reconnect(alive_urls)

    async def resend_or_reconnect(self, alive_urls):
        try:
            await self.flush()
            await self.socket.send(json.dumps({"op": "sync"}))
        except ConnectionClosed:
            self.reconnects += 1
            await self.reopen(alive_urls)

    async def close(self):
        if self.socket is not None:
            await self.socket.close()


async def connected_clients(workers, wall, cookies):
    urls = [url for _process, url in workers]
    path = f"/ws/p/{wall.project.slug}/live/{wall.pk}/"
    clients = []
    for number, cookie in enumerate(cookies):
        client = Client(f"client-{number}", urls, path, cookie)
        # Half the room on each worker.
        await client.open(urls[number % len(urls)])
        clients.append(client)
    return clients


@sync_to_async
def stored(wall):
    activity = LiveActivity.objects.get(pk=wall.pk)
    ops = list(LiveOp.objects.filter(activity=activity).values_list("sender", "op_id"))
    return activity.version, ops, WordWallEntry.objects.filter(activity=activity).count()


async def test_every_event_reaches_every_client_on_either_worker(workers):
    wall, cookies = await room()
    clients = await connected_clients(workers, wall, cookies)
    posters = clients[1:]
    for round_ in range(WORDS_EACH):
        await asyncio.gather(
            *(
                client.post(f"{client.name}-{round_}", f"{client.name} word {round_}")
                for client in posters
            )
        )
    total = len(posters) * WORDS_EACH
    alive = [url for _process, url in workers]
    await asyncio.wait_for(
        asyncio.gather(*(client.follow_until(total, alive) for client in clients)), WAIT_S
    )
    version, ops, entries = await stored(wall)
    assert (version, len(ops), entries) == (total, total, total)
    assert all(client.version == total for client in clients)
    assert all(len(client.acked) == WORDS_EACH for client in posters)
    assert all(client.reconnects == 0 for client in clients)
    for client in clients:
        await client.close()


async def test_a_killed_worker_loses_no_acknowledged_op(workers):
    wall, cookies = await room()
    clients = await connected_clients(workers, wall, cookies)
    posters = clients[1:]
    doomed, survivor = workers[1][0], workers[0][1]
    # A first word from everyone, acknowledged.
    await asyncio.gather(
        *(client.post(f"{client.name}-0", f"{client.name} one") for client in posters)
    )
    await asyncio.wait_for(
        asyncio.gather(*(client.follow_until(len(posters), [survivor]) for client in clients)),
        WAIT_S,
    )
    # The second words are on their way when the worker of half the room dies.
    await asyncio.gather(
        *(client.post(f"{client.name}-1", f"{client.name} two") for client in posters)
    )
    doomed.kill()
    doomed.wait(timeout=10)
    # Those who were on it reconnect to the other worker, get a snapshot and resend.
    total = 2 * len(posters)
    await asyncio.wait_for(
        asyncio.gather(*(client.follow_until(total, [survivor]) for client in clients)), WAIT_S
    )
    version, ops, entries = await stored(wall)
    assert entries == total  # every word once: resent ops were applied once
    assert len(ops) == len(set(ops)) == total
    assert version == total
    acknowledged = {op_id for client in posters for op_id in client.acked}
    assert acknowledged == {op_id for _sender, op_id in ops}
    assert sum(client.reconnects for client in clients) == len(clients) // 2
    for client in clients:
        await client.close()


async def test_redis_stopped_and_restarted_during_a_round_loses_nothing(tmp_path, transactional_db):
    """Broadcasts pause while Redis is away; clients heal their gaps and resend what was
    refused, and every acknowledged word is stored once."""
    redis, redis_url = start_redis(tmp_path)
    port = int(redis_url.rsplit(":", 1)[1].split("/")[0])
    started = start_workers(redis_url, tmp_path)
    try:
        wall, cookies = await room()
        clients = await connected_clients(started, wall, cookies)
        posters = clients[1:]
        urls = [url for _process, url in started]
        await asyncio.gather(*(c.post(f"{c.name}-0", f"{c.name} one") for c in posters))
        await asyncio.wait_for(
            asyncio.gather(*(c.follow_until(len(posters), urls) for c in clients)), WAIT_S
        )
        redis.kill()
        redis.wait(timeout=10)
        await asyncio.gather(
            *(c.post(f"{c.name}-1", f"{c.name} two") for c in posters), return_exceptions=True
        )
        await asyncio.sleep(1)
        redis, _url = start_redis(tmp_path, port=port)
        total = 2 * len(posters)
        await asyncio.wait_for(
            asyncio.gather(*(c.follow_until(total, urls) for c in clients)), WAIT_S * 2
        )
        version, ops, entries = await stored(wall)
        assert (version, entries) == (total, total)
        assert len(ops) == len(set(ops)) == total
        assert all(client.version == total for client in clients)
        # Redis going away dropped the sockets: everyone came back.
        assert all(client.reconnects >= 1 for client in clients)
        for client in clients:
            await client.close()
    finally:
        for process, _url in started:
            stop(process)
        redis.kill()
        redis.wait(timeout=10)
