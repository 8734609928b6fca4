"""The reflection round: answers, formats, the speaking order, the timer, anonymity."""

import itertools

import pytest
from django.db import connection

from jointlearn.live import protocol
from jointlearn.models import LiveActivity, LiveOp, Role
from reflections.models import Answer, Presence, ReflectionRound
from reflections.rounds import create_round, export, round_state

from ..factories import add_member
from .conftest import actor_for, guest_actor, refused, send


@pytest.fixture
def named(project, facilitator):
    return create_round(project=project, created_by=facilitator, title="Reflection round")


@pytest.fixture
def anonymous(project, facilitator):
    return create_round(
        project=project, created_by=facilitator, title="Anonymous round", anonymous=True
    )


def test_defaults_are_translated_and_custom_prompts_kept_as_written(project, facilitator, named):
    from django.utils import translation

    assert ReflectionRound.objects.get(activity=named).prompts == []
    with translation.override("fi"):
        prompts = round_state(named, actor_for(project, facilitator))["round"]["prompts"]
    assert prompts[0] != "What did you gain from this seminar?"
    custom = create_round(
        project=project, created_by=facilitator, title="R", prompts=["Mitä opit tänään?"]
    )
    with translation.override("fr"):
        state = round_state(custom, actor_for(project, facilitator))
    assert state["round"]["prompts"] == ["Mitä opit tänään?"]


def test_a_named_answer_keeps_its_author_and_counts_its_formats(named, room):
    send(named, room[0], "answer.post", text="The study visit", prompt=1, formats="study_visit")
    send(
        named,
        room[1],
        "answer.post",
        text="Talking with peers at the café",
        prompt=1,
        formats="peer_discussion,learning_cafe,study_visit",
    )
    answer = Answer.objects.first()
    assert (answer.user_id, answer.author_name, answer.prompt) == (
        room[0].user.pk,
        str(room[0].user),
        1,
    )
    assert answer.created_at is not None
    chart = {row["format"]: row["count"] for row in round_state(named, room[0])["round"]["chart"]}
    assert chart["study_visit"] == 2 and chart["learning_cafe"] == 1 and chart["lecture"] == 0


def test_an_anonymous_answer_keeps_no_link_to_the_person_in_the_database(anonymous, project):
    participant = add_member(project, role=Role.PARTICIPANT)
    actor = actor_for(project, participant)
    guest = guest_actor(anonymous, "Nadia")
    send(anonymous, actor, "here")
    send(anonymous, actor, "answer.post", text="Peer groups work", formats="peer_discussion")
    send(anonymous, guest, "answer.post", text="The city tour", token="guest-token-1")
    for answer in Answer.objects.all():
        assert (answer.user_id, answer.guest_id, answer.author_name, answer.created_at) == (
            None,
            None,
            "",
            None,
        )
    answer_ops = LiveOp.objects.filter(activity=anonymous, op="answer.post")
    assert set(answer_ops.values_list("sender", flat=True)) == {"anonymous"}
    # Nowhere in the answers table is the person's id, name or the guest's name.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Answer._meta.db_table}")  # noqa: S608  # noqa: S608 (a model's own table)
        rows = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert "Nadia" not in rows and str(participant) not in rows
    # Ending the round forgets the speaking order too.
    assert Presence.objects.filter(activity=anonymous).exists()
    send(anonymous, actor_for(project, anonymous.created_by), "state.set", state="ended")
    assert not Presence.objects.filter(activity=anonymous).exists()
    state = round_state(anonymous, actor)["round"]
    assert {answer["author"] for answer in state["answers"]} == {""}
    assert {row["said_by"] for row in export(anonymous)["csv_rows"]} == {""}


def test_a_resent_anonymous_answer_is_saved_once(anonymous, room):
    send(anonymous, room[0], "answer.post", text="Once", token="same-token")
    send(anonymous, room[0], "answer.post", text="Once", token="same-token")
    assert Answer.objects.filter(activity=anonymous).count() == 1


def test_a_resent_named_answer_is_saved_once(named, room):
    for _ in range(2):
        protocol.apply_op(
            activity_id=named.pk,
            actor=room[0],
            op_id="same",
            op="answer.post",
            data={"text": "Once"},
        )
    assert Answer.objects.count() == 1


def test_the_facilitator_captures_the_current_speakers_answer(named, room, host):
    for actor in room[:3]:
        send(named, actor, "here")
    send(named, host, "order.generate")
    send(named, host, "speaker.next")
    reflection = ReflectionRound.objects.get(activity=named)
    speaker = reflection.current_speaker
    named.refresh_from_db()
    assert named.phase_ends_at is not None  # the speaker's timer runs
    send(named, host, "answer.capture", text="She liked the pitches", formats="pitch")
    answer = Answer.objects.get()
    assert (answer.author_name, answer.captured) == (speaker.name, True)
    send(named, host, "speaker.next")
    assert Presence.objects.get(pk=speaker.pk).spoken is True


def test_the_speaking_order_mixes_countries_and_can_be_changed(named, room, host):
    for actor in room:
        send(named, actor, "here")
    send(named, host, "order.generate")
    order = list(Presence.objects.filter(activity=named).order_by("position"))
    countries = [presence.country.code for presence in order]
    assert all(a != b for a, b in itertools.pairwise(countries))
    send(named, host, "order.move", speaker=order[0].pk, offset=1)
    moved = list(Presence.objects.filter(activity=named).order_by("position"))
    assert [p.pk for p in moved[:2]] == [order[1].pk, order[0].pk]
    reversed_ids = ",".join(str(p.pk) for p in reversed(moved))
    send(named, host, "order.set", order=reversed_ids)
    assert list(
        Presence.objects.filter(activity=named).order_by("position").values_list("pk", flat=True)
    ) == [p.pk for p in reversed(moved)]
    error = refused(named, host, "order.set", order=str(order[0].pk))
    assert error.message == "The speaking order changed meanwhile. Try again."


def test_a_skipped_speaker_is_passed_over(named, room, host):
    for actor in room[:3]:
        send(named, actor, "here")
    send(named, host, "order.generate")
    _first, second, third = Presence.objects.filter(activity=named).order_by("position")
    send(named, host, "speaker.skip", speaker=second.pk)
    send(named, host, "speaker.next")
    send(named, host, "speaker.next")
    assert ReflectionRound.objects.get(activity=named).current_speaker_id == third.pk


def test_a_late_arrival_joins_the_end_of_the_order(named, room, host):
    send(named, room[0], "here")
    send(named, host, "order.generate")
    send(named, room[1], "here")
    send(named, room[1], "here")  # a second press changes nothing
    order = Presence.objects.filter(activity=named).order_by("position")
    assert [p.user_id for p in order] == [room[0].user.pk, room[1].user.pk]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Write your answer first."),
        ({"text": "   "}, "Write your answer first."),
        (
            {"text": "x" * 1001},
            "Your answer is too long: keep it under 1000 characters.",
        ),
        ({"text": "Fine", "formats": "juggling"}, "Choose learning formats from the list."),
        ({"text": "Fine", "prompt": 4}, "This prompt is not part of the round."),
    ],
)
def test_bad_answers_are_refused_and_save_nothing(named, room, data, message):
    error = refused(named, room[0], "answer.post", **data)
    assert error.message == message
    assert not Answer.objects.exists()
    assert LiveActivity.objects.get(pk=named.pk).version == 0


def test_a_closed_round_takes_no_answers(named, room, host):
    send(named, host, "state.set", state="locked")
    error = refused(named, room[0], "answer.post", text="Late")
    assert (error.code, error.message) == (
        "locked",
        "The round is closed: answers are no longer taken.",
    )


FACILITATOR_OPS = [
    ("answer.capture", {"text": "Said aloud"}),
    ("order.generate", {}),
    ("order.set", {"order": ""}),
    ("speaker.next", {}),
    ("speaker.skip", {"speaker": 1}),
    ("order.move", {"speaker": 1, "offset": 1}),
    ("answer.remove", {"answer": 1}),
]


@pytest.mark.parametrize("role", [*Role.values, "guest"])
def test_every_round_operation_for_every_role(project, named, role):
    """The consumer actions' permission matrix for reflection rounds."""
    if role == "guest":
        actor = guest_actor(named)
    else:
        actor = actor_for(project, add_member(project, role=role))
    runs = role in {Role.FACILITATOR, Role.COORDINATOR}
    send(named, actor, "here")
    send(named, actor, "answer.post", text="Mine")
    for op, data in FACILITATOR_OPS:
        version = LiveActivity.objects.get(pk=named.pk).version
        try:
            send(named, actor, op, **data)
        except protocol.LiveError as error:
            if runs:
                assert error.code in {"not_found", "invalid"}, (op, error.message)
            else:
                assert (error.code, error.message) == (
                    "forbidden",
                    "Only the facilitator can do this.",
                )
            assert LiveActivity.objects.get(pk=named.pk).version == version
        else:
            assert runs, op


def test_removing_an_answer_updates_the_chart(named, room, host):
    send(named, room[0], "answer.post", text="Lecture", formats="lecture")
    answer = Answer.objects.get()
    send(named, host, "answer.remove", answer=answer.pk)
    assert not Answer.objects.exists()
    assert refused(named, host, "answer.remove", answer=answer.pk).code == "not_found"
