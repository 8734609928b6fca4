"""Faults on the server side of one socket: the database briefly away, an unexpected error.
An op that failed gets an error, never an ack; sent again with the same id, it is stored
once."""

import pytest
from django.db import OperationalError

from jointlearn.live import protocol
from jointlearn.models import WordWallEntry

from .test_live_activity_socket import joined, receive_until, send, world

pytestmark = pytest.mark.django_db(transaction=True)


async def test_an_op_during_a_database_outage_is_refused_then_succeeds_on_retry(monkeypatch):
    _project, wall, _facilitator, participant = await world()
    socket, _ = await joined(wall, user=participant)
    real_apply = protocol.apply_op
    failures = iter([OperationalError("server closed the connection unexpectedly")])

    def flaky_apply(**kwargs):
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real_apply(**kwargs)

    monkeypatch.setattr(protocol, "apply_op", flaky_apply)
    await send(socket, "word.post", "op-1", text="Patient")
    error = await receive_until(socket, "error")
    assert error["id"] == "op-1" and error["code"] == "server_error"
    assert error["message"] == "Something went wrong on our side. We will try again in a moment."
    # live.js keeps the op in its outbox and sends it again with the same id.
    await send(socket, "word.post", "op-1", text="Patient")
    ack = await receive_until(socket, "ack")
    assert ack["id"] == "op-1" and "duplicate" not in ack
    await send(socket, "word.post", "op-1", text="Patient")
    assert (await receive_until(socket, "ack"))["duplicate"] is True
    assert await WordWallEntry.objects.acount() == 1
    await socket.disconnect()
