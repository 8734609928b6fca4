"""A removed member or guest is disconnected from every open socket at once, and an op of
theirs that is already on its way is refused."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.urls import reverse

from jointlearn import services
from jointlearn.asgi import application
from jointlearn.live import protocol
from jointlearn.live.consumers import REMOVED
from jointlearn.models import Guest, WordWallEntry

from .test_live_activity_socket import joined, receive_until, world
from .test_live_socket import ORIGIN, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def remove_member(project, user):
    services.remove_membership(membership=project.memberships.get(user=user))


@database_sync_to_async
def guest_of(wall, name="Amina"):
    return services.join_as_guest(join_code=wall.join_code, display_name=name)


async def closed_with(communicator):
    output = await communicator.receive_output(timeout=3)
    while output["type"] != "websocket.close":
        output = await communicator.receive_output(timeout=3)
    return output.get("code")


async def test_a_removed_member_is_told_and_every_socket_of_theirs_closes():
    project, wall, facilitator, participant = await world()
    first, _ = await joined(wall, user=participant)
    second, _ = await joined(wall, user=participant)
    lobby = WebsocketCommunicator(
        application, f"/ws/p/{project.slug}/", headers=[ORIGIN, await session_cookie(participant)]
    )
    assert (await lobby.connect())[0]
    await lobby.receive_json_from()  # hello
    other, _ = await joined(wall, user=facilitator)

    await remove_member(project, participant)

    notice = await receive_until(first, "error")
    assert notice["code"] == "removed"
    assert notice["message"] == "You are no longer part of this project."
    assert await closed_with(first) == REMOVED
    assert await closed_with(second) == REMOVED
    assert await closed_with(lobby) == REMOVED
    # Everyone else stays connected.
    await other.send_json_to({"op": "ping"})
    assert (await other.receive_json_from())["type"] == "pong"
    await other.disconnect()


async def test_a_revoked_guest_is_disconnected_and_cannot_reconnect():
    _project, wall, _facilitator, _participant = await world()
    guest = await guest_of(wall)
    socket, _ = await joined(wall, guest=guest)
    await database_sync_to_async(services.remove_guest)(guest=guest)
    assert (await receive_until(socket, "error"))["code"] == "removed"
    assert await closed_with(socket) == REMOVED
    again = WebsocketCommunicator(
        application,
        f"/ws/p/{wall.project.slug}/live/{wall.pk}/",
        headers=[ORIGIN, await session_cookie(guest=guest)],
    )
    assert (await again.connect())[0] is False


@database_sync_to_async
def post_as_removed_member():
    project, wall, _facilitator, participant = world.__wrapped__()
    actor = protocol.Actor(membership=project.memberships.get(user=participant))
    services.remove_membership(membership=actor.membership)
    with pytest.raises(protocol.LiveError) as refused:
        protocol.apply_op(
            activity_id=wall.pk, actor=actor, op_id="late", op="word.post", data={"text": "Hi"}
        )
    return refused.value.code, WordWallEntry.objects.count()


async def test_an_op_already_on_its_way_is_refused_after_removal():
    assert await post_as_removed_member() == ("removed", 0)


@database_sync_to_async
def remove_through_the_page(client):
    project, wall, facilitator, _participant = world.__wrapped__()
    guest = services.join_as_guest(join_code=wall.join_code, display_name="Troll")
    protocol.apply_op(
        activity_id=wall.pk,
        actor=protocol.Actor(guest=guest),
        op_id="w1",
        op="word.post",
        data={"text": "Hello"},
    )
    client.force_login(facilitator)
    page = client.get(reverse("guest_list", args=[project.slug])).content.decode()
    response = client.post(reverse("guest_remove", args=[project.slug, guest.pk]), follow=True)
    entry = WordWallEntry.objects.get()
    return (
        "Troll" in page,
        "Troll has been removed" in response.content.decode(),
        Guest.objects.filter(pk=guest.pk).exists(),
        (entry.author_name, entry.guest_id),
    )


async def test_facilitators_remove_a_guest_from_the_guest_list(client):
    listed, told, still_there, entry = await remove_through_the_page(client)
    assert listed and told and not still_there
    assert entry == ("Troll", None)  # what they posted stays under the name they gave
