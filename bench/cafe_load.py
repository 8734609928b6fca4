"""The café benchmark's load client: 300 participants on 30 tables and a facilitator, timed.

Like bench/load.py it knows the wire format and nothing about Django, so it drives the app
under daphne and bench/cafe_reference.py alike.

- cafe_mix_300: every participant posts a note about every 10 s at their table; the latency
  is from the send to the moment each tablemate reads the note.
- cafe_rotate_300: the facilitator presses "next round"; the latency is from the press to
  the moment each participant reads their new seat. Between rotations every participant
  asks for a snapshot (its new table's notes) after a random wait of up to
  RESYNC_SPREAD_S, as the browsers do; resync_p50/p99_ms time those snapshots.
"""

import asyncio
import contextlib
import gc
import itertools
import json
import random
import time

from load import CONNECT_CONCURRENCY, milliseconds, percentile
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

NOTE_EVERY_S = 10
GRACE_S = 10
SYNC_GRACE_S = 30
# Phones ask for their new table's notes after a random wait of up to this many seconds
# (static/js/cafe.js does the same).
RESYNC_SPREAD_S = 3
ACK_TIMEOUT_S = 10
op_numbers = itertools.count()


class Refused(Exception):
    pass


class Client:
    """One socket: its snapshot, then every message as it arrives."""

    def __init__(self, url, headers):
        self.url, self.headers = url, headers
        self.connection = None
        self.snapshot = None
        self.on_event = None
        self.snapshot_arrived = None
        self.pending = {}
        self.reader = None

    @property
    def me(self):
        return self.snapshot["state"]["cafe"]["me"]

    def seat(self):
        state = self.snapshot["state"]["cafe"]
        return state["seating"].get(str(state["me"]), [None, None])[0]

    async def open(self):
        self.connection = await connect(
            self.url,
            additional_headers=self.headers,
            compression=None,
            proxy=None,
            open_timeout=60,
            max_queue=None,
        )
        message = json.loads(await self.connection.recv())
        if message.get("type") != "snapshot":
            raise Refused(f"first message was not a snapshot: {message}")
        self.snapshot = message
        self.reader = asyncio.create_task(self.read())

    async def read(self):
        with contextlib.suppress(ConnectionClosed):
            async for raw in self.connection:
                received_at = time.perf_counter()
                message = json.loads(raw)
                kind = message.get("type")
                if kind == "event" and self.on_event is not None:
                    self.on_event(self, message["event"], received_at)
                elif kind == "snapshot":
                    self.snapshot = message
                    if self.snapshot_arrived is not None:
                        self.snapshot_arrived.set()
                elif kind in {"ack", "error"}:
                    answer = self.pending.pop(message.get("id"), None)
                    if answer is not None and not answer.done():
                        answer.set_result((message, received_at))

    async def request(self, op, data):
        op_id = f"cafe-bench-{next(op_numbers)}"
        answer = asyncio.get_running_loop().create_future()
        self.pending[op_id] = answer
        sent_at = time.perf_counter()
        await self.connection.send(json.dumps({"op": op, "id": op_id, "data": data}))
        reply, received_at = await asyncio.wait_for(answer, ACK_TIMEOUT_S)
        return reply, received_at - sent_at

    async def sync_after(self, seconds):
        """Ask for a snapshot after `seconds`; return how long it took to arrive (None when
        it did not come within SYNC_GRACE_S)."""
        await asyncio.sleep(seconds)
        self.snapshot_arrived = asyncio.Event()
        asked = time.perf_counter()
        await self.connection.send(json.dumps({"op": "sync"}))
        try:
            await asyncio.wait_for(self.snapshot_arrived.wait(), SYNC_GRACE_S)
        except TimeoutError:
            return None
        finally:
            self.snapshot_arrived = None
        return time.perf_counter() - asked

    async def close(self):
        if self.connection is not None:
            await self.connection.close()
        if self.reader is not None:
            await self.reader


async def open_clients(url, headers_list):
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    clients = []

    async def open_one(headers):
        async with gate:
            client = Client(url, headers)
            await client.open()
            clients.append(client)

    await asyncio.gather(*(open_one(headers) for headers in headers_list))
    return clients


async def mix(participants, *, seconds):
    """Everyone posts a note about every NOTE_EVERY_S at their table; tablemates time it."""
    tables = {client: client.seat() for client in participants}
    mates = {}
    for client, table in tables.items():
        mates.setdefault(table, []).append(client)
    sent = {}
    latencies, acks, refused, late = [], [], [], []

    def arrived(client, event, received_at):
        if event.get("kind") != "note.posted":
            return
        note = event["note"]
        origin = sent.get(note["text"])
        if origin is None:
            return
        sender, sent_at = origin
        if client is not sender and tables[client] == note["table"]:
            latencies.append(received_at - sent_at)

    for client in participants:
        client.on_event = arrived

    async def write(number, client):
        await asyncio.sleep(random.uniform(0, NOTE_EVERY_S))
        deadline = time.perf_counter() + seconds
        count = 0
        while time.perf_counter() < deadline:
            text = f"Note {number}-{count} from the table"
            sent[text] = (client, time.perf_counter())
            try:
                reply, latency = await client.request(
                    "note.post", {"table_id": tables[client], "text": text}
                )
            except TimeoutError:
                # Counted, not fatal: a server that falls behind shows it in the figures.
                late.append(text)
                latency = ACK_TIMEOUT_S
            else:
                (acks if reply["type"] == "ack" else refused).append(latency)
            count += 1
            await asyncio.sleep(max(0, NOTE_EVERY_S + random.uniform(-1, 1) - latency))

    started = time.perf_counter()
    await asyncio.gather(*(write(n, c) for n, c in enumerate(participants)))
    expected = sum(len(mates[tables[sender]]) - 1 for sender, _ in sent.values())
    deadline = time.perf_counter() + GRACE_S
    while len(latencies) < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - started
    for client in participants:
        client.on_event = None
    return {
        **milliseconds(latencies),
        "ack_p99_ms": round(percentile(acks, 0.99) * 1000, 2),
        "notes": len(sent),
        "notes_per_s": round(len(sent) / elapsed, 1),
        "deliveries": len(latencies),
        "lost": expected - len(latencies),
        "refused": len(refused),
        "acks_late": len(late),
        "clients": len(participants),
    }


async def rotate(facilitator, participants, *, rotations):
    """Press "next round" `rotations` times; time each participant's new seat."""
    latencies, everyone, resyncs = [], [], []
    for _ in range(rotations):
        current = facilitator.snapshot["state"]["cafe"]["round"]
        seated = {}

        def arrived(client, event, received_at, wanted=current + 1, seated=seated):
            new_round = event.get("kind") == "cafe.update" and event.get("round") == wanted
            if new_round and str(client.me) in event.get("seating", {}):
                seated.setdefault(client, received_at)

        for client in participants:
            client.on_event = arrived
        pressed = time.perf_counter()
        reply, _ = await facilitator.request("cafe.next", {"expected_round": current})
        if reply["type"] != "ack":
            raise Refused(f"next round was refused: {reply}")
        deadline = time.perf_counter() + GRACE_S
        while len(seated) < len(participants) and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)
        times = [moment - pressed for moment in seated.values()]
        latencies.extend(times)
        everyone.append(max(times) if len(times) == len(participants) else GRACE_S)
        for client in participants:
            client.on_event = None
        # Browsers fetch their new table's notes with a snapshot, spread over a few seconds.
        resyncs.extend(
            await asyncio.gather(
                *(
                    client.sync_after(random.uniform(0, RESYNC_SPREAD_S))
                    for client in [*participants, facilitator]
                )
            )
        )
    arrived = [seconds for seconds in resyncs if seconds is not None]
    return {
        **milliseconds(latencies),
        "resync_p50_ms": round(percentile(arrived, 0.5) * 1000, 2),
        "resync_p99_ms": round(percentile(arrived, 0.99) * 1000, 2),
        "resync_lost": len(resyncs) - len(arrived),
        "all_seated_max_ms": round(max(everyone) * 1000, 2),
        "all_seated_mean_ms": round(sum(everyone) / len(everyone) * 1000, 2),
        "rotations": rotations,
        "clients": len(participants),
    }


async def measure(url, participants, facilitator, scenarios, *, quick):
    gc.collect()
    gc.freeze()
    gc.disable()
    figures = {}
    try:
        clients = await open_clients(url, participants)
        (leader,) = await open_clients(url, [facilitator])
        try:
            # Rotations first: a mix the server cannot keep up with leaves a backlog behind.
            if "cafe_rotate_300" in scenarios:
                figures["cafe_rotate_300"] = await rotate(
                    leader, clients, rotations=3 if quick else 5
                )
            if "cafe_mix_300" in scenarios:
                figures["cafe_mix_300"] = await mix(clients, seconds=10 if quick else 60)
        finally:
            await asyncio.gather(*(client.close() for client in [*clients, leader]))
    finally:
        gc.enable()
        gc.unfreeze()
    return figures
