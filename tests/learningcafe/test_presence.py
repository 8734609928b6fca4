"""Who is connected, as the console sees it, and how it stays right when daphne restarts."""

import pytest
from django.core.cache import cache

from learningcafe import presence
from learningcafe.models import CafeParticipant

from .factories import make_cafe, people


@pytest.fixture
def cafe(project):
    return make_cafe(project)


@pytest.fixture
def phone(project, cafe):
    (actor,) = people(project, cafe, 1)
    return actor


def connect(cafe, actor, socket, connected=True):
    return presence.record_socket(
        activity_id=cafe.activity_id, actor=actor, socket=socket, connected=connected
    )


def restart(monkeypatch):
    """A daphne restart: a new process, and the old one's lease runs out (no socket of the
    old process ever reported its closing)."""
    old = presence.WORKER
    monkeypatch.setattr(presence, "WORKER", "the-restarted-process")
    cache.delete(presence.lease_key(old))


def is_online(actor):
    participant = CafeParticipant.objects.get(user=actor.user)
    return participant.pk in presence.online_ids([participant.pk])


def test_two_sockets_of_one_person_go_offline_with_the_last(cafe, phone):
    pk = CafeParticipant.objects.get(user=phone.user).pk
    assert connect(cafe, phone, "laptop") == (pk, True)
    assert connect(cafe, phone, "phone") is None  # already online
    assert connect(cafe, phone, "laptop", connected=False) is None
    assert is_online(phone)
    assert connect(cafe, phone, "phone", connected=False) == (pk, False)
    assert not is_online(phone)


def test_after_a_restart_nobody_stays_online_who_did_not_come_back(
    cafe, phone, project, monkeypatch
):
    (away,) = people(project, cafe, 1)
    connect(cafe, phone, "old-phone")
    connect(cafe, away, "old-away")
    restart(monkeypatch)
    assert not is_online(phone) and not is_online(away)
    # The phone reconnects to the new process: online, counted once.
    pk = CafeParticipant.objects.get(user=phone.user).pk
    assert connect(cafe, phone, "new-phone") == (pk, True)
    assert is_online(phone) and not is_online(away)
    # Its one socket closes: offline (a counter would still have said one open socket).
    assert connect(cafe, phone, "new-phone", connected=False) == (pk, False)
    assert not is_online(phone)


def test_a_reconnect_before_the_old_lease_runs_out_is_still_counted_right(cafe, phone, monkeypatch):
    old = presence.WORKER
    connect(cafe, phone, "old-phone")
    monkeypatch.setattr(presence, "WORKER", "the-restarted-process")
    connect(cafe, phone, "new-phone")  # the old process's lease is still alive here
    cache.delete(presence.lease_key(old))  # ... and now runs out
    pk = CafeParticipant.objects.get(user=phone.user).pk
    assert connect(cafe, phone, "new-phone", connected=False) == (pk, False)


def test_the_lease_is_held_and_renewed_by_one_thread(cafe, phone):
    connect(cafe, phone, "phone")
    assert cache.get(presence.lease_key(presence.WORKER)) == 1
    renewer = presence._renewer
    connect(cafe, phone, "laptop")
    assert presence._renewer is renewer and renewer.is_alive()


def test_a_socket_of_someone_not_checked_in_changes_nothing(cafe, project):
    from ..factories import add_member
    from .factories import member_actor

    stranger = member_actor(project, add_member(project))
    assert connect(cafe, stranger, "phone") is None


def test_the_console_snapshot_says_who_is_online(cafe, phone, project, monkeypatch):
    from jointlearn.live import protocol

    from .factories import facilitator_actor

    runner = facilitator_actor(project)
    connect(cafe, phone, "phone")
    people_state = protocol.load_snapshot_and_scopes(cafe.activity_id, runner)[0]["state"]
    assert [p["online"] for p in people_state["cafe"]["people"]] == [True]
    restart(monkeypatch)
    people_state = protocol.load_snapshot_and_scopes(cafe.activity_id, runner)[0]["state"]
    assert [p["online"] for p in people_state["cafe"]["people"]] == [False]
