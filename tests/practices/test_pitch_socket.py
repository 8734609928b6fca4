"""The pitch session over the live activity socket, through the real ASGI application."""

import pytest
from channels.db import database_sync_to_async

from jointlearn import services as core_services
from jointlearn.models import LiveActivity, Role
from practices import pitch, services
from practices.models import PitchRating

from ..factories import add_member, make_organisation, make_project
from ..jointlearn.test_live_activity_socket import (
    joined,
    open_socket,
    receive_event,
    receive_until,
    send,
)
from .helpers import make_practice

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def world():
    project = make_project()
    facilitator = add_member(project, role=Role.FACILITATOR)
    participant = add_member(project, role=Role.PARTICIPANT)
    owner = make_organisation(project, name="Groep INTRO", country="BE")
    practices = [make_practice(project, owner), make_practice(project, owner)]
    criteria = services.ensure_rubric(project=project)[:2]
    session = pitch.create_pitch_session(
        project=project,
        created_by=facilitator,
        title="Pitches",
        practices=practices,
        criteria=criteria,
    )
    other = pitch.create_pitch_session(
        project=project,
        created_by=facilitator,
        title="Another room",
        practices=practices,
        criteria=criteria,
    )
    guest = core_services.join_as_guest(join_code=session.join_code, display_name="Amira")
    stranger = core_services.join_as_guest(join_code=other.join_code, display_name="Elsewhere")
    session = LiveActivity.objects.select_related("project", "join_code").get(pk=session.pk)
    return session, practices, criteria, facilitator, participant, guest, stranger


async def test_a_guest_rates_and_everyone_hears_it_and_only_the_facilitator_moves_on():
    session, practices, criteria, facilitator, _participant, guest, _stranger = await world()
    host, _snapshot = await joined(session, user=facilitator)
    phone, snapshot = await joined(session, guest=guest)
    assert snapshot["state"]["pitch"]["current"] == practices[0].pk
    assert snapshot["state"]["me"] == {"name": "Amira", "can_facilitate": False}
    scores = {f"c{c.pk}": 4 for c in criteria}
    await send(phone, "pitch.rate", "r1", practice=practices[0].pk, word="brave", **scores)
    ack = await receive_until(phone, "ack")
    assert ack == {"type": "ack", "id": "r1", "version": 1}
    event = await receive_until(host, "event")
    assert event["event"]["kind"] == "pitch.rated"
    assert event["event"]["results"]["count"] == 1
    # Sending again changes the rating; it is never a second one.
    await send(phone, "pitch.rate", "r2", practice=practices[0].pk, **scores, c0=1)
    error = await receive_until(phone, "error")
    assert error["code"] == "invalid"
    assert error["message"] == "A criterion is not part of this pitch session. Reload the page."
    await send(phone, "pitch.rate", "r3", practice=practices[0].pk, **{**scores, "word": "bold"})
    await receive_until(phone, "ack")
    assert await database_sync_to_async(PitchRating.objects.count)() == 1
    # A participant's phone may not move the session on.
    await send(phone, "pitch.next", "n1", expected=0)
    error = await receive_until(phone, "error")
    assert (error["code"], error["message"]) == ("forbidden", "Only the facilitator can do this.")
    await send(host, "pitch.next", "n2", expected=0)
    await send(host, "pitch.next", "n3", expected=0)
    assert (await receive_until(host, "ack"))["id"] == "n2"
    error = await receive_until(host, "error")
    assert (error["id"], error["code"]) == ("n3", "moved")
    moved = await receive_event(phone, "pitch.moved")
    assert moved["event"]["position"] == 1
    for communicator in (host, phone):
        await communicator.disconnect()


async def test_a_guest_of_another_activity_is_refused_in_the_handshake():
    session, _practices, _criteria, _f, _p, _guest, stranger = await world()
    communicator, connected = await open_socket(session, guest=stranger)
    assert connected is False
    await communicator.disconnect()
