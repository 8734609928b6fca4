"""The live benchmark's load client: participants and facilitators on sockets, timed.

It knows the wire format and nothing about Django, so it drives the app under daphne and the
reference server alike; a `Target` says where to connect and which headers (session cookie,
Origin) each participant and facilitator presents.
"""

import asyncio
import contextlib
import gc
import itertools
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

# Connections opened at once: below the listen backlog of both servers (daphne's is 50), so
# the figures measure the server and not the kernel's SYN retries.
CONNECT_CONCURRENCY = 40
# How long the last event may take to reach everyone before it counts as lost.
DELIVERY_GRACE_S = 10
ACK_TIMEOUT_S = 10
# The app's sustained limit and burst per connection (docs/live-protocol.md).
OPS_PER_SECOND = 10
OPS_BURST = 20
# Facilitators asking questions at once in the burst phase, and posting in the ops scenario.
BURST_SENDERS = 5
THROUGHPUT_CLIENTS = 20
op_numbers = itertools.count()


@dataclass
class Target:
    """One server under load."""

    name: str
    url: str
    pid: int
    participants: list = field(default_factory=list)  # headers of each participant socket
    facilitators: list = field(default_factory=list)  # headers of each facilitator socket


class Refused(Exception):
    """The server closed or refused the socket before its snapshot."""


def percentile(samples, fraction):
    """Nearest-rank percentile of samples (0 when there are none)."""
    if not samples:
        return 0
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def milliseconds(samples):
    return {
        "p50_ms": round(percentile(samples, 0.50) * 1000, 2),
        "p99_ms": round(percentile(samples, 0.99) * 1000, 2),
    }


def resident_kb(pid):
    """The process's resident set size in KB, from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


class Client:
    """One socket: waits for its snapshot, then reads every message as it arrives.

    Acks and errors resolve the op they answer; events go to `on_event` with the moment they
    were read, so latency is measured where a browser would see the event.
    """

    def __init__(self, url, headers):
        self.url = url
        self.headers = headers
        self.connection = None
        self.snapshot = None
        self.on_event = None
        self.pending = {}
        self.reader = None

    async def open(self):
        """Connect and wait for the snapshot; return the seconds that took."""
        started = time.perf_counter()
        self.connection = await connect(
            self.url,
            additional_headers=self.headers,
            compression=None,
            proxy=None,
            open_timeout=30,
            max_queue=None,
        )
        try:
            message = json.loads(await self.connection.recv())
        except ConnectionClosed as closed:
            raise Refused(f"closed before the snapshot: {closed}") from None
        if message.get("type") != "snapshot":
            raise Refused(f"first message was not a snapshot: {message}")
        self.snapshot = message
        elapsed = time.perf_counter() - started
        self.reader = asyncio.create_task(self.read())
        return elapsed

    async def read(self):
        try:
            async for raw in self.connection:
                received_at = time.perf_counter()
                message = json.loads(raw)
                kind = message.get("type")
                if kind == "event":
                    if self.on_event is not None:
                        self.on_event(message, received_at)
                elif kind in {"ack", "error"}:
                    answer = self.pending.pop(message.get("id"), None)
                    if answer is not None and not answer.done():
                        answer.set_result((message, received_at))
        except ConnectionClosed:
            pass
        finally:
            for answer in self.pending.values():
                if not answer.done():
                    answer.set_exception(Refused("the socket closed before the answer"))

    async def request(self, op, data):
        """Send an op and wait for its ack or error; return (reply, seconds)."""
        op_id = f"bench-{next(op_numbers)}"
        answer = asyncio.get_running_loop().create_future()
        self.pending[op_id] = answer
        sent_at = time.perf_counter()
        await self.connection.send(json.dumps({"op": op, "id": op_id, "data": data}))
        reply, received_at = await asyncio.wait_for(answer, ACK_TIMEOUT_S)
        return reply, received_at - sent_at

    async def close(self):
        if self.connection is not None:
            await self.connection.close()
        if self.reader is not None:
            await self.reader


async def open_clients(url, headers_list):
    """Open one client per headers, CONNECT_CONCURRENCY at a time.

    Returns (clients, seconds per client, failures, total seconds).
    """
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    clients, durations, failures = [], [], []

    async def open_one(headers):
        async with gate:
            client = Client(url, headers)
            try:
                durations.append(await client.open())
                clients.append(client)
            except (OSError, Refused, TimeoutError, ConnectionClosed) as failure:
                failures.append(f"{type(failure).__name__}: {failure}")
                if client.connection is not None:
                    await client.connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(open_one(headers) for headers in headers_list))
    return clients, durations, failures, time.perf_counter() - started


async def close_clients(clients):
    await asyncio.gather(*(client.close() for client in clients))


class Deliveries:
    """Matches each broadcast question to the moment it was sent and times its arrivals."""

    def __init__(self, receivers):
        self.receivers = receivers
        self.sent_at = {}
        self.latencies = []
        self.first_sent = None
        self.last_received = None
        self.everything_arrived = asyncio.Event()
        for client in receivers:
            client.on_event = self.arrived

    def sending(self, question):
        self.sent_at[question] = time.perf_counter()
        self.first_sent = self.first_sent or self.sent_at[question]
        self.everything_arrived.clear()

    def arrived(self, message, received_at):
        sent_at = self.sent_at.get(message["event"].get("question"))
        if sent_at is None:
            return
        self.latencies.append(received_at - sent_at)
        self.last_received = received_at
        if len(self.latencies) == self.expected:
            self.everything_arrived.set()

    @property
    def expected(self):
        return len(self.sent_at) * len(self.receivers)

    async def wait(self):
        # What has not arrived by then is reported as lost.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.everything_arrived.wait(), DELIVERY_GRACE_S)

    def figures(self):
        elapsed = (self.last_received or 0) - (self.first_sent or 0)
        return {
            **milliseconds(self.latencies),
            "deliveries": len(self.latencies),
            "lost": self.expected - len(self.latencies),
            "deliveries_per_s": round(len(self.latencies) / elapsed) if elapsed > 0 else 0,
        }

    def detach(self):
        for client in self.receivers:
            client.on_event = None


async def ask_until_acked(sender, question, refusals):
    """Send a wall question; after a rate_limited error wait for the allowance and resend.

    Returns the seconds from the accepted send to its ack.
    """
    while True:
        reply, latency = await sender.request("wall.question", {"question": question})
        if reply["type"] == "ack":
            return latency
        if reply.get("code") != "rate_limited":
            raise Refused(f"{question!r} was refused: {reply}")
        refusals.append(reply)
        await asyncio.sleep(0.1)


async def steady_broadcast(sender, receivers, *, seconds, label):
    """One question a second from the sender; every receiver's delay from send to arrival."""
    deliveries = Deliveries(receivers)
    refusals, acks = [], []
    started = time.perf_counter()
    for second in range(seconds):
        # A fixed timetable, so a slow ack does not stretch the interval between questions.
        await asyncio.sleep(max(0, started + second - time.perf_counter()))
        question = f"{label} {second}"
        deliveries.sending(question)
        acks.append(await ask_until_acked(sender, question, refusals))
    await deliveries.wait()
    deliveries.detach()
    ack = milliseconds(acks)
    return {
        **deliveries.figures(),
        "ops": seconds,
        "rate_limited": len(refusals),
        # The sender's own wait: how much of a delivery's delay is applying the op.
        "ack_p50_ms": ack["p50_ms"],
        "ack_p99_ms": ack["p99_ms"],
    }


async def burst_broadcast(senders, receivers, *, ops_per_sender, label):
    """Every sender asks its next question as soon as the previous one is acknowledged."""
    deliveries = Deliveries(receivers)
    refusals = []

    async def ask_in_turn(number, sender):
        for op in range(ops_per_sender):
            question = f"{label} {number}-{op}"
            deliveries.sending(question)
            await ask_until_acked(sender, question, refusals)

    await asyncio.gather(*(ask_in_turn(number, sender) for number, sender in enumerate(senders)))
    await deliveries.wait()
    deliveries.detach()
    return {
        **deliveries.figures(),
        "ops": ops_per_sender * len(senders),
        "rate_limited": len(refusals),
    }


async def acknowledged_ops(clients, *, seconds, ops_per_second, label):
    """Each client sends ops one at a time, no faster than ops_per_second; time every ack.

    Pacing to the server's sustained limit keeps the clients within it; the rare rate_limited
    reply (when network jitter bunches two ops) is counted and the op resent.
    """
    latencies, refusals = [], []
    interval = 1 / ops_per_second
    deadline = time.perf_counter() + seconds

    async def post(number, client):
        next_at = time.perf_counter()
        for op in itertools.count():
            await asyncio.sleep(max(0, next_at - time.perf_counter()))
            if time.perf_counter() >= deadline:
                return
            next_at += interval
            reply, latency = await client.request(
                "wall.question", {"question": f"{label} {number}-{op}"}
            )
            if reply["type"] == "ack":
                latencies.append(latency)
            elif reply.get("code") == "rate_limited":
                refusals.append(reply)
                next_at = time.perf_counter() + interval
            else:
                raise Refused(f"op refused: {reply}")

    started = time.perf_counter()
    await asyncio.gather(*(post(number, client) for number, client in enumerate(clients)))
    elapsed = time.perf_counter() - started
    return {
        **milliseconds(latencies),
        "acks": len(latencies),
        "acks_per_s": round(len(latencies) / elapsed, 1),
        "rate_limited": len(refusals),
        "clients": len(clients),
    }


async def measure(target, scenarios, *, quick=False):
    """Run the chosen live scenarios against one server; return their figures by name."""
    # The load client shares its process with Django; a full collection over that heap
    # stops every reader for tens of milliseconds and would show up as the server's p99.
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        return await run_scenarios(target, scenarios, quick=quick)
    finally:
        gc.enable()
        gc.unfreeze()


async def run_scenarios(target, scenarios, *, quick):
    figures = {}
    # The first sockets import code and fill caches that every later socket shares; they are
    # not what a connection costs.
    warm, _, failures, _ = await open_clients(
        target.url, target.participants[:5] + target.facilitators[:1]
    )
    await close_clients(warm)
    if failures:
        raise Refused(f"{target.name} refused the warm-up sockets: {failures[0]}")

    if scenarios & {"live_connect_300", "live_broadcast_300", "live_memory_300"}:
        resident_before = resident_kb(target.pid)
        audience, durations, failures, total = await open_clients(target.url, target.participants)
        resident_after = resident_kb(target.pid)
        figures["live_connect_300"] = {
            **milliseconds(durations),
            "total_s": round(total, 2),
            "connects_per_s": round(len(audience) / total),
            "clients": len(audience),
            "failed": len(failures),
        }
        figures["live_memory_300"] = {
            "kb_per_connection": round((resident_after - resident_before) / len(audience), 1)
            if audience
            else 0,
            "rss_before_kb": resident_before,
            "rss_after_kb": resident_after,
            "clients": len(audience),
        }
        if "live_broadcast_300" in scenarios:
            figures["live_broadcast_300"] = await broadcast_to(target, audience, quick=quick)
        await close_clients(audience)

    if "live_ops_throughput" in scenarios:
        clients, _, failures, _ = await open_clients(
            target.url, target.facilitators[:THROUGHPUT_CLIENTS]
        )
        figures["live_ops_throughput"] = {
            **await acknowledged_ops(
                clients, seconds=5 if quick else 20, ops_per_second=OPS_PER_SECOND, label="ops"
            ),
            "allowed_acks_per_s": OPS_PER_SECOND * len(clients),
            "failed": len(failures),
        }
        await close_clients(clients)
    return {name: figures[name] for name in sorted(scenarios) if name in figures}


async def broadcast_to(target, audience, *, quick):
    """The steady phase (one question a second) and the burst phase, as one scenario."""
    senders, _, failures, _ = await open_clients(target.url, target.facilitators[:BURST_SENDERS])
    if failures or not senders:
        raise Refused(f"{target.name} refused a sender: {failures[:1]}")
    try:
        steady = await steady_broadcast(
            senders[0], audience, seconds=5 if quick else 30, label="steady"
        )
        burst = await burst_broadcast(senders, audience, ops_per_sender=OPS_BURST, label="burst")
    finally:
        await close_clients(senders)
    return {**steady, **{f"burst_{name}": value for name, value in burst.items()}}
