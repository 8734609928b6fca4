"""A removed member or guest is disconnected from every open socket at once, and an op of
theirs that is already on its way is refused."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.urls import reverse

from jointlearn import erasure, services
from jointlearn.asgi import application
from jointlearn.live import protocol, relay
from jointlearn.live.consumers import REMOVED
from jointlearn.models import Guest, WordWallEntry

from .test_live_activity_socket import joined, receive_event, receive_until, send, world
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
    # Everyone else stays connected; the relay hands events to them only.
    await other.send_json_to({"op": "ping"})
    assert (await other.receive_json_from())["type"] == "pong"
    (following,) = [r for key, r in relay._relays.items() if key[2] == wall.pk]
    assert len(following.sockets) == 1
    await other.disconnect()
    assert not [key for key in relay._relays if key[2] == wall.pk]


async def test_a_revoked_guest_is_disconnected_and_cannot_reconnect():
    _project, wall, _facilitator, _participant = await world()
    guest = await guest_of(wall)
    socket, _ = await joined(wall, guest=guest)
    await database_sync_to_async(erasure.purge_guest)(guest=guest)
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
def remove_through_the_page(client, data):
    project, wall, facilitator, participant = world.__wrapped__()
    guest = services.join_as_guest(join_code=wall.join_code, display_name="Troll")
    for op_id, text in (("w1", "Hello"), ("w2", "Rude")):
        protocol.apply_op(
            activity_id=wall.pk,
            actor=protocol.Actor(guest=guest),
            op_id=op_id,
            op="word.post",
            data={"text": text},
        )
    protocol.apply_op(
        activity_id=wall.pk,
        actor=protocol.Actor(membership=project.memberships.get(user=participant)),
        op_id="w3",
        op="word.post",
        data={"text": "Hello"},
    )
    client.force_login(facilitator)
    listed = client.get(reverse("guest_list", args=[project.slug])).content.decode()
    url = reverse("guest_remove", args=[project.slug, guest.pk])
    asked = client.get(url).content.decode()
    response = client.post(url, data, follow=True)
    return {
        "listed": "Troll" in listed and url in listed,
        "asked": "Remove Troll" in asked and "Also delete what they posted" in asked,
        "told": response.content.decode(),
        "guest_left": Guest.objects.filter(pk=guest.pk).exists(),
        "words": sorted(WordWallEntry.objects.values_list("text", "author_name")),
    }


async def test_removing_a_guest_keeps_what_they_posted_without_their_name(client):
    result = await remove_through_the_page(client, {})
    assert result["listed"] and result["asked"]
    assert "Troll has been removed: their open pages have closed." in result["told"]
    assert not result["guest_left"]
    assert ("Hello", "") in result["words"] and ("Rude", "") in result["words"]
    assert "Troll" not in {name for _text, name in result["words"]}


async def test_removing_a_guest_with_what_they_posted_deletes_their_words_only(client):
    result = await remove_through_the_page(client, {"remove_contributions": "on"})
    assert "Troll has been removed with what they posted" in result["told"]
    assert not result["guest_left"]
    # The member's own "Hello" stays; the guest's two words are gone.
    assert [text for text, _name in result["words"]] == ["Hello"]


@database_sync_to_async
def removal_page(client, role):
    project, wall, facilitator, participant = world.__wrapped__()
    guest = services.join_as_guest(join_code=wall.join_code, display_name="Troll")
    client.force_login(facilitator if role == "facilitator" else participant)
    url = reverse("guest_remove", args=[project.slug, guest.pk])
    statuses = (client.get(url).status_code, client.post(url).status_code)
    return statuses, Guest.objects.filter(pk=guest.pk).exists()


async def test_only_facilitators_may_open_the_removal_page(client):
    assert await removal_page(client, "participant") == ((403, 403), True)


async def test_open_live_pages_take_a_new_snapshot_without_the_removed_guests_words():
    _project, wall, facilitator, _participant = await world()
    guest = await guest_of(wall, name="Troll")
    troll, _ = await joined(wall, guest=guest)
    await send(troll, "word.post", "t1", text="Rude")
    await receive_until(troll, "ack")
    screen, snapshot = await joined(wall, user=facilitator)
    assert [word["word"] for word in snapshot["state"]["wall"]["words"]] == ["rude"]

    await database_sync_to_async(erasure.purge_guest)(guest=guest, remove_contributions=True)

    resync = await receive_event(screen, "resync")
    assert resync["version"] == snapshot["version"] + 1
    await screen.send_json_to({"op": "sync"})
    fresh = await receive_until(screen, "snapshot")
    assert fresh["version"] == resync["version"]
    assert fresh["state"]["wall"]["words"] == []
    assert await closed_with(troll) == REMOVED
    await screen.disconnect()
