"""The café benchmark's yardstick: the café's fan-out written with the bare websockets library.

It speaks the café's wire format as far as the benchmark uses it (a snapshot with `me` and
`seating`, `note.post` acknowledged and broadcast as `note.posted`, `cafe.next` broadcast as
`cafe.update` with everyone's seat), seats people round-robin, keeps everything in memory and
checks nobody: what it costs is the least any Python server can spend on the same traffic.

    python bench/cafe_reference.py --port 8766 --tables 30 --rounds 6
"""

import argparse
import asyncio
import itertools
import json
from datetime import UTC, datetime
from http import HTTPStatus

from websockets.asyncio.server import broadcast, serve
from websockets.exceptions import ConnectionClosed


def server_time():
    return datetime.now(UTC).isoformat()


class Cafe:
    def __init__(self, tables, rounds):
        self.tables, self.rounds = tables, rounds
        self.version = 0
        self.round = 0
        self.people = {}  # person id -> their seats, one table per round
        self.watchers = set()
        self.ids = itertools.count(1)
        self.notes = itertools.count(1)

    def seat(self, person):
        # Everyone moves on by their own step, so tablemates differ from round to round.
        step = 1 + person % max(1, self.tables - 1)
        return [(person + step * r) % self.tables + 1 for r in range(self.rounds)]

    def seating(self):
        following = min(self.round + 1, self.rounds - 1)
        return {str(p): [s[self.round], s[following]] for p, s in self.people.items()}

    def snapshot(self, person):
        return {
            "type": "snapshot",
            "version": self.version,
            "server_time": server_time(),
            "state": {"cafe": {"me": person, "round": self.round, "seating": self.seating()}},
        }

    def event(self, event):
        self.version += 1
        return json.dumps(
            {"type": "event", "version": self.version, "server_time": server_time(), "event": event}
        )


async def follow(cafe, connection):
    person = next(cafe.ids)
    cafe.people[person] = cafe.seat(person)
    await connection.send(json.dumps(cafe.snapshot(person)))
    cafe.watchers.add(connection)
    try:
        async for message in connection:
            content = json.loads(message)
            op, op_id, data = content.get("op"), content.get("id"), content.get("data") or {}
            if op == "sync":
                await connection.send(json.dumps(cafe.snapshot(person)))
                continue
            if op == "note.post":
                note = {"id": next(cafe.notes), "table": data.get("table_id"), "round": cafe.round}
                note.update(text=str(data.get("text", ""))[:280], author=person, votes=0)
                event = cafe.event({"kind": "note.posted", "note": note})
            elif op == "cafe.next":
                cafe.round = min(cafe.round + 1, cafe.rounds - 1)
                event = cafe.event(
                    {"kind": "cafe.update", "round": cafe.round, "seating": cafe.seating()}
                )
            else:
                continue
            await connection.send(json.dumps({"type": "ack", "id": op_id, "version": cafe.version}))
            broadcast(cafe.watchers, event)
    except ConnectionClosed:
        pass
    finally:
        cafe.watchers.discard(connection)


def health_check(connection, request):
    if request.path == "/healthz":
        return connection.respond(HTTPStatus.OK, "ok\n")
    return None


async def main(port, tables, rounds):
    cafe = Cafe(tables, rounds)
    async with serve(
        lambda connection: follow(cafe, connection),
        "127.0.0.1",
        port,
        process_request=health_check,
        compression=None,
        ping_interval=20,
        ping_timeout=30,
    ) as server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tables", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=6)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.port, arguments.tables, arguments.rounds))
