"""A learning café on two daphne workers: phones of one café at several tables, half on each
worker, and a facilitator's console. Every note reaches every socket that follows its
table; when the worker holding half the café's sockets is killed with SIGKILL during a
round, its phones reconnect to the other worker, get a snapshot, resend what was not
acknowledged, and every acknowledged note is stored exactly once.

Same machinery as test_workers.py (real processes on the test database, one Redis), so it
runs in both CI configurations.
"""

import asyncio
import json
from collections import Counter

import pytest
from asgiref.sync import sync_to_async

from jointlearn.models import LiveActivity, LiveOp, Role
from learningcafe.models import Note

from ..factories import add_member, make_project
from ..learningcafe.factories import make_cafe, member_actor, op
from .test_workers import Client, cookie_for

pytestmark = pytest.mark.django_db(transaction=True)
TABLES = ("Peer tutoring", "Employers", "Language at work")
PEOPLE = 12
WAIT_S = 30


class CafeClient(Client):
    """A phone (or the console) of the café: it holds the notes of the table it follows,
    from its snapshots and from the events that reach it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = None
        self.notes = set()  # texts held, from snapshots and events
        self.delivered = set()  # texts that came as events
        self.snapshots = 0
        self.waiting = False  # a gap was seen, its snapshot is on its way

    async def expect_snapshot(self):
        while True:
            message = json.loads(await self.socket.recv())
            if message["type"] == "snapshot":
                self.absorb(message)
                return

    def absorb(self, snapshot):
        self.snapshots += 1
        self.version = max(self.version, snapshot["version"])
        state = snapshot["state"]["cafe"]
        self.table = state["my_table"]
        self.notes |= {note["text"] for note in state["notes"]}

    def take(self, message):
        if message["type"] == "snapshot":
            self.absorb(message)
            self.waiting = False
            return None
        if message["type"] == "event" and self.waiting:
            return None  # as live.js: after a gap, nothing counts until the snapshot
        before = self.version
        outcome = super().take(message)
        if outcome == "gap":
            self.waiting = True
        elif message["type"] == "event" and self.version > before:
            event = message["event"]
            if event.get("kind") == "note.posted":
                self.notes.add(event["note"]["text"])
                self.delivered.add(event["note"]["text"])
        return outcome

    async def post_note(self, op_id, text):
        message = {"op": "note.post", "data": {"table_id": self.table, "text": text}}
        self.outbox[op_id] = message
        await self.socket.send(json.dumps({"id": op_id, **message}))


@sync_to_async
def running_cafe():
    """A started café: a facilitator and PEOPLE members seated at three tables."""
    project = make_project()
    facilitator = add_member(project, role=Role.FACILITATOR)
    cafe = make_cafe(project, themes=TABLES, rounds=2, table_capacity=PEOPLE // len(TABLES))
    people = [add_member(project, role=Role.PARTICIPANT) for _ in range(PEOPLE)]
    for person in people:
        op(cafe, member_actor(project, person), "cafe.join")
    op(cafe, member_actor(project, facilitator), "cafe.start", expected_round=0)
    cafe.path = f"/ws/p/{project.slug}/live/{cafe.activity_id}/"
    return cafe, [cookie_for(person) for person in [facilitator, *people]]


async def connected(workers, cafe, cookies):
    urls = [url for _process, url in workers]
    clients = []
    for number, cookie in enumerate(cookies):
        client = CafeClient(f"client-{number}", urls, cafe.path, cookie)
        await client.open(urls[number % len(urls)])  # half the café on each worker
        clients.append(client)
    return clients


@sync_to_async
def stored(cafe):
    notes = list(Note.objects.filter(cafe=cafe).values_list("table_id", "text"))
    ops = list(
        LiveOp.objects.filter(activity_id=cafe.activity_id, op="note.post").values_list(
            "sender", "op_id"
        )
    )
    return LiveActivity.objects.get(pk=cafe.activity_id).version, notes, ops


def table_notes(notes):
    tables = {}
    for table, text in notes:
        tables.setdefault(table, set()).add(text)
    return tables


def holds_its_table(client, tables, everything):
    wanted = everything if client.table is None else tables.get(client.table, set())
    return not client.waiting and wanted <= client.notes


async def post_round(phones, round_):
    await asyncio.gather(
        *(
            phone.post_note(
                f"{phone.name}-{round_}", f"{phone.name} at table {phone.table}: {round_}"
            )
            for phone in phones
        )
    )


async def test_every_note_reaches_every_socket_that_follows_its_table(workers):
    cafe, cookies = await running_cafe()
    clients = await connected(workers, cafe, cookies)
    console, phones = clients[0], clients[1:]
    assert console.table is None
    assert len({phone.table for phone in phones}) == len(TABLES)
    start = console.version
    for round_ in range(2):
        await post_round(phones, round_)
    total = 2 * len(phones)
    alive = [url for _process, url in workers]
    # Every note acknowledged first; then everyone holds every note of their table.
    await asyncio.wait_for(
        asyncio.gather(*(phone.follow(lambda: True, alive) for phone in phones)), WAIT_S
    )
    version, notes, _ops = await stored(cafe)
    tables, everything = table_notes(notes), {text for _table, text in notes}
    await asyncio.wait_for(
        asyncio.gather(
            *(
                client.follow(lambda c=client: holds_its_table(c, tables, everything), alive)
                for client in clients
            )
        ),
        WAIT_S,
    )
    assert (version, len(notes)) == (start + total, total)
    # Every note reached every socket that follows its table, as an event or, where the
    # two workers' broadcasts crossed (a version gap), by the snapshot the gap asked for.
    assert console.notes == everything
    for phone in phones:
        assert phone.notes == tables[phone.table]
        assert phone.delivered <= tables[phone.table]
        assert len(phone.acked) == 2
    assert all(client.reconnects == 0 for client in clients)
    for client in clients:
        await client.close()


async def test_a_killed_worker_loses_no_acknowledged_note(workers):
    cafe, cookies = await running_cafe()
    clients = await connected(workers, cafe, cookies)
    phones = clients[1:]
    doomed, survivor = workers[1][0], workers[0][1]
    on_doomed = [client for client in clients if client.url == workers[1][1]]
    await post_round(phones, 0)
    _version, notes, _ops = await stored(cafe)
    first = table_notes(notes)
    await asyncio.wait_for(
        asyncio.gather(
            *(c.follow(lambda c=c: holds_its_table(c, first, set()), [survivor]) for c in phones)
        ),
        WAIT_S,
    )
    # The second notes are on their way when the worker of half the café dies.
    await post_round(phones, 1)
    doomed.kill()
    doomed.wait(timeout=10)
    # Those on it reconnect to the other worker, get a snapshot and resend their outbox
    # until every note is acknowledged; then everyone holds every note of their table.
    total = 2 * len(phones)
    await asyncio.wait_for(
        asyncio.gather(*(phone.follow(lambda: True, [survivor]) for phone in phones)), WAIT_S
    )
    _version, notes, _ops = await stored(cafe)
    tables, everything = table_notes(notes), {text for _table, text in notes}
    await asyncio.wait_for(
        asyncio.gather(
            *(
                client.follow(lambda c=client: holds_its_table(c, tables, everything), [survivor])
                for client in clients
            )
        ),
        WAIT_S,
    )
    version, notes, ops = await stored(cafe)
    texts = Counter(text for _table, text in notes)
    # Every note once (resent notes were applied once), and every one acknowledged.
    assert len(notes) == total and max(texts.values()) == 1
    assert len(ops) == len(set(ops)) == total
    acknowledged = {op_id for phone in phones for op_id in phone.acked}
    assert acknowledged == {op_id for _sender, op_id in ops}
    assert version == clients[0].version or clients[0].notes == set(texts)
    # Half the café came back on the survivor, with a snapshot of its table.
    assert {client.name for client in clients if client.reconnects} == {
        client.name for client in on_doomed
    }
    assert all(client.snapshots >= 2 for client in on_doomed)
    tables = table_notes(notes)
    assert all(tables[phone.table] <= phone.notes for phone in phones)
    assert clients[0].notes == set(texts)
    for client in clients:
        await client.close()
