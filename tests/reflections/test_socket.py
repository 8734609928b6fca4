"""Rounds and polls over the real socket: answers reach the projector, a guest of another
activity is refused in the handshake, a vote after close gets its sentence."""

import pytest
from channels.db import database_sync_to_async

from jointlearn import services
from jointlearn.models import LiveActivity, Role
from reflections.models import Answer, Poll
from reflections.polls import create_poll
from reflections.rounds import create_round

from ..factories import add_member, make_project
from ..jointlearn.test_live_activity_socket import joined, open_socket, receive_until, send

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def world():
    project = make_project()
    facilitator = add_member(project, role=Role.FACILITATOR)
    participant = add_member(project, role=Role.PARTICIPANT)
    round_ = create_round(project=project, created_by=facilitator, title="Round", anonymous=True)
    poll = create_poll(
        project=project,
        created_by=facilitator,
        question="Best day?",
        type=Poll.Type.SINGLE,
        options=["One", "Two"],
    )
    fetch = LiveActivity.objects.select_related("project", "join_code")
    return fetch.get(pk=round_.pk), fetch.get(pk=poll.pk), facilitator, participant


@database_sync_to_async
def guest_of(activity):
    return services.join_as_guest(join_code=activity.join_code, display_name="Visitor")


async def test_an_answer_reaches_everyone_without_a_name_in_an_anonymous_round():
    round_, _poll, facilitator, participant = await world()
    projector, snapshot = await joined(round_, user=facilitator)
    assert snapshot["state"]["round"]["anonymous"] is True
    phone, _ = await joined(round_, user=participant)
    await send(
        phone, "answer.post", "a1", text="Peer groups", formats="peer_discussion", token="t-1"
    )
    ack = await receive_until(phone, "ack")
    assert ack["version"] == 1
    event = await receive_until(projector, "event")
    assert event["event"]["kind"] == "answer.added"
    assert event["event"]["answer"]["author"] == ""
    assert event["event"]["answer"]["text"] == "Peer groups"
    assert await database_sync_to_async(Answer.objects.filter(user=None).count)() == 1
    await send(phone, "speaker.next", "a2")
    error = await receive_until(phone, "error")
    assert (error["code"], error["message"]) == ("forbidden", "Only the facilitator can do this.")
    await projector.disconnect()
    await phone.disconnect()


async def test_a_guest_whose_code_belongs_to_another_activity_is_refused():
    round_, poll, _facilitator, _participant = await world()
    guest = await guest_of(poll)
    communicator, connected = await open_socket(round_, guest=guest)
    assert not connected
    communicator, snapshot = await joined(poll, guest=guest)
    assert snapshot["state"]["poll"]["mine"] == []
    await communicator.disconnect()


async def test_a_vote_after_close_is_refused_with_a_sentence():
    _round, poll, facilitator, participant = await world()
    host, _ = await joined(poll, user=facilitator)
    phone, _ = await joined(poll, user=participant)
    await send(phone, "vote", "v1", choices="1")
    await receive_until(phone, "ack")
    await send(host, "state.set", "close", state="locked")
    await receive_until(host, "ack")
    await send(phone, "vote", "v2", choices="0")
    error = await receive_until(phone, "error")
    assert error["message"] == "The poll is closed: votes are no longer taken."
    await host.disconnect()
    await phone.disconnect()


async def test_outsiders_are_refused():
    round_, _poll, _facilitator, _participant = await world()
    outsider = await database_sync_to_async(lambda: make_project().memberships.get().user)()
    _communicator, connected = await open_socket(round_, user=outsider)
    assert not connected
