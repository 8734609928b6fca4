"""The project socket through the real ASGI application: Origin, membership, guests, events."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from jointlearn import services
from jointlearn.asgi import application
from jointlearn.models import Role
from jointlearn.permissions import GUEST_SESSION_KEY

from ..factories import add_member, make_project, make_user

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://testserver")


@database_sync_to_async
def session_cookie(user=None, guest=None):
    session = SessionStore()
    if user is not None:
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if guest is not None:
        session[GUEST_SESSION_KEY] = {str(guest.project_id): guest.pk}
    session.save()
    return (b"cookie", f"sessionid={session.session_key}".encode())


async def connect(path, headers):
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _subprotocol = await communicator.connect()
    return communicator, connected


@database_sync_to_async
def world():
    project = make_project()
    return project, project.memberships.get().user, make_user()


@pytest.mark.parametrize(
    "origin", [[(b"origin", b"http://evil.example")], [(b"origin", b"null")], []]
)
async def test_socket_from_foreign_null_or_missing_origin_is_refused(origin):
    project, coordinator, _outsider = await world()
    communicator, connected = await connect(
        f"/ws/p/{project.slug}/", [*origin, await session_cookie(coordinator)]
    )
    assert not connected
    await communicator.disconnect()


async def test_member_connects_and_hears_member_changes():
    project, coordinator, _outsider = await world()
    communicator, connected = await connect(
        f"/ws/p/{project.slug}/", [ORIGIN, await session_cookie(coordinator)]
    )
    assert connected
    hello = await communicator.receive_json_from()
    assert hello["type"] == "hello"
    await database_sync_to_async(add_member)(project, role=Role.PARTICIPANT)
    membership = await database_sync_to_async(project.memberships.exclude(user=coordinator).get)()
    await database_sync_to_async(services.change_membership)(
        membership=membership, role=Role.FACILITATOR, organisation=None
    )
    event = await communicator.receive_json_from(timeout=2)
    assert event == {"type": "event", "event": {"kind": "project.changed", "what": "members"}}
    await communicator.disconnect()


async def test_non_member_is_refused_like_a_missing_project():
    project, _coordinator, outsider = await world()
    for path in [f"/ws/p/{project.slug}/", "/ws/p/no-such-project/"]:
        communicator, connected = await connect(path, [ORIGIN, await session_cookie(outsider)])
        assert not connected
        await communicator.disconnect()


async def test_anonymous_is_refused():
    project, _coordinator, _outsider = await world()
    communicator, connected = await connect(f"/ws/p/{project.slug}/", [ORIGIN])
    assert not connected
    await communicator.disconnect()


async def test_guest_of_the_project_connects_and_not_to_another():
    project, _coordinator, _outsider = await world()
    other = await database_sync_to_async(make_project)()
    join_code = await database_sync_to_async(services.create_join_code)(
        project=project, label="Day 1"
    )
    guest = await database_sync_to_async(services.join_as_guest)(
        join_code=join_code, display_name="Amina"
    )
    cookie = await session_cookie(guest=guest)
    communicator, connected = await connect(f"/ws/p/{project.slug}/", [ORIGIN, cookie])
    assert connected
    await communicator.disconnect()
    communicator, connected = await connect(f"/ws/p/{other.slug}/", [ORIGIN, cookie])
    assert not connected
    await communicator.disconnect()


async def test_messages_from_the_client_get_a_translated_error():
    project, coordinator, _outsider = await world()
    communicator, _connected = await connect(
        f"/ws/p/{project.slug}/", [ORIGIN, await session_cookie(coordinator)]
    )
    await communicator.receive_json_from()
    await communicator.send_json_to({"op": "anything", "id": "c1"})
    reply = await communicator.receive_json_from()
    assert reply["type"] == "error"
    assert reply["id"] == "c1"
    assert reply["message"] == "This connection only sends project updates."
    await communicator.disconnect()


async def test_broadcast_from_sync_code_on_an_event_loop_goes_out_when_the_loop_is_free():
    import asyncio

    from channels.layers import get_channel_layer

    from jointlearn.live.broadcast import send_to_group

    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("loop-test", channel)
    # As a management command called from async code (a browser test) would do.
    send_to_group("loop-test", {"type": "live.event", "event": {"kind": "noop"}})
    message = await asyncio.wait_for(layer.receive(channel), 2)
    assert message == {"type": "live.event", "event": {"kind": "noop"}}
