"""The café over the real ASGI application: presence for the console, admission, and the
socket operations' permission matrix for every role and guests."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from jointlearn import services as core_services
from jointlearn.asgi import application
from jointlearn.live import protocol
from jointlearn.live.wordwall import create_word_wall
from jointlearn.models import LiveActivity, Role
from learningcafe import presence
from learningcafe.models import CafeParticipant

from ..factories import add_member, make_project
from ..jointlearn.test_live_socket import ORIGIN, session_cookie
from .factories import make_cafe, member_actor, op, table_of


@database_sync_to_async
def world():
    project = make_project()
    facilitator = add_member(project, role=Role.FACILITATOR)
    participant = add_member(project, role=Role.PARTICIPANT)
    cafe = make_cafe(project)
    op(cafe, member_actor(project, participant), "cafe.join")
    activity = LiveActivity.objects.select_related("project", "join_code").get(pk=cafe.activity_id)
    return project, cafe, activity, facilitator, participant


async def open_socket(activity, **who):
    cookie = await session_cookie(**who)
    path = f"/ws/p/{activity.project.slug}/live/{activity.pk}/"
    communicator = WebsocketCommunicator(application, path, headers=[ORIGIN, cookie])
    connected, _ = await communicator.connect()
    return communicator, connected


async def receive_until(communicator, wanted_type):
    while True:
        message = await communicator.receive_json_from(timeout=3)
        if message["type"] == wanted_type:
            return message


@database_sync_to_async
def online(user):
    participant = CafeParticipant.objects.get(user=user)
    return participant.pk in presence.online_ids([participant.pk])


@pytest.mark.django_db(transaction=True)
async def test_console_hears_who_connects_and_drops_out():
    _project, _cafe, activity, facilitator, participant = await world()
    console, connected = await open_socket(activity, user=facilitator)
    assert connected
    snapshot = await receive_until(console, "snapshot")
    person = snapshot["state"]["cafe"]["people"][0]
    assert person["online"] is False
    phone, connected = await open_socket(activity, user=participant)
    assert connected
    await receive_until(phone, "snapshot")
    presence = await receive_until(console, "presence")
    assert presence == {"type": "presence", "participant": person["id"], "online": True}
    assert await online(participant) is True
    await phone.disconnect()
    presence = await receive_until(console, "presence")
    assert presence["online"] is False
    assert await online(participant) is False
    await console.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_participants_get_no_presence_and_guests_of_another_activity_are_refused():
    project, _cafe, activity, _facilitator, participant = await world()
    wall = await database_sync_to_async(create_word_wall)(
        project=project, created_by=participant, question="Hello?"
    )
    guest = await database_sync_to_async(core_services.join_as_guest)(
        join_code=await database_sync_to_async(lambda: wall.join_code)(), display_name="Guest"
    )
    _communicator, connected = await open_socket(activity, guest=guest)
    assert not connected


@pytest.mark.django_db(transaction=True)
async def test_members_of_another_project_are_refused():
    _project, _cafe, activity, _facilitator, _participant = await world()
    outsider = await database_sync_to_async(lambda: make_project().memberships.get().user)()
    _communicator, connected = await open_socket(activity, user=outsider)
    assert not connected


FACILITATOR_OPS = [
    ("cafe.announce", {"text": "Coffee is ready"}),
    ("timer.pause", {}),
    ("timer.resume", {}),
    ("timer.extend", {"seconds": 60}),
    ("cafe.table_add", {"theme": "Trade unions"}),
    ("cafe.end_round", {"expected_round": 0}),
    ("cafe.next", {"expected_round": 0}),
    ("cafe.end", {}),
]


@pytest.mark.parametrize("role", [*Role.values, "guest"])
def test_every_socket_operation_for_every_role(project, role):
    """Everyone checks in and writes at their table; only facilitators and coordinators run
    the café. A refused operation changes nothing."""
    cafe = make_cafe(project, rounds=3)
    if role == "guest":
        guest = core_services.join_as_guest(join_code=cafe.activity.join_code, display_name="G")
        actor = protocol.Actor(guest=guest)
    else:
        actor = member_actor(project, add_member(project, role=role))
    op(cafe, actor, "cafe.join")
    runs = role in {Role.FACILITATOR, Role.COORDINATOR}
    coordinator = member_actor(
        project, project.memberships.filter(role=Role.COORDINATOR).first().user
    )
    if not runs:
        with pytest.raises(protocol.LiveError):
            op(cafe, actor, "cafe.start", expected_round=0)
    op(cafe, coordinator, "cafe.start", expected_round=0)
    op(cafe, actor, "note.post", table_id=table_of(cafe, actor), text="Written by anyone")
    for name, data in FACILITATOR_OPS:
        version = LiveActivity.objects.get(pk=cafe.activity_id).version
        try:
            op(cafe, actor, name, **data)
        except protocol.LiveError as refused:
            assert not runs, (name, refused.message)
            assert refused.code == "forbidden"
            assert LiveActivity.objects.get(pk=cafe.activity_id).version == version
        else:
            assert runs, name
            assert LiveActivity.objects.get(pk=cafe.activity_id).version == version + 1


@database_sync_to_async
def started_room():
    """A café of two tables, started, with one phone at each table and a facilitator."""
    project = make_project()
    facilitator = add_member(project, role=Role.FACILITATOR)
    cafe = make_cafe(project)
    users = [add_member(project, role=Role.PARTICIPANT) for _ in range(4)]
    for user in users:
        op(cafe, member_actor(project, user), "cafe.join")
    op(cafe, member_actor(project, facilitator), "cafe.start", expected_round=0)
    tables = {user: table_of(cafe, member_actor(project, user)) for user in users}
    first = users[0]
    elsewhere = next(user for user in users if tables[user] != tables[first])
    activity = LiveActivity.objects.select_related("project", "join_code").get(pk=cafe.activity_id)
    actors = {user: member_actor(project, user) for user in [*users, facilitator]}
    return cafe, activity, facilitator, first, elsewhere, tables, actors


@pytest.mark.django_db(transaction=True)
async def test_a_phone_is_sent_its_own_table_only_and_sees_no_gap():
    cafe, activity, facilitator, first, elsewhere, tables, actors = await started_room()
    phone, _ = await open_socket(activity, user=first)
    other, _ = await open_socket(activity, user=elsewhere)
    console, _ = await open_socket(activity, user=facilitator)
    start = (await receive_until(phone, "snapshot"))["version"]
    await receive_until(other, "snapshot")
    await receive_until(console, "snapshot")

    post = database_sync_to_async(op)
    await post(cafe, actors[elsewhere], "note.post", table_id=tables[elsewhere], text="Their table")
    await post(cafe, actors[first], "note.post", table_id=tables[first], text="My table")

    # The phone gets only its table's note, and "after" bridges the skipped version.
    event = await receive_until(phone, "event")
    assert event["event"]["note"]["text"] == "My table"
    assert (event["after"], event["version"]) == (start, start + 2)
    assert "scope" not in event["event"]
    # The other table's phone got its own; the console gets both, one after the other.
    assert (await receive_until(other, "event"))["event"]["note"]["text"] == "Their table"
    seen = [await receive_until(console, "event") for _ in range(2)]
    assert [(e["after"], e["version"]) for e in seen] == [
        (start, start + 1),
        (start + 1, start + 2),
    ]
    # An event for everyone (an announcement) reaches the phone after its last one.
    await post(cafe, actors[facilitator], "cafe.announce", text="Five minutes")
    event = await receive_until(phone, "event")
    assert (event["after"], event["version"]) == (start + 2, start + 3)
    for socket in (phone, other, console):
        await socket.disconnect()
