"""Quick polls: votes, changing a vote, closing, results, bad votes."""

import pytest

from jointlearn.live import protocol
from jointlearn.models import LiveActivity, Role
from reflections.models import Poll, Vote
from reflections.polls import PollForm, create_poll, export, poll_state, results

from ..factories import add_member
from .conftest import actor_for, guest_actor, refused, send


@pytest.fixture
def single(project, facilitator):
    return create_poll(
        project=project,
        created_by=facilitator,
        question="Which day was most useful?",
        type=Poll.Type.SINGLE,
        options=["Day one", "Day two", "Day three"],
    )


@pytest.fixture
def multiple(project, facilitator):
    return create_poll(
        project=project,
        created_by=facilitator,
        question="What would you take home?",
        type=Poll.Type.MULTIPLE,
        options=["Peer groups", "Tutors", "Job coaching"],
    )


@pytest.fixture
def scale(project, facilitator):
    return create_poll(
        project=project, created_by=facilitator, question="How useful?", type=Poll.Type.SCALE_10
    )


def counts(activity):
    return [row["count"] for row in results(activity, activity.poll)["rows"]]


def test_votes_are_counted_and_can_be_changed_until_close(single, room, host):
    send(single, room[0], "vote", choices="1")
    send(single, room[1], "vote", choices="1")
    assert counts(single) == [0, 2, 0]
    send(single, room[0], "vote", choices="2")
    assert counts(single) == [0, 1, 1]
    assert Vote.objects.filter(activity=single).count() == 2
    assert poll_state(single, room[0])["poll"]["mine"] == [2]
    send(single, host, "state.set", state="locked")
    error = refused(single, room[0], "vote", choices="0")
    assert (error.code, error.message) == (
        "closed",
        "The poll is closed: votes are no longer taken.",
    )
    assert counts(single) == [0, 1, 1]  # the results are kept
    rows = export(single)["csv_rows"]
    assert [(row["label"], row["count"]) for row in rows] == [
        ("Day one", 0),
        ("Day two", 1),
        ("Day three", 1),
    ]


def test_multiple_choice_counts_each_choice(multiple, room):
    send(multiple, room[0], "vote", choices="0,2")
    send(multiple, guest_actor(multiple), "vote", choices="2")
    assert counts(multiple) == [1, 0, 2]
    assert results(multiple, multiple.poll)["voters"] == 2


def test_a_scale_has_a_mean(scale, room):
    send(scale, room[0], "vote", choices="7")
    send(scale, room[1], "vote", choices="10")
    tally = results(scale, scale.poll)
    assert (tally["voters"], tally["mean"]) == (2, 8.5)
    assert [row["value"] for row in tally["rows"]] == list(range(11))


@pytest.mark.parametrize(
    ("poll", "choices", "message"),
    [
        ("scale", "11", "Choose a number from 0 to 10."),
        ("scale", "-1", "Choose a number from 0 to 10."),
        ("scale", "3,4", "Choose a number from 0 to 10."),
        ("single", "7", "This choice is not in the poll."),
        ("single", "0,1", "Choose one answer only."),
        ("multiple", "0,9", "This choice is not in the poll."),
        ("single", "", "Choose an answer first."),
        ("single", "one", "Choose an answer from the list."),
    ],
)
def test_bad_votes_are_refused_and_save_nothing(request, room, poll, choices, message):
    activity = request.getfixturevalue(poll)
    error = refused(activity, room[0], "vote", choices=choices)
    assert error.message == message
    assert not Vote.objects.exists()
    assert LiveActivity.objects.get(pk=activity.pk).version == 0


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"question": "Q", "type": "single", "options": "Only one"},
            "options",
            "Write at least two choices, one a line.",
        ),
        (
            {"question": "Q", "type": "multiple", "options": "A\na"},
            "options",
            "Each choice once, please.",
        ),
        ({"question": "", "type": "scale5"}, "question", "Write the question people answer."),
    ],
)
def test_bad_poll_set_up_is_refused(data, field, message):
    form = PollForm(data)
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_a_scale_poll_needs_no_choices():
    form = PollForm({"question": "How useful?", "type": "scale5", "options": "ignored"})
    assert form.is_valid()
    assert form.cleaned_data["options"] == []


@pytest.mark.parametrize("role", [*Role.values, "guest"])
def test_everyone_votes_only_facilitators_close(project, single, role):
    actor = (
        guest_actor(single)
        if role == "guest"
        else actor_for(project, add_member(project, role=role))
    )
    send(single, actor, "vote", choices="0")
    runs = role in {Role.FACILITATOR, Role.COORDINATOR}
    try:
        send(single, actor, "state.set", state="locked")
    except protocol.LiveError as error:
        assert not runs and error.code == "forbidden"
    else:
        assert runs


def test_the_facilitator_rewords_the_question_and_participants_may_not(single, room, host):
    send(single, host, "poll.question", question="  Which   day helped most? ")
    single.poll.refresh_from_db()
    assert single.poll.question == "Which day helped most?"
    assert refused(single, room[0], "poll.question", question="Mine").code == "forbidden"
    assert refused(single, host, "poll.question", question="").message == (
        "Write the question people answer."
    )
