"""The café's rules through the live protocol's one writer (apply_op), without sockets."""

import threading

import pytest
from django.db import connection

from jointlearn.live import protocol
from jointlearn.models import LiveActivity, Role
from learningcafe import services
from learningcafe.models import Cafe, CafeParticipant, Note, TableSummary, Vote

from ..factories import add_member, make_project
from .factories import (
    facilitator_actor,
    guest_actor,
    make_cafe,
    member_actor,
    op,
    people,
    reload,
    table_of,
)


@pytest.fixture
def cafe(project):
    return make_cafe(
        project, themes=("Peer tutoring", "Employers", "Trade unions"), table_capacity=6
    )


@pytest.fixture
def runner(project):
    return facilitator_actor(project)


@pytest.fixture
def room(project, cafe):
    return people(project, cafe, 9)


def started(cafe, runner):
    op(cafe, runner, "cafe.start", expected_round=0)
    return reload(cafe)


def refused(code, cafe, actor, name, **data):
    version = LiveActivity.objects.get(pk=cafe.activity_id).version
    with pytest.raises(protocol.LiveError) as error:
        op(cafe, actor, name, **data)
    assert error.value.code == code, error.value.message
    assert LiveActivity.objects.get(pk=cafe.activity_id).version == version
    return error.value


def test_start_seats_everyone_balanced_and_starts_the_timer(cafe, runner, room):
    cafe = started(cafe, runner)
    assert cafe.phase == Cafe.Phase.TALKING and cafe.current_round == 0
    assert len(cafe.plan["seats"]) == 9
    sizes = {}
    for seats in cafe.plan["seats"].values():
        assert len(seats) == 3
        sizes[seats[0]] = sizes.get(seats[0], 0) + 1
    assert sorted(sizes.values()) == [3, 3, 3]
    assert cafe.activity.phase_ends_at is not None


def test_nobody_visits_a_theme_twice_in_three_rounds(cafe, runner, room):
    cafe = started(cafe, runner)
    for seats in cafe.plan["seats"].values():
        assert len(set(seats)) == 3


def test_start_needs_people(cafe, runner):
    refused("nobody", cafe, runner, "cafe.start", expected_round=0)


def test_next_round_pressed_twice_rotates_once(cafe, runner, room):
    cafe = started(cafe, runner)
    op(cafe, runner, "cafe.next", expected_round=0)
    error = refused("stale", cafe, runner, "cafe.next", expected_round=0)
    assert "moved on" in error.message
    assert reload(cafe).current_round == 1


def test_end_round_early_then_next_round(cafe, runner, room):
    cafe = started(cafe, runner)
    op(cafe, runner, "cafe.end_round", expected_round=0)
    cafe = reload(cafe)
    assert cafe.phase == Cafe.Phase.MOVING
    assert cafe.activity.phase_ends_at is None
    refused("stale", cafe, runner, "cafe.end_round", expected_round=0)
    op(cafe, runner, "cafe.next", expected_round=0)
    assert reload(cafe).phase == Cafe.Phase.TALKING


def test_last_round_cannot_go_further_and_ending_closes_the_code(cafe, runner, room):
    cafe = started(cafe, runner)
    op(cafe, runner, "cafe.next", expected_round=0)
    op(cafe, runner, "cafe.next", expected_round=1)
    refused("last_round", cafe, runner, "cafe.next", expected_round=2)
    op(cafe, runner, "cafe.end")
    cafe = reload(cafe)
    assert cafe.phase == Cafe.Phase.FINISHED
    assert cafe.activity.state == LiveActivity.State.ENDED
    assert cafe.activity.join_code.is_open is False


def test_participants_cannot_run_the_cafe(project, cafe, runner, room):
    refused("forbidden", cafe, room[0], "cafe.start", expected_round=0)
    started(cafe, runner)
    for name, data in [
        ("cafe.next", {"expected_round": 0}),
        ("cafe.end_round", {"expected_round": 0}),
        ("cafe.end", {}),
        ("cafe.announce", {"text": "Hello"}),
        ("cafe.table_add", {"theme": "More"}),
    ]:
        refused("forbidden", cafe, room[0], name, **data)


def test_late_joiner_gets_a_seat_and_nobody_else_moves(project, cafe, runner, room):
    cafe = started(cafe, runner)
    before = dict(cafe.plan["seats"])
    late = people(project, cafe, 1)[0]
    cafe = reload(cafe)
    assert table_of(cafe, late) is not None
    for person, seats in before.items():
        assert cafe.plan["seats"][person] == seats


def test_leaver_frees_the_seat_from_now_on(cafe, runner, room):
    cafe = started(cafe, runner)
    op(cafe, room[0], "cafe.leave")
    cafe = reload(cafe)
    me = services.participant_for(cafe, room[0])
    assert me.left_at is not None
    assert cafe.plan["seats"][str(me.pk)] == [None, None, None]
    refused("not_found", cafe, room[0], "cafe.leave")


@pytest.fixture
def heard(monkeypatch, django_capture_on_commit_callbacks):
    """Applies an op, and returns the café update it broadcast."""
    sent = []
    monkeypatch.setattr(
        "jointlearn.live.broadcast.send_to_group", lambda group, message: sent.append(message)
    )

    def apply(cafe, actor, name, **data):
        sent.clear()
        with django_capture_on_commit_callbacks(execute=True):
            op(cafe, actor, name, **data)
        updates = [m["event"] for m in sent if m.get("event", {}).get("kind") == "cafe.update"]
        assert len(updates) == 1, sent
        return updates[0]

    return apply


def test_a_leaver_is_no_longer_in_the_cafe_and_may_check_in_again(cafe, runner, room, heard):
    cafe = started(cafe, runner)
    me = services.participant_for(cafe, room[0])
    event = heard(cafe, room[0], "cafe.leave")
    assert event["left"] == me.pk
    state = services.cafe_state(cafe.activity, room[0])["cafe"]
    assert state["me"] is None and state["my_table"] is None
    refused("not_seated", cafe, room[0], "note.post", table_id=table_of(cafe, room[1]), text="Hi")
    op(cafe, room[0], "cafe.join")
    state = services.cafe_state(reload(cafe).activity, room[0])["cafe"]
    assert state["me"] == me.pk and state["my_table"] is not None


def test_the_facilitator_takes_someone_out_and_their_phone_learns_it(cafe, runner, room, heard):
    cafe = started(cafe, runner)
    them = services.participant_for(cafe, room[1])
    event = heard(cafe, runner, "cafe.remove_person", participant_id=them.pk)
    assert event["left"] == them.pk
    assert services.cafe_state(reload(cafe).activity, room[1])["cafe"]["me"] is None
    refused("not_found", cafe, runner, "cafe.remove_person", participant_id=them.pk)
    refused("forbidden", cafe, room[2], "cafe.remove_person", participant_id=them.pk)


def test_the_plans_quality_report_follows_every_change_of_the_plan(cafe, runner, room, heard):
    assert services.cafe_state(cafe.activity, runner)["cafe"]["quality"] is None
    event = heard(cafe, runner, "cafe.start", expected_round=0)
    cafe = reload(cafe)
    quality = event["quality"]
    assert quality == cafe.plan["quality"]
    # Nine people from three countries, three tables of three, three rounds: everyone
    # meets more than their first table, nobody gets a theme twice, tables stay even.
    assert 2 < quality["mean_distinct_met"] <= 6
    assert quality["theme_repeats"] == quality["size_imbalance"] == 0
    assert quality["mean_largest_country_share"] < 1
    assert services.cafe_state(cafe.activity, runner)["cafe"]["quality"] == quality
    # A phone is not sent the console's figures in its snapshot.
    assert services.cafe_state(cafe.activity, room[0])["cafe"]["quality"] is None
    # Someone leaves after the first round: those they would have met meet fewer people.
    op(cafe, runner, "cafe.end_round", expected_round=0)
    left = heard(cafe, room[0], "cafe.leave")["quality"]
    assert left["mean_distinct_met"] < quality["mean_distinct_met"]
    assert reload(cafe).plan["quality"] == left
    # A late joiner is seated, and the report counts them.
    late = member_actor(cafe.activity.project, add_member(cafe.activity.project))
    joined = heard(cafe, late, "cafe.join")["quality"]
    assert joined == reload(cafe).plan["quality"] != left


def test_facilitator_moves_one_person(cafe, runner, room):
    cafe = started(cafe, runner)
    me = services.participant_for(cafe, room[0])
    elsewhere = next(t.pk for t in cafe.tables.all() if t.pk != table_of(cafe, room[0]))
    op(cafe, runner, "cafe.move", participant_id=me.pk, table_id=elsewhere)
    assert table_of(cafe, room[0]) == elsewhere


def test_adding_and_removing_tables_mid_cafe(cafe, runner, room):
    cafe = started(cafe, runner)
    op(cafe, runner, "cafe.table_add", theme="Follow-up and evaluation")
    cafe = reload(cafe)
    assert cafe.tables.count() == 4
    emptied = table_of(cafe, room[0])
    op(cafe, runner, "cafe.table_remove", table_id=emptied)
    cafe = reload(cafe)
    assert all(seats[0] != emptied for seats in cafe.plan["seats"].values())
    assert table_of(cafe, room[0]) is not None


def test_disconnected_during_the_move_gets_the_new_seat_in_the_snapshot(cafe, runner, room):
    cafe = started(cafe, runner)
    first = table_of(cafe, room[0])
    op(cafe, runner, "cafe.next", expected_round=0)
    # The phone missed the event: the snapshot it asks for on reconnect carries the seat.
    snapshot = protocol.load_snapshot(cafe.activity_id, room[0])
    state = snapshot["state"]["cafe"]
    me = str(state["me"])
    assert state["round"] == 1
    assert state["seating"][me][0] == table_of(cafe, room[0]) != first


def post(cafe, actor, text="Peer groups help", **data):
    data.setdefault("table_id", table_of(cafe, actor))
    return op(cafe, actor, "note.post", text=text, **data)


def test_note_is_saved_at_my_table_and_the_event_carries_only_the_note(
    cafe, runner, room, monkeypatch, django_capture_on_commit_callbacks
):
    cafe = started(cafe, runner)
    sent = []
    monkeypatch.setattr(
        "jointlearn.live.broadcast.send_to_group", lambda group, message: sent.append(message)
    )
    with django_capture_on_commit_callbacks(execute=True):
        post(cafe, room[0], "  Mentors who speak the language  ")
    note = Note.objects.get()
    assert note.text == "Mentors who speak the language"
    assert note.round_index == 0 and note.table_id == table_of(cafe, room[0])
    event = sent[0]["event"]
    assert event["kind"] == "note.posted"
    # The note, and the scope that sends it only to the sockets following its table.
    assert set(event) == {"kind", "note", "scope"}
    assert event["scope"] == f"table-{note.table_id}"
    assert event["note"]["text"] == "Mentors who speak the language"


def test_empty_and_too_long_notes_are_refused(cafe, runner, room):
    cafe = started(cafe, runner)
    assert (
        refused(
            "invalid", cafe, room[0], "note.post", table_id=table_of(cafe, room[0]), text="   "
        ).message
        == "Write something first."
    )
    error = refused(
        "invalid", cafe, room[0], "note.post", table_id=table_of(cafe, room[0]), text="x" * 281
    )
    assert "at most 280 characters" in error.message
    assert Note.objects.count() == 0


def test_posting_to_a_table_where_you_do_not_sit_is_refused(cafe, runner, room):
    cafe = started(cafe, runner)
    elsewhere = next(t.pk for t in cafe.tables.all() if t.pk != table_of(cafe, room[0]))
    error = refused("not_seated", cafe, room[0], "note.post", table_id=elsewhere, text="Hi")
    assert error.message == "You can write notes only at the table where you sit now."


def test_notes_wait_for_the_start_and_for_check_in(project, cafe, runner, room):
    refused("locked", cafe, room[0], "note.post", table_id=cafe.tables.first().pk, text="Hi")
    cafe = started(cafe, runner)
    stranger = member_actor(project, add_member(project, role=Role.PARTICIPANT))
    refused("not_seated", cafe, stranger, "note.post", table_id=cafe.tables.first().pk, text="Hi")


def test_edit_and_delete_own_notes_only(cafe, runner, room):
    cafe = started(cafe, runner)
    post(cafe, room[0])
    note = Note.objects.get()
    neighbour = next(a for a in room[1:] if table_of(cafe, a) == note.table_id)
    refused("forbidden", cafe, neighbour, "note.edit", note_id=note.pk, text="Mine now")
    refused("forbidden", cafe, neighbour, "note.delete", note_id=note.pk)
    op(cafe, room[0], "note.edit", note_id=note.pk, text="Peer groups help a lot")
    note.refresh_from_db()
    assert note.text == "Peer groups help a lot" and note.edited_at is not None
    op(cafe, room[0], "note.delete", note_id=note.pk)
    assert Note.objects.count() == 0


def test_host_hides_notes_at_their_table_participants_cannot(project, runner):
    host = add_member(project, role=Role.PARTNER)
    from learningcafe.services import create_cafe

    activity = create_cafe(
        project=project,
        created_by=host,
        title="Café",
        tables=[{"theme": "Peer tutoring", "host": host}, {"theme": "Employers"}],
    )
    cafe = Cafe.objects.get(activity=activity)
    room = people(project, cafe, 4)
    cafe = started(cafe, runner)
    host_actor = member_actor(project, host)
    hosted = cafe.tables.get(number=1).pk
    assert table_of(cafe, host_actor) == hosted
    writer = next(a for a in room if table_of(cafe, a) == hosted)
    post(cafe, writer)
    note = Note.objects.get()
    other = next(a for a in room if a is not writer)
    refused("forbidden", cafe, other, "note.hide", note_id=note.pk)
    op(cafe, host_actor, "note.hide", note_id=note.pk)
    note.refresh_from_db()
    assert note.hidden
    # A hidden note leaves the participants' snapshot; the facilitator still sees it.
    assert protocol.load_snapshot(cafe.activity_id, writer)["state"]["cafe"]["notes"] == []
    assert len(protocol.load_snapshot(cafe.activity_id, runner)["state"]["cafe"]["notes"]) == 1
    op(cafe, runner, "note.show", note_id=note.pk)
    # The host stays at the table in every round.
    op(cafe, runner, "cafe.next", expected_round=0)
    assert table_of(cafe, host_actor) == hosted


def test_votes_have_an_allowance_per_round_and_one_per_note(project, runner):
    cafe = make_cafe(project, themes=("One",), votes_per_round=2, rounds=2, table_capacity=8)
    room = people(project, cafe, 4)
    cafe = started(cafe, runner)
    for actor in room[1:]:
        post(cafe, actor, f"Idea of {actor.name}")
    notes = list(Note.objects.order_by("pk"))
    op(cafe, room[0], "note.vote", note_id=notes[0].pk)
    error = refused("duplicate", cafe, room[0], "note.vote", note_id=notes[0].pk)
    assert error.message == "You have already voted for this note."
    op(cafe, room[0], "note.vote", note_id=notes[1].pk)
    error = refused("limit", cafe, room[0], "note.vote", note_id=notes[2].pk)
    assert error.message == "You have used your 2 votes for this round."
    notes[0].refresh_from_db()
    assert notes[0].votes == 1
    assert Vote.objects.count() == 2
    state = protocol.load_snapshot(cafe.activity_id, room[0])["state"]["cafe"]
    assert state["votes_left"] == 0 and sorted(state["my_votes"]) == [notes[0].pk, notes[1].pk]


def test_stale_summary_save_is_refused_and_the_current_text_stays(project, runner):
    host = add_member(project, role=Role.PARTNER)
    activity = services.create_cafe(
        project=project, created_by=host, title="Café", tables=[{"theme": "T", "host": host}]
    )
    cafe = Cafe.objects.get(activity=activity)
    table = cafe.tables.get().pk
    host_actor = member_actor(project, host)
    op(cafe, host_actor, "summary.save", table_id=table, text="First take", base_version=0)
    op(cafe, runner, "summary.save", table_id=table, text="Facilitator's", base_version=1)
    error = refused(
        "stale", cafe, host_actor, "summary.save", table_id=table, text="Mine", base_version=1
    )
    assert "newer version" in error.message
    assert list(TableSummary.objects.values_list("version", "text")) == [
        (2, "Facilitator's"),
        (1, "First take"),
    ]
    state = protocol.load_snapshot(cafe.activity_id, host_actor)["state"]["cafe"]
    assert state["summaries"][str(table)]["text"] == "Facilitator's"
    participant = people(project, cafe, 1)[0]
    refused(
        "forbidden", cafe, participant, "summary.save", table_id=table, text="x", base_version=2
    )


def test_a_note_links_a_practice_of_the_project(project, cafe, runner, room):
    from ..practices.helpers import make_practice

    cafe = started(cafe, runner)
    practice = make_practice(project, project.organisations.first())
    post(cafe, room[0], "Like this one", practice_id=practice.pk)
    assert Note.objects.get().practice == practice
    elsewhere = make_project()
    other = make_practice(elsewhere, elsewhere.organisations.first())
    error = refused(
        "not_found",
        cafe,
        room[0],
        "note.post",
        table_id=table_of(cafe, room[0]),
        text="x",
        practice_id=other.pk,
    )
    assert error.message == "This practice is not in the project's library."


def test_guest_joins_with_country_and_organisation(cafe):
    actor = guest_actor(cafe, "Amal")
    op(cafe, actor, "cafe.join", organisation="Groep INTRO", country="BE")
    participant = CafeParticipant.objects.get(guest=actor.guest)
    assert (participant.name, participant.organisation, participant.country.code) == (
        "Amal",
        "Groep INTRO",
        "BE",
    )
    refused("duplicate", cafe, actor, "cafe.join")


def test_facilitator_checks_in_a_member(project, cafe, runner):
    member = add_member(project, role=Role.PARTNER)
    op(cafe, runner, "cafe.check_in", user_id=member.pk)
    assert cafe.participants.filter(user=member).exists()
    outsider = make_project().memberships.get().user
    refused("not_found", cafe, runner, "cafe.check_in", user_id=outsider.pk)


def test_earlier_cafes_pairs_count_as_met(project, runner):
    first = make_cafe(project, themes=("A", "B"))
    room = people(project, first, 4)
    started(first, runner)
    second = make_cafe(project, themes=("C", "D"))
    for actor in room:
        op(second, actor, "cafe.join")
    second = reload(second)
    pairs = services.met_before(second, services.present_participants(second))
    assert len(pairs) == 2  # two tables of two people in the first round of the first café


@pytest.mark.django_db(transaction=True)
def test_fifty_people_posting_at_the_same_moment_are_all_saved():
    project = make_project()
    cafe = make_cafe(
        project, themes=[f"Theme {n}" for n in range(1, 8)], table_capacity=8, rounds=2
    )
    room = people(project, cafe, 50)
    runner = facilitator_actor(project)
    cafe = started(cafe, runner)
    tables = {id(actor): table_of(cafe, actor) for actor in room}
    start = threading.Barrier(len(room))
    errors = []

    def write(number, actor):
        try:
            start.wait()
            protocol.apply_op(
                activity_id=cafe.activity_id,
                actor=actor,
                op_id=f"same-moment-{number}",
                op="note.post",
                data={"table_id": tables[id(actor)], "text": f"Note {number}"},
            )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n, a)) for n, a in enumerate(room)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Note.objects.count() == 50
    activity = LiveActivity.objects.get(pk=cafe.activity_id)
    # Every note got its own version: one sequence, no gaps, nothing doubled.
    versions = sorted(activity.ops.filter(op="note.post").values_list("version", flat=True))
    assert versions == list(range(versions[0], versions[0] + 50))


def test_the_console_holds_the_newest_notes(cafe, runner, room, monkeypatch):
    """A busy café's notes outgrow a WebSocket message (1 MB): the soak's console could not
    resync after 5,000. The console's snapshot holds the newest CONSOLE_NOTES and the count;
    the harvest has them all."""
    monkeypatch.setattr(services, "CONSOLE_NOTES", 2)
    cafe = started(cafe, runner)
    for number in range(5):
        post(cafe, room[number % 2], text=f"Note {number}")
    console = protocol.load_snapshot(cafe.activity_id, runner)["state"]["cafe"]
    assert [note["text"] for note in console["notes"]] == ["Note 3", "Note 4"]
    assert (console["notes_total"], console["notes_limit"]) == (5, 2)
    assert console["earlier_total"] is None


def test_a_phone_holds_its_tables_round_and_the_most_voted_earlier_notes(
    cafe, runner, room, monkeypatch
):
    """After a rotation every phone asks for a snapshot at once; a long café leaves hundreds
    of notes on a table. A phone gets every note of this round at its table and the
    EARLIER_NOTES most voted that earlier rounds left there, with their count."""
    monkeypatch.setattr(services, "EARLIER_NOTES", 2)
    cafe = started(cafe, runner)
    op(cafe, runner, "cafe.next", expected_round=0)
    cafe = reload(cafe)
    mine = table_of(cafe, room[0])
    elsewhere = cafe.tables.exclude(pk=mine).first()

    def note(text, *, table=mine, round_index=0, votes=0, hidden=False):
        return Note.objects.create(
            cafe=cafe,
            table_id=table,
            round_index=round_index,
            author_name="Anna",
            text=text,
            votes=votes,
            hidden=hidden,
        )

    note("Earlier, one vote", votes=1)
    note("Earlier, three votes", votes=3)
    note("Earlier, no votes")
    note("Earlier, two votes", votes=2)
    note("Earlier, hidden", votes=9, hidden=True)
    note("Earlier, another table", table=elsewhere.pk, votes=9)
    note("This round, no votes", round_index=1)
    note("This round, hidden", round_index=1, hidden=True)
    post(cafe, room[0], text="This round, mine")

    phone = protocol.load_snapshot(cafe.activity_id, room[0])["state"]["cafe"]
    assert [item["text"] for item in phone["notes"]] == [
        "Earlier, three votes",
        "Earlier, two votes",
        "This round, no votes",
        "This round, mine",
    ]
    assert (phone["earlier_total"], phone["earlier_limit"]) == (4, 2)

    # Under the limit, the count is what the phone holds, and the page says nothing.
    monkeypatch.setattr(services, "EARLIER_NOTES", 10)
    phone = protocol.load_snapshot(cafe.activity_id, room[0])["state"]["cafe"]
    assert phone["earlier_total"] == 4
    assert sum(item["round"] == 0 for item in phone["notes"]) == 4


def test_a_phones_snapshot_after_a_rotation_is_eight_queries(
    project, runner, django_assert_num_queries
):
    """What 150 phones of a worker ask for within 3 s of "next round": the activity, the
    café, its tables, the phone's seat, the people it shows, its table's notes, the summary
    and its votes; the hosts come from the people's rows, not a query of their own."""
    hosts = [add_member(project, role=Role.PARTNER) for _ in range(2)]
    activity = services.create_cafe(
        project=project,
        created_by=hosts[0],
        title="Café",
        tables=[{"theme": f"Theme {n}", "host": host} for n, host in enumerate(hosts)],
    )
    cafe = started(Cafe.objects.get(activity=activity), runner)
    room = people(project, cafe, 6)
    for phone in room:
        if table_of(cafe, phone) is not None:
            post(cafe, phone, text="Round one")
    op(cafe, runner, "cafe.next", expected_round=cafe.current_round)
    cafe = reload(cafe)
    phone = next(p for p in room if table_of(cafe, p) is not None)
    with django_assert_num_queries(8):
        state = protocol.load_snapshot(cafe.activity_id, phone)["state"]["cafe"]
    host_rows = {row["id"] for row in state["people"]} & {
        table["host"] for table in state["tables"] if table.get("host")
    }
    assert len(host_rows) == 2  # both hosts, from the rows
    assert any(note["round"] == 0 for note in state["notes"])
