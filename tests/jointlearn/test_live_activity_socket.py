"""The live activity socket through the real ASGI application (WebsocketCommunicator)."""

import asyncio
import json
import threading

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from jointlearn import services
from jointlearn.asgi import application
from jointlearn.live import protocol, relay
from jointlearn.live.groups import activity_group
from jointlearn.live.wordwall import create_word_wall
from jointlearn.models import JoinCode, LiveActivity, Role, WordWallEntry

from ..factories import add_member, make_project, make_user
from .test_live_socket import ORIGIN, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def world():
    project = make_project()
    facilitator = add_member(project, role=Role.FACILITATOR)
    participant = add_member(project, role=Role.PARTICIPANT)
    wall = create_word_wall(project=project, created_by=facilitator, question="How are you?")
    wall = LiveActivity.objects.select_related("project", "join_code").get(pk=wall.pk)
    return project, wall, facilitator, participant


async def open_socket(wall, *, user=None, guest=None, headers=None):
    cookie = await session_cookie(user=user, guest=guest)
    path = f"/ws/p/{wall.project.slug}/live/{wall.pk}/"
    communicator = WebsocketCommunicator(application, path, headers=headers or [ORIGIN, cookie])
    connected, _ = await communicator.connect()
    return communicator, connected


async def joined(wall, **who):
    communicator, connected = await open_socket(wall, **who)
    assert connected
    snapshot = await communicator.receive_json_from()
    assert snapshot["type"] == "snapshot"
    return communicator, snapshot


async def send(communicator, op, op_id, **data):
    await communicator.send_json_to({"op": op, "id": op_id, "data": data})


async def receive_until(communicator, wanted_type):
    while True:
        message = await communicator.receive_json_from(timeout=3)
        if message["type"] == wanted_type:
            return message


async def receive_event(communicator, kind):
    """The next event of this kind: events come in version order but not in step with the
    acknowledgements (a broadcast goes out after its commit, on its own), so an earlier
    event the test did not read may still come first."""
    while True:
        message = await receive_until(communicator, "event")
        if message["event"]["kind"] == kind:
            return message


async def test_connect_gives_a_snapshot_with_version_and_server_time():
    _project, wall, _facilitator, participant = await world()
    communicator, snapshot = await joined(wall, user=participant)
    assert snapshot["version"] == 0
    assert snapshot["server_time"]
    assert snapshot["state"]["wall"]["question"] == "How are you?"
    assert snapshot["state"]["me"]["can_facilitate"] is False
    await communicator.disconnect()


async def test_post_is_acknowledged_and_broadcast_to_everyone_with_the_next_version():
    _project, wall, facilitator, participant = await world()
    poster, _ = await joined(wall, user=participant)
    watcher, _ = await joined(wall, user=facilitator)
    await send(poster, "word.post", "op-1", text="Curious")
    messages = [await poster.receive_json_from(), await poster.receive_json_from()]
    ack = next(m for m in messages if m["type"] == "ack")
    assert ack == {"type": "ack", "id": "op-1", "version": 1}
    event = await watcher.receive_json_from()
    assert event["type"] == "event" and event["version"] == 1
    assert event["event"] == {"kind": "word.posted", "word": "curious", "count": 1, "people": 1}
    await send(poster, "word.post", "op-2", text="Ready")
    assert (await receive_until(watcher, "event"))["version"] == 2
    await poster.disconnect()
    await watcher.disconnect()


async def test_resent_op_id_is_acknowledged_again_and_applied_once():
    _project, wall, _facilitator, participant = await world()
    first, _ = await joined(wall, user=participant)
    await send(first, "word.post", "again", text="tired")
    assert (await receive_until(first, "ack"))["version"] == 1
    await first.disconnect()
    # The reconnected page resends what it never saw acknowledged.
    second, snapshot = await joined(wall, user=participant)
    assert snapshot["version"] == 1 and snapshot["state"]["wall"]["mine"] == ["tired"]
    await send(second, "word.post", "again", text="tired")
    ack = await receive_until(second, "ack")
    assert ack == {"type": "ack", "id": "again", "version": 1, "duplicate": True}
    assert await database_sync_to_async(WordWallEntry.objects.count)() == 1
    await second.disconnect()


async def test_sync_after_a_version_gap_returns_a_fresh_snapshot():
    _project, wall, facilitator, participant = await world()
    communicator, _ = await joined(wall, user=participant)
    # Changes the socket never hears (as when a channel layer drops messages under load).
    host = await database_sync_to_async(
        lambda: protocol.Actor(membership=wall.project.memberships.get(user=facilitator))
    )()
    for n in range(3):
        await database_sync_to_async(protocol.apply_op)(
            activity_id=wall.pk,
            actor=host,
            op_id=f"q{n}",
            op="wall.question",
            data={"question": f"Q{n}"},
        )
    for _ in range(3):
        await communicator.receive_json_from()
    await communicator.send_json_to({"op": "sync"})
    snapshot = await receive_until(communicator, "snapshot")
    assert snapshot["version"] == 3
    assert snapshot["state"]["wall"]["question"] == "Q2"
    await communicator.disconnect()


async def test_an_event_that_overtakes_another_waits_for_it_and_a_lost_one_makes_a_gap(
    monkeypatch,
):
    """Broadcasts of two workers can cross on their way: the socket puts them back in order.
    One that never comes (dropped by a full channel) leaves the next without "after"."""
    monkeypatch.setattr(relay, "REORDER_WAIT_S", 0.2)
    _project, wall, _facilitator, participant = await world()
    communicator, _ = await joined(wall, user=participant)
    layer = get_channel_layer()

    async def broadcast(version):
        event = {"kind": "wall.question", "question": f"Q{version}"}
        await layer.group_send(
            activity_group(wall.pk), {"type": "live.event", "event": event, "version": version}
        )

    await broadcast(2)
    await broadcast(1)
    first, second = (
        await receive_until(communicator, "event"),
        await communicator.receive_json_from(),
    )
    assert (first["version"], first["after"]) == (1, 0)
    assert (second["version"], second["after"]) == (2, 1)
    await broadcast(4)  # 3 is lost
    lost = await communicator.receive_json_from(timeout=3)
    assert lost["version"] == 4 and "after" not in lost
    await broadcast(3)  # too late: already counted as lost
    await broadcast(5)
    assert (await communicator.receive_json_from())["after"] == 4
    await communicator.disconnect()


async def test_a_snapshot_does_not_wait_for_an_operation_in_progress(monkeypatch):
    """Reads have their own database thread: after a café's rotation 300 phones ask for a
    snapshot, and the notes written meanwhile must not queue behind them, nor they behind
    a slow operation."""
    _project, wall, facilitator, participant = await world()
    writer, _ = await joined(wall, user=participant)
    reader, _ = await joined(wall, user=facilitator)
    started, release = threading.Event(), threading.Event()
    apply_op = protocol.apply_op

    def slow_apply_op(**kwargs):
        started.set()
        release.wait(timeout=10)
        return apply_op(**kwargs)

    monkeypatch.setattr(protocol, "apply_op", slow_apply_op)
    await send(writer, "word.post", "slow", text="Patient")
    assert await asyncio.to_thread(started.wait, 5)
    await reader.send_json_to({"op": "sync"})
    snapshot = await receive_until(reader, "snapshot")
    assert snapshot["version"] == 0
    release.set()
    assert (await receive_until(writer, "ack"))["version"] == 1
    assert (await receive_until(reader, "event"))["version"] == 1
    await writer.disconnect()
    await reader.disconnect()


async def test_ping_returns_the_server_clock():
    _project, wall, _facilitator, participant = await world()
    communicator, _ = await joined(wall, user=participant)
    await communicator.send_json_to({"op": "ping"})
    pong = await communicator.receive_json_from()
    assert pong["type"] == "pong" and pong["server_time"]
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_a_quiet_socket_that_missed_the_last_event_gets_a_snapshot_on_ping():
    """The channel layer dropped the last event of a burst (a full channel): no later event
    shows the gap, so the ping that a quiet page sends finds it."""
    _project, wall, facilitator, participant = await world()
    communicator, snapshot = await joined(wall, user=participant)

    @database_sync_to_async
    def post_without_broadcast():
        # Stored and versioned as apply_op does, but its event never reaches the socket.
        protocol.apply_op(
            activity_id=wall.pk,
            actor=protocol.Actor(membership=wall.project.memberships.get(user=facilitator)),
            op_id="lost",
            op="word.post",
            data={"text": "Dropped"},
        )

    layer = get_channel_layer()
    group_send = layer.group_send

    async def drop(group, message):
        if group != activity_group(wall.pk):
            await group_send(group, message)

    layer.group_send = drop
    try:
        await post_without_broadcast()
    finally:
        layer.group_send = group_send
    await communicator.send_json_to({"op": "ping"})
    assert (await communicator.receive_json_from())["type"] == "pong"
    fresh = await communicator.receive_json_from()
    assert fresh["type"] == "snapshot"
    assert fresh["version"] == snapshot["version"] + 1
    await communicator.disconnect()


@pytest.mark.parametrize(
    "headers_for",
    [
        "outsider",
        "anonymous",
        "foreign_origin",
        "no_origin",
        "guest_of_other_activity",
        "guest_of_other_project",
        "missing_activity",
    ],
)
async def test_socket_refuses_everyone_who_may_not_use_the_activity(headers_for):
    project, wall, facilitator, _participant = await world()

    @database_sync_to_async
    def other_things():
        other_wall = create_word_wall(project=project, created_by=facilitator, question="Other")
        other_guest = services.join_as_guest(join_code=other_wall.join_code, display_name="G")
        other_project = make_project()
        foreign_guest = services.join_as_guest(
            join_code=JoinCode.objects.create(project=other_project, label="x"), display_name="F"
        )
        return make_user(), other_guest, foreign_guest

    outsider, other_guest, foreign_guest = await other_things()
    path = f"/ws/p/{project.slug}/live/{wall.pk}/"
    cases = {
        "outsider": [ORIGIN, await session_cookie(outsider)],
        "anonymous": [ORIGIN],
        "foreign_origin": [(b"origin", b"http://evil.example"), await session_cookie(facilitator)],
        "no_origin": [await session_cookie(facilitator)],
        "guest_of_other_activity": [ORIGIN, await session_cookie(guest=other_guest)],
        "guest_of_other_project": [ORIGIN, await session_cookie(guest=foreign_guest)],
        "missing_activity": [ORIGIN, await session_cookie(facilitator)],
    }
    if headers_for == "missing_activity":
        path = f"/ws/p/{project.slug}/live/{wall.pk + 1000}/"
    communicator = WebsocketCommunicator(application, path, headers=cases[headers_for])
    connected, _ = await communicator.connect()
    assert not connected
    await communicator.disconnect()


async def test_guests_with_the_activity_code_or_a_project_code_are_admitted():
    project, wall, _facilitator, _participant = await world()

    @database_sync_to_async
    def guests():
        with_activity_code = services.join_as_guest(join_code=wall.join_code, display_name="A")
        project_code = JoinCode.objects.create(project=project, label="Seminar day 1")
        with_project_code = services.join_as_guest(join_code=project_code, display_name="B")
        return with_activity_code, with_project_code

    for guest in await guests():
        communicator, snapshot = await joined(wall, guest=guest)
        assert snapshot["state"]["me"]["name"] == guest.display_name
        await send(communicator, "word.post", f"g{guest.pk}", text="hello")
        assert (await receive_until(communicator, "ack"))["id"] == f"g{guest.pk}"
        await communicator.disconnect()


async def test_bad_messages_get_errors_and_the_socket_stays_usable(settings):
    _project, wall, _facilitator, participant = await world()
    communicator, _ = await joined(wall, user=participant)
    bad = [
        ("x" * (64 * 1024 + 1), "too_large"),
        ("{not json", "bad_json"),
        (json.dumps(["op"]), "invalid"),
        (json.dumps({"id": "1"}), "invalid"),
        (json.dumps({"op": "word.fly", "id": "1", "data": {}}), "unknown_op"),
        (json.dumps({"op": "word.post", "id": "2", "data": {"text": ""}}), "invalid"),
        (json.dumps({"op": "wall.clear", "id": "3", "data": {}}), "forbidden"),
    ]
    for text, code in bad:
        await communicator.send_to(text_data=text)
        error = await communicator.receive_json_from()
        assert error["type"] == "error" and error["code"] == code, text[:40]
        assert error["message"]
    await communicator.send_to(bytes_data=b"\x00\x01")
    assert (await communicator.receive_json_from())["code"] == "invalid"
    await send(communicator, "word.post", "fine", text="still here")
    assert (await receive_until(communicator, "ack"))["version"] == 1
    await communicator.disconnect()


async def test_errors_speak_the_participants_language():
    _project, wall, _facilitator, participant = await world()
    await database_sync_to_async(
        lambda: type(participant).objects.filter(pk=participant.pk).update(preferred_language="fi")
    )()
    communicator, _ = await joined(wall, user=participant)
    await send(communicator, "word.post", "x", text="")
    error = await communicator.receive_json_from()
    assert error["message"] == "Kirjoita ensin sana."
    await communicator.disconnect()


async def test_a_failing_handler_is_answered_with_an_error_not_a_dropped_socket(monkeypatch):
    _project, wall, _facilitator, participant = await world()
    communicator, _ = await joined(wall, user=participant)

    def explode(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(protocol, "apply_op", explode)
    await send(communicator, "word.post", "x", text="hi")
    error = await communicator.receive_json_from()
    assert (error["code"], error["id"]) == ("server_error", "x")
    await communicator.send_json_to({"op": "ping"})
    assert (await communicator.receive_json_from())["type"] == "pong"
    await communicator.disconnect()


async def test_a_client_sending_too_fast_is_throttled(settings):
    settings.LIVE_OPS_BURST = 3
    settings.LIVE_OPS_PER_SECOND = 0.001
    _project, wall, facilitator, _participant = await world()
    communicator, _ = await joined(wall, user=facilitator)
    for n in range(4):
        await send(communicator, "wall.question", f"q{n}", question=f"Q{n}")
    replies = [await communicator.receive_json_from() for _ in range(7)]
    errors = [reply for reply in replies if reply["type"] == "error"]
    assert [error["code"] for error in errors] == ["rate_limited"]
    assert errors[0]["id"] == "q3"
    await communicator.disconnect()


async def test_fifty_concurrent_posts_are_all_saved_with_strictly_increasing_versions():
    _project, wall, facilitator, _participant = await world()

    @database_sync_to_async
    def make_guests():
        return [
            services.join_as_guest(join_code=wall.join_code, display_name=f"Guest {n}")
            for n in range(50)
        ]

    guests = await make_guests()
    watcher, _ = await joined(wall, user=facilitator)
    posters = [(await joined(wall, guest=guest))[0] for guest in guests]
    await asyncio.gather(
        *(
            send(poster, "word.post", f"post-{n}", text=f"word{n % 7}")
            for n, poster in enumerate(posters)
        )
    )
    acks = await asyncio.gather(*(receive_until(poster, "ack") for poster in posters))
    assert sorted(ack["version"] for ack in acks) == list(range(1, 51))
    versions = [(await receive_until(watcher, "event"))["version"] for _ in range(50)]
    assert versions == list(range(1, 51))
    assert await database_sync_to_async(WordWallEntry.objects.count)() == 50
    for communicator in [watcher, *posters]:
        await communicator.disconnect()
