"""Cross-country pairing as a live activity: "I'm here", pairs, re-pairs, prompts."""

import pytest

from jointlearn.live import protocol
from jointlearn.models import LiveActivity, Role
from meetings import services as meeting_services
from meetings.models import Icebreaker
from reflections.models import PairGroup
from reflections.pairs import create_pairing, export, pairing_state

from ..factories import add_member, make_project
from .conftest import actor_for, guest_actor, refused, send


@pytest.fixture
def mixing(db):
    return Icebreaker.objects.create(
        name="Speed pairs",
        instructions="Tell each other one thing.",
        duration=10,
        purpose=Icebreaker.Purpose.MIXING,
    )


@pytest.fixture
def pairing(project, facilitator, mixing):
    return create_pairing(project=project, created_by=facilitator, title="Pairs")


def groups(activity, round_number):
    return [
        sorted(group.members.values_list("country", flat=True))
        for group in PairGroup.objects.filter(activity=activity, round=round_number)
    ]


def test_a_random_mixing_icebreaker_is_the_prompt(pairing, mixing):
    assert pairing.pairing.icebreaker == mixing


def test_pairs_mix_countries_and_re_pairing_gives_new_partners(pairing, room, host):
    for actor in room:
        send(pairing, actor, "here")
    send(pairing, host, "pairs.make")
    assert all(len(set(countries)) == 2 for countries in groups(pairing, 1))
    send(pairing, host, "pairs.make")
    first = {
        frozenset(g.members.values_list("pk", flat=True))
        for g in PairGroup.objects.filter(activity=pairing, round=1)
    }
    second = {
        frozenset(g.members.values_list("pk", flat=True))
        for g in PairGroup.objects.filter(activity=pairing, round=2)
    }
    assert not first & second
    state = pairing_state(pairing, room[0])["pairing"]
    assert state["round"] == 2 and len(state["groups"]) == 3
    assert len(export(pairing)["csv_rows"]) == 12


def test_an_odd_one_makes_a_trio(pairing, room, host):
    for actor in room[:5]:
        send(pairing, actor, "here")
    send(pairing, host, "pairs.make")
    assert sorted(len(g) for g in groups(pairing, 1)) == [2, 3]


def test_pairing_one_person_is_refused_with_a_clear_message(pairing, room, host):
    error = refused(pairing, host, "pairs.make")
    assert error.message == "Nobody is here yet: ask people to press “I'm here” on their phones."
    send(pairing, room[0], "here")
    error = refused(pairing, host, "pairs.make")
    assert (error.code, error.message) == (
        "alone",
        "Only one person is here: pairing needs at least two. "
        "Ask the others to press “I'm here” on their phones.",
    )
    assert not PairGroup.objects.exists()


def test_a_guest_names_their_country(pairing):
    guest = guest_actor(pairing, "Amira")
    send(pairing, guest, "here", country="NL", organisation="Gemeente Utrecht")
    person = pairing_state(pairing, guest)["pairing"]["people"][0]
    assert (person["name"], person["country"], person["organisation"]) == (
        "Amira",
        "NL",
        "Gemeente Utrecht",
    )
    assert refused(pairing, guest, "here", country="XX").code == "invalid"


def test_the_facilitator_picks_a_prompt_from_the_library_only(pairing, project, host):
    own = meeting_services.save_icebreaker(
        project=project, name="Line-up", instructions="Stand in a line.", duration=10
    )
    send(pairing, host, "pairs.icebreaker", icebreaker=str(own.pk))
    assert pairing_state(pairing, host)["pairing"]["prompt"]["name"] == "Line-up"
    elsewhere = meeting_services.save_icebreaker(
        project=make_project(), name="Secret", instructions="Theirs.", duration=5
    )
    error = refused(pairing, host, "pairs.icebreaker", icebreaker=str(elsewhere.pk))
    assert error.message == "This icebreaker is not in the library."
    send(pairing, host, "pairs.icebreaker", icebreaker="random")


@pytest.mark.parametrize("role", [*Role.values, "guest"])
def test_every_pairing_operation_for_every_role(project, pairing, role):
    actor = (
        guest_actor(pairing)
        if role == "guest"
        else actor_for(project, add_member(project, role=role))
    )
    send(pairing, actor, "here")
    runs = role in {Role.FACILITATOR, Role.COORDINATOR}
    for op, data in [("pairs.make", {}), ("pairs.icebreaker", {"icebreaker": "random"})]:
        version = LiveActivity.objects.get(pk=pairing.pk).version
        try:
            send(pairing, actor, op, **data)
        except protocol.LiveError as error:
            if runs:
                assert error.code == "alone"
            else:
                assert error.code == "forbidden"
                assert LiveActivity.objects.get(pk=pairing.pk).version == version
        else:
            assert runs
