"""The soak (`make soak`): 300 participants in a learning café on two daphne workers for ten
minutes, with a rotation every two minutes, then the bill: unhealed version gaps, lost
acknowledged notes, the workers' memory over time and the delivery latency.

    make soak                                    ten minutes, into bench/results.json
    DATABASE_URL=postgres://… make soak          on PostgreSQL, as soak_300_postgresql
    SOAK_MINUTES=2 SOAK_ROTATE_S=30 make soak    a short trial, into bench/results-dev.json
    SOAK_LOGS=/tmp/soak make soak                 keep the workers' logs there

The workers share one channel layer in Redis (REDIS_URL, or a redis-server started here on a
free port) and one database: a scratch PostgreSQL database beside DATABASE_URL's when it is
set (created and dropped here; the configured database is not written), else a scratch
SQLite file.

Each simulated participant behaves as static/js/live.js and cafe.js do: it follows the
versions of its socket ("after"), asks for a snapshot on a gap and ignores events until it
comes, keeps an outbox of unacknowledged notes and resends it after a snapshot, retries
"not now" refusals, and after a rotation asks for its new table's notes within 3 s. Half
the café is on each worker; the facilitator's console is on the first.

Figures (soak_300):
- unhealed_gaps: participants whose view of their table misses a stored note, or who still
  wait for a snapshot, once the room has been quiet for GRACE_S; the console counts when
  its version is not the café's. gaps_healed counts the gaps that a snapshot healed.
- lost_acked: acknowledged notes not in the database; duplicated: notes stored twice.
- rss_mb: each worker's resident memory sampled every RSS_EVERY_S; after the warm-up (the
  first rotation interval, at most a quarter of the run) its first, last and largest value.
- p50_ms/p99_ms: from a note's send to each tablemate's reading of it (as an event);
  p99_ms_after_rotations for notes sent in the ROTATION_WINDOW_S after a "next round"
  (while 300 phones ask for their new table's notes), p99_ms_between_rotations the rest;
  seat_p99_ms: from "next round" to each participant's reading of their new seat.

With SOAK_LOGS, timeline.json there holds each delivery (note sent at, latency) in seconds
from the start, and the rotations.
"""

import asyncio
import collections
import contextlib
import itertools
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import run  # bench/run.py, beside this file (the script's directory is on the path)
from load import CONNECT_CONCURRENCY, percentile, resident_kb
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

MINUTES = float(os.environ.get("SOAK_MINUTES", "10"))
ROTATE_S = float(os.environ.get("SOAK_ROTATE_S", "120"))
NOTE_EVERY_S = 10
RESYNC_SPREAD_S = 3
RETRY_S = 1
GRACE_S = 10
SETTLE_S = 60
RSS_EVERY_S = 5
# Notes sent this long after "next round" count as written during the rotation.
ROTATION_WINDOW_S = 10
TRANSIENT = {"server_error", "rate_limited"}
op_numbers = itertools.count()


class Stats:
    def __init__(self):
        self.deliveries = []  # (note sent at, latency) of each tablemate's reading
        self.seat_latencies = []
        self.ack_latencies = []
        self.gaps = 0
        self.snapshots = 0
        self.reconnects = 0
        self.retries = 0
        self.refused = {}
        self.sent = {}  # note text: (sender, sent at)
        self.pressed = None  # (round, moment) of the last "next round"
        self.rotations = 0
        self.presses = []  # moments of "next round"


class Participant:
    """One socket, as a browser holds it (see the module's docstring)."""

    def __init__(self, url, headers, stats):
        self.url, self.headers, self.stats = url, headers, stats
        self.socket = None
        self.version = 0
        self.waiting = True  # until the first snapshot
        self.me = None
        self.table = None
        self.round = None
        self.phase = None
        self.held = set()  # note texts of the table it follows
        self.outbox = {}  # op id: (message, first sent at)
        self.acked = set()
        self.tasks = set()
        self.closing = False
        # The last messages read (type, version, after): the console's are in the figures.
        self.seen = collections.deque(maxlen=12)

    async def open(self):
        self.socket = await connect(
            self.url,
            additional_headers=self.headers,
            compression=None,
            proxy=None,
            open_timeout=60,
            max_queue=None,
        )

    async def send(self, message):
        with contextlib.suppress(ConnectionClosed, AttributeError):
            await self.socket.send(json.dumps(message))

    def later(self, seconds, message):
        async def send_later():
            await asyncio.sleep(seconds)
            await self.send(message)

        task = asyncio.create_task(send_later())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def read(self):
        """Read until closed by us; a dropped socket comes back with backoff, as live.js."""
        failures = 0
        while not self.closing:
            try:
                async for raw in self.socket:
                    failures = 0
                    await self.take(json.loads(raw), time.perf_counter())
            except ConnectionClosed:
                pass
            if self.closing:
                return
            self.waiting = True
            self.stats.reconnects += 1
            while not self.closing:
                failures += 1
                await asyncio.sleep(random.uniform(0, min(15, 0.5 * 2 ** (failures - 1))))
                try:
                    await self.open()
                    break
                except (OSError, InvalidHandshake, TimeoutError):
                    continue

    async def take(self, message, now):
        kind = message.get("type")
        self.seen.append((kind, message.get("version"), message.get("after")))
        if kind == "snapshot":
            self.stats.snapshots += 1
            state = message["state"]["cafe"]
            self.version = message["version"]
            self.me, self.table = state["me"], state["my_table"]
            self.round, self.phase = state["round"], state["phase"]
            self.held = {note["text"] for note in state["notes"]}
            self.waiting = False
            for op_id, (data, _at) in list(self.outbox.items()):
                await self.send({"id": op_id, **data})
        elif kind == "event":
            if self.waiting or message["version"] <= self.version:
                return
            if message.get("after", message["version"] - 1) != self.version:
                self.stats.gaps += 1
                self.waiting = True
                await self.send({"op": "sync"})
                return
            self.version = message["version"]
            self.event(message["event"], now)
        elif kind == "ack":
            entry = self.outbox.pop(message["id"], None)
            if entry is not None:
                self.acked.add(message["id"])
                self.stats.ack_latencies.append(now - entry[1])
        elif kind == "error":
            entry = self.outbox.get(message.get("id"))
            if entry is None:
                return
            if message["code"] in TRANSIENT:
                self.stats.retries += 1
                self.later(random.uniform(RETRY_S / 2, RETRY_S), {"id": message["id"], **entry[0]})
            else:
                # Refused for good (the round moved on under it): the browser drops it too.
                del self.outbox[message["id"]]
                self.stats.refused[message["code"]] = self.stats.refused.get(message["code"], 0) + 1

    def event(self, event, now):
        if event.get("kind") == "note.posted":
            note = event["note"]
            if note["table"] != self.table:
                return
            self.held.add(note["text"])
            origin = self.stats.sent.get(note["text"])
            if origin is not None and origin[0] is not self:
                self.stats.deliveries.append((origin[1], now - origin[1]))
        elif event.get("kind") == "cafe.update":
            self.phase = event.get("phase", self.phase)
            seat = event.get("seating", {}).get(str(self.me))
            if event.get("round") is not None and event["round"] != self.round:
                self.round = event["round"]
                if seat is not None:
                    self.table, self.held = seat[0], set()
                    pressed = self.stats.pressed
                    if pressed is not None and pressed[0] == self.round:
                        self.stats.seat_latencies.append(now - pressed[1])
                # Its new table's notes, as cafe.js asks for them.
                self.later(random.uniform(0, RESYNC_SPREAD_S), {"op": "sync"})

    async def write(self, until):
        await asyncio.sleep(random.uniform(0, NOTE_EVERY_S))
        while time.perf_counter() < until:
            if not self.waiting and self.table is not None and self.phase == "talking":
                op_id = f"soak-{next(op_numbers)}"
                text = f"Note {op_id} from table {self.table}"
                data = {"op": "note.post", "data": {"table_id": self.table, "text": text}}
                self.outbox[op_id] = (data, time.perf_counter())
                self.stats.sent[text] = (self, time.perf_counter())
                await self.send({"id": op_id, **data})
            await asyncio.sleep(NOTE_EVERY_S + random.uniform(-1, 1))

    async def close(self):
        self.closing = True
        for task in list(self.tasks):
            task.cancel()
        if self.socket is not None:
            await self.socket.close()


async def connect_all(urls, participants, facilitator, stats):
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    people = [
        Participant(urls[n % len(urls)], headers, stats) for n, headers in enumerate(participants)
    ]
    console = Participant(urls[0], facilitator, stats)

    async def open_one(client):
        # A handshake the busy server gave up on (daphne rejects one still unanswered after
        # 5 s) is tried again, as a browser does.
        for attempt in range(5):
            async with gate:
                try:
                    await client.open()
                    return
                except (OSError, InvalidHandshake, TimeoutError):
                    if attempt == 4:
                        raise
                    stats.reconnects += 1
            await asyncio.sleep(random.uniform(0, 2**attempt))

    await asyncio.gather(*(open_one(client) for client in [*people, console]))
    readers = [asyncio.create_task(client.read()) for client in [*people, console]]
    while any(client.waiting for client in [*people, console]):
        await asyncio.sleep(0.1)
    return people, console, readers


async def facilitate(console, stats, until):
    while time.perf_counter() + ROTATE_S <= until:
        await asyncio.sleep(ROTATE_S)
        current = console.round
        stats.pressed = (current + 1, time.perf_counter())
        stats.presses.append(stats.pressed[1])
        op_id = f"soak-next-{current}"
        message = {"op": "cafe.next", "data": {"expected_round": current}}
        console.outbox[op_id] = (message, time.perf_counter())
        stats.rotations += 1
        await console.send({"id": op_id, **message})


async def sample_memory(pids, samples, until):
    started = time.perf_counter()
    while time.perf_counter() < until:
        moment = round(time.perf_counter() - started)
        samples.append((moment, [round(resident_kb(pid) / 1024, 1) for pid in pids]))
        await asyncio.sleep(RSS_EVERY_S)


def stored_notes(activity_id):
    """The activity's version, its stored notes (table, text), what a phone at each table
    should hold ({table: texts}, by the café's own rule) and the op ids of every note."""
    from jointlearn.models import LiveActivity, LiveOp
    from learningcafe import services
    from learningcafe.models import Cafe, Note

    cafe = Cafe.objects.get(activity_id=activity_id)
    notes = list(Note.objects.filter(cafe=cafe, hidden=False).values_list("table_id", "text"))
    held = {
        table.pk: {note.text for note in services.table_notes(cafe, cafe.notes.all(), table.pk)[0]}
        for table in cafe.tables.all()
    }
    ops = set(
        LiveOp.objects.filter(activity_id=activity_id, op="note.post").values_list(
            "op_id", flat=True
        )
    )
    return LiveActivity.objects.get(pk=activity_id).version, notes, held, ops


async def soak(urls, audience, pids):
    stats = Stats()
    origin = urls[0].replace("ws://", "http://").split("/ws/")[0]
    participants = run.headers(audience["participants"], audience["cookie"], origin)
    (facilitator,) = run.headers([audience["facilitator"]], audience["cookie"], origin)
    people, console, readers = await connect_all(urls, participants, facilitator, stats)
    seconds = MINUTES * 60
    until = time.perf_counter() + seconds
    samples = []
    await asyncio.gather(
        sample_memory(pids, samples, until),
        facilitate(console, stats, until),
        *(person.write(until) for person in people),
    )
    # Quiet: every note acknowledged (or refused) and every asked snapshot in (at most
    # SETTLE_S), then GRACE_S for the last events.
    deadline = time.perf_counter() + SETTLE_S
    while time.perf_counter() < deadline and any(
        person.outbox or person.waiting for person in [*people, console]
    ):
        await asyncio.sleep(0.2)
    # A quiet page pings (live.js every 25 s); a socket that missed the last event of a
    # burst gets a snapshot in reply.
    for person in [*people, console]:
        await person.send({"op": "ping"})
    await asyncio.sleep(GRACE_S)
    version, notes, tables, ops = await asyncio.to_thread(stored_notes, audience["activity_id"])
    still_waiting = sum(1 for person in people if person.waiting)
    missing = sum(
        1
        for person in people
        if not person.waiting and not tables.get(person.table, set()) <= person.held
    )
    console_behind = console.version != version
    unhealed = still_waiting + missing + console_behind
    texts = [text for _table, text in notes]
    acked = {op_id for person in people for op_id in person.acked}
    lost = sum(1 for op_id in acked if op_id not in ops)
    unacknowledged = sum(len(person.outbox) for person in people)
    await asyncio.gather(*(client.close() for client in [*people, console]))
    if os.environ.get("SOAK_LOGS"):
        started = until - seconds
        timeline = {
            "rotations_s": [round(at - started, 3) for at in stats.presses],
            "deliveries_s": [
                (round(at - started, 3), round(latency, 4)) for at, latency in stats.deliveries
            ],
        }
        Path(os.environ["SOAK_LOGS"], "timeline.json").write_text(json.dumps(timeline))
    await asyncio.gather(*readers, return_exceptions=True)
    latencies = [latency for _at, latency in stats.deliveries]
    after_rotation, between = [], []
    for at, latency in stats.deliveries:
        moved = any(0 <= at - pressed <= ROTATION_WINDOW_S for pressed in stats.presses)
        (after_rotation if moved else between).append(latency)
    warm_up = min(ROTATE_S, seconds / 4)
    after = [sizes for moment, sizes in samples if moment >= warm_up] or [samples[-1][1]]
    return {
        "minutes": MINUTES,
        "rotate_every_s": ROTATE_S,
        "participants": len(people),
        "workers": len(urls),
        "notes_acked": len(acked),
        "notes_stored": len(notes),
        "notes_per_s": round(len(acked) / seconds, 1),
        "unhealed_gaps": unhealed,
        "unhealed_detail": {
            "waiting_for_snapshot": still_waiting,
            "missing_notes": missing,
            "console_behind": console_behind,
            "console": {
                "version": console.version,
                "waiting": console.waiting,
                "cafe_version": version,
                "last_messages": list(console.seen),
            },
        },
        "gaps_healed": stats.gaps,
        "lost_acked": lost,
        "duplicated": len(texts) - len(set(texts)),
        "unacknowledged_at_end": unacknowledged,
        "refused": stats.refused,
        "retries": stats.retries,
        "reconnects": stats.reconnects,
        "snapshots": stats.snapshots,
        "rotations": stats.rotations,
        "p50_ms": milliseconds(latencies, 0.5),
        "p99_ms": milliseconds(latencies, 0.99),
        "p99_ms_after_rotations": milliseconds(after_rotation, 0.99),
        "p99_ms_between_rotations": milliseconds(between, 0.99),
        "deliveries": len(latencies),
        "ack_p99_ms": milliseconds(stats.ack_latencies, 0.99),
        "seat_p99_ms": milliseconds(stats.seat_latencies, 0.99),
        "rss_mb_after_warm_up": [
            {
                "first": after[0][n],
                "last": after[-1][n],
                "max": max(sizes[n] for sizes in after),
                "median": statistics.median(sizes[n] for sizes in after),
            }
            for n in range(len(pids))
        ],
        "rss_mb_samples": [[moment, *sizes] for moment, sizes in samples],
    }


def milliseconds(latencies, fraction):
    return round(percentile(latencies, fraction) * 1000, 2) if latencies else None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def redis(scratch):
    """REDIS_URL's Redis, or a redis-server of our own on a free port."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"], "redis (REDIS_URL)"
        return
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("The soak needs Redis: set REDIS_URL or install redis-server.")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=scratch,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0", "redis (started for the soak)"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def database(scratch):
    """The environment naming a scratch database: beside DATABASE_URL's, or SQLite."""
    configured = os.environ.pop("DATABASE_URL", "")
    if not configured:
        yield {"SQLITE_PATH": str(scratch / "soak.sqlite3")}, "sqlite"
        return
    import psycopg

    parts = urlsplit(configured)
    name = f"{parts.path.lstrip('/') or 'jointlearn'}_soak_{os.getpid()}"
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {"DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}"))}, "postgresql"
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = run.OPEN_FILES if hard == resource.RLIM_INFINITY else min(run.OPEN_FILES, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    rotations = max(1, int(MINUTES * 60 // ROTATE_S))
    with (
        tempfile.TemporaryDirectory() as scratch_name,
        database(Path(scratch_name)) as (database_env, vendor),
        redis(scratch_name) as (redis_url, layer),
    ):
        scratch = Path(os.environ.get("SOAK_LOGS") or scratch_name)  # the workers' logs
        scratch.mkdir(parents=True, exist_ok=True)
        os.environ.update(database_env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jointlearn.settings")
        os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnop")
        os.environ.update(HTTPS="0", STATIC_MANIFEST="0", ALLOWED_HOSTS="testserver")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        audience = run.prepare_cafe_audience(rounds=rotations + 1)
        environment = run.server_environment(
            DEBUG="0",
            HTTPS="0",
            STATIC_MANIFEST="0",
            ALLOWED_HOSTS="127.0.0.1",
            LOG_LEVEL="WARNING",
            SECRET_KEY=os.environ["SECRET_KEY"],
            REDIS_URL=redis_url,
            REDIS_PREFIX=f"soak{os.getpid()}",
            **database_env,
        )
        ports = [free_port(), free_port()]
        daphne = [str(Path(sys.executable).parent / "daphne"), "-b", "127.0.0.1"]
        with contextlib.ExitStack() as stack:
            pids = [
                stack.enter_context(
                    run.running(
                        [*daphne, "-p", str(port), "jointlearn.asgi:application"],
                        port=port,
                        env=environment,
                        log=scratch / f"worker-{n}.log",
                    )
                )
                for n, port in enumerate(ports)
            ]
            urls = [f"ws://127.0.0.1:{port}{audience['path']}" for port in ports]
            load = os.getloadavg()[0]
            figures = asyncio.run(soak(urls, audience, pids))
            figures["machine"] = {
                "cpus": os.cpu_count(),
                "database": vendor,
                "channel_layer": layer,
                "load_average_1m_at_start": round(load, 2),
            }
    full = MINUTES >= 10 and ROTATE_S >= 120
    destination = run.RESULTS if full else run.DEVELOPMENT_RESULTS
    results = json.loads(destination.read_text()) if destination.exists() else {"scenarios": {}}
    # SQLite's run is soak_300; PostgreSQL's (DATABASE_URL) is kept beside it.
    name = "soak_300" if vendor == "sqlite" else f"soak_300_{vendor}"
    results.setdefault("scenarios", {})[name] = figures
    results[f"{name}_generated_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    destination.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    shown = {key: value for key, value in figures.items() if key != "rss_mb_samples"}
    print(json.dumps(shown, indent=2, ensure_ascii=False))
    print(f"wrote {name} into {destination.relative_to(run.ROOT)}")
    failed = figures["unhealed_gaps"] or figures["lost_acked"] or figures["duplicated"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
