"""The benchmark's yardstick: the live word wall's fan-out written with the bare websockets library.

It speaks the app's wire format (snapshot on connect, ack to the sender, event to everyone)
and throttles each connection like the app does, but keeps its state in memory and checks
nobody: what it costs is the least any Python server can spend on the same traffic.

    python bench/reference_server.py --port 8765
"""

import argparse
import asyncio
import json
import re
import time
from datetime import UTC, datetime
from http import HTTPStatus

from websockets.asyncio.server import broadcast, serve
from websockets.exceptions import ConnectionClosed

# The app's limits (see docs/live-protocol.md), so throttled load meets the same rule here.
OPS_PER_SECOND = 10
OPS_BURST = 20
MAX_MESSAGE_BYTES = 64 * 1024
OP_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def server_time():
    return datetime.now(UTC).isoformat()


class OpAllowance:
    """A token bucket per connection: a burst of OPS_BURST ops, then OPS_PER_SECOND."""

    def __init__(self):
        self.tokens = OPS_BURST
        self.refilled_at = time.monotonic()

    def take(self):
        now = time.monotonic()
        self.tokens = min(OPS_BURST, self.tokens + (now - self.refilled_at) * OPS_PER_SECOND)
        self.refilled_at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class WordWall:
    """One wall's state and the sockets watching it."""

    def __init__(self):
        self.version = 0
        self.question = "One word: how do you arrive today?"
        self.counts = {}
        self.watchers = set()

    def snapshot(self):
        words = [{"text": text, "count": count} for text, count in sorted(self.counts.items())]
        return {
            "type": "snapshot",
            "version": self.version,
            "server_time": server_time(),
            "state": {
                "question": self.question,
                "words": words,
                "locked": False,
                "words_per_person": 3,
            },
        }

    def apply(self, op, data):
        """Change the wall for one op; return the event to broadcast."""
        if op == "wall.question":
            self.question = str(data.get("question", ""))[:200]
            event = {"kind": "wall.question", "question": self.question}
        else:
            text = " ".join(str(data.get("text", "")).lower().split())
            self.counts[text] = self.counts.get(text, 0) + 1
            event = {"kind": "word.posted", "text": text, "count": self.counts[text]}
        self.version += 1
        return {
            "type": "event",
            "version": self.version,
            "server_time": server_time(),
            "event": event,
        }


def error(op_id, code, message):
    return json.dumps({"type": "error", "id": op_id, "code": code, "message": message})


async def follow(wall, connection):
    """Serve one socket: snapshot first, then one reply per op."""
    await connection.send(json.dumps(wall.snapshot()))
    wall.watchers.add(connection)
    allowance = OpAllowance()
    try:
        async for message in connection:
            await answer(wall, connection, allowance, message)
    except ConnectionClosed:
        pass
    finally:
        wall.watchers.discard(connection)


async def answer(wall, connection, allowance, message):
    if len(message) > MAX_MESSAGE_BYTES:
        await connection.send(error(None, "too_large", "The message is too large."))
        return
    try:
        content = json.loads(message)
    except ValueError:
        await connection.send(error(None, "invalid_json", "The message is not JSON."))
        return
    op_id = content.get("id") if isinstance(content, dict) else None
    op = content.get("op") if isinstance(content, dict) else None
    # Like the app, a resync is always answered; only ops that change the wall are throttled.
    if op == "sync":
        await connection.send(json.dumps(wall.snapshot()))
        return
    if not allowance.take():
        await connection.send(error(op_id, "rate_limited", "Too many messages; slow down."))
        return
    if op not in {"wall.question", "word.post"}:
        await connection.send(error(op_id, "unknown_op", "Unknown operation."))
        return
    if not isinstance(op_id, str) or not OP_ID.fullmatch(op_id):
        await connection.send(error(op_id, "invalid", "The operation needs an id."))
        return
    event = wall.apply(op, content.get("data") or {})
    await connection.send(json.dumps({"type": "ack", "id": op_id, "version": wall.version}))
    # Encoded once for everyone, like a channel layer's group send.
    broadcast(wall.watchers, json.dumps(event))


def health_check(connection, request):
    """Answer GET /healthz so the benchmark waits for this server like it waits for daphne."""
    if request.path == "/healthz":
        return connection.respond(HTTPStatus.OK, "ok\n")
    return None


async def main(port):
    wall = WordWall()
    async with serve(
        lambda connection: follow(wall, connection),
        "127.0.0.1",
        port,
        process_request=health_check,
        # The terms daphne offers: no compression, a ping every 20 s with 30 s to answer.
        compression=None,
        ping_interval=20,
        ping_timeout=30,
        max_size=MAX_MESSAGE_BYTES * 2,
    ) as server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(main(parser.parse_args().port))
