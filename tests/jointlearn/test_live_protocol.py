"""The live protocol's service layer and the word wall's rules, without sockets."""

import csv
import io
import json

import pytest
from django.urls import reverse

from jointlearn import services
from jointlearn.live import protocol
from jointlearn.live.wordwall import create_word_wall, export_rows
from jointlearn.models import LiveActivity, LiveOp, Role, WordWallEntry

from ..factories import add_member


@pytest.fixture
def wall(project, facilitator):
    return create_word_wall(
        project=project, created_by=facilitator, question="How do you arrive?", words_per_person=3
    )


def member_actor(project, user):
    return protocol.Actor(membership=project.memberships.get(user=user))


@pytest.fixture
def alice(project, participant):
    return member_actor(project, participant)


@pytest.fixture
def host(project, facilitator):
    return member_actor(project, facilitator)


def post(wall, actor, text, op_id):
    return protocol.apply_op(
        activity_id=wall.pk, actor=actor, op_id=op_id, op="word.post", data={"text": text}
    )


def test_post_saves_bumps_version_and_broadcasts_after_commit(
    wall, alice, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        "jointlearn.live.broadcast.send_to_group",
        lambda group, message: sent.append((group, message)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        applied = post(wall, alice, "  Curious  ", "op-1")
    assert applied == protocol.Applied(version=1, duplicate=False)
    entry = WordWallEntry.objects.get()
    assert (entry.text, entry.key, entry.author_name) == ("Curious", "curious", str(alice.user))
    assert sent == [
        (
            f"activity-{wall.pk}",
            {
                "type": "live.event",
                "version": 1,
                "event": {"kind": "word.posted", "word": "curious", "count": 1, "people": 1},
            },
        )
    ]


def test_repeated_op_id_is_applied_once_and_acknowledged_with_its_version(wall, alice):
    first = post(wall, alice, "tired", "same-id")
    again = post(wall, alice, "tired", "same-id")
    assert first == protocol.Applied(1, duplicate=False)
    assert again == protocol.Applied(1, duplicate=True)
    assert WordWallEntry.objects.count() == 1
    assert LiveOp.objects.get().version == 1
    wall.refresh_from_db()
    assert wall.version == 1


def test_op_ids_are_per_sender(wall, alice, host):
    post(wall, alice, "tired", "shared")
    assert post(wall, host, "awake", "shared") == protocol.Applied(2, duplicate=False)


def test_versions_increase_by_one_per_change(wall, alice, host):
    versions = [post(wall, alice, word, f"op-{word}").version for word in ["a1", "b2", "c3"]]
    versions.append(
        protocol.apply_op(
            activity_id=wall.pk, actor=host, op_id="h", op="word.hide", data={"word": "A1"}
        ).version
    )
    assert versions == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Type a word first."),
        ("   ", "Type a word first."),
        ("one two three four", "One to three words, please."),
        ("x" * 41, "Keep it short: at most 40 characters."),
        ("?!…", "Use letters or numbers, not only punctuation."),
    ],
)
def test_bad_words_are_refused_with_a_sentence_and_save_nothing(wall, alice, text, message):
    with pytest.raises(protocol.LiveError) as refused:
        post(wall, alice, text, "bad")
    assert (refused.value.code, refused.value.message) == ("invalid", message)
    assert not WordWallEntry.objects.exists()
    assert not LiveOp.objects.exists()
    wall.refresh_from_db()
    assert wall.version == 0


def test_a_word_counts_once_per_person_and_the_limit_holds(wall, alice):
    post(wall, alice, "Tired", "1")
    with pytest.raises(protocol.LiveError, match="You have already posted “tired”"):
        post(wall, alice, "tired ", "2")
    post(wall, alice, "hopeful", "3")
    post(wall, alice, "ready to go", "4")
    with pytest.raises(protocol.LiveError) as refused:
        post(wall, alice, "more", "5")
    assert refused.value.code == "limit"
    assert refused.value.message == "You have posted your 3 words. Thank you!"
    assert WordWallEntry.objects.count() == 3


def test_locked_wall_takes_no_words(wall, alice, host):
    protocol.apply_op(
        activity_id=wall.pk, actor=host, op_id="lock", op="state.set", data={"state": "locked"}
    )
    with pytest.raises(protocol.LiveError) as refused:
        post(wall, alice, "late", "x")
    assert refused.value.code == "locked"
    assert refused.value.message == "The wall is locked: no new words for now."


def test_ending_closes_the_code_and_reopening_opens_it(wall, host):
    for state, is_open in [("ended", False), ("open", True)]:
        protocol.apply_op(
            activity_id=wall.pk, actor=host, op_id=state, op="state.set", data={"state": state}
        )
        wall.join_code.refresh_from_db()
        assert wall.join_code.is_open is is_open


@pytest.mark.parametrize(
    ("op", "data"),
    [
        ("word.hide", {"word": "x"}),
        ("word.show", {"word": "x"}),
        ("wall.clear", {}),
        ("wall.question", {"question": "Why?"}),
        ("state.set", {"state": "locked"}),
        ("timer.start", {"seconds": 60}),
        ("timer.stop", {}),
    ],
)
def test_facilitator_operations_are_refused_to_participants_and_guests(wall, alice, op, data):
    guest = services.join_as_guest(join_code=wall.join_code, display_name="Guest")
    for actor in [alice, protocol.Actor(guest=guest)]:
        with pytest.raises(protocol.LiveError) as refused:
            protocol.apply_op(activity_id=wall.pk, actor=actor, op_id="f", op=op, data=data)
        assert refused.value.code == "forbidden"
        assert refused.value.message == "Only the facilitator can do this."


def test_unknown_op_bad_id_and_bad_data_are_refused(wall, alice):
    cases = [
        ({"op": "word.explode", "op_id": "ok", "data": {}}, "unknown_op"),
        ({"op": "word.post", "op_id": "", "data": {"text": "x"}}, "invalid"),
        ({"op": "word.post", "op_id": "a b", "data": {"text": "x"}}, "invalid"),
        ({"op": "word.post", "op_id": "x" * 65, "data": {"text": "x"}}, "invalid"),
        ({"op": "word.post", "op_id": "ok", "data": ["text"]}, "invalid"),
        ({"op": "word.post", "op_id": "ok", "data": {"text": ["a", "b"]}}, "invalid"),
        ({"op": "word.post", "op_id": "ok", "data": {"text": {"a": 1}}}, "invalid"),
    ]
    for arguments, code in cases:
        with pytest.raises(protocol.LiveError) as refused:
            protocol.apply_op(activity_id=wall.pk, actor=alice, **arguments)
        assert refused.value.code == code
    assert not WordWallEntry.objects.exists()


def test_missing_activity_is_reported(wall, alice):
    wall_id = wall.pk
    wall.delete()
    with pytest.raises(protocol.LiveError) as refused:
        post(protocol.LiveActivity(pk=wall_id), alice, "x", "1")
    assert refused.value.code == "not_found"


def test_hide_show_and_clear(wall, alice, host, project):
    bob = member_actor(project, add_member(project, role=Role.PARTICIPANT))
    post(wall, alice, "rude", "1")
    post(wall, bob, "rude", "2")
    post(wall, bob, "kind", "3")
    hide = protocol.apply_op(
        activity_id=wall.pk, actor=host, op_id="h", op="word.hide", data={"word": "RUDE "}
    )
    assert hide.version == 4
    snapshot_for_participant = protocol.load_snapshot(wall.pk, alice)["state"]["wall"]
    assert snapshot_for_participant["words"] == [{"word": "kind", "count": 1, "hidden": False}]
    snapshot_for_host = protocol.load_snapshot(wall.pk, host)["state"]["wall"]
    assert {"word": "rude", "count": 2, "hidden": True} in snapshot_for_host["words"]
    with pytest.raises(protocol.LiveError, match="not on the wall"):
        protocol.apply_op(
            activity_id=wall.pk, actor=host, op_id="h2", op="word.hide", data={"word": "rude"}
        )
    protocol.apply_op(
        activity_id=wall.pk, actor=host, op_id="s", op="word.show", data={"word": "rude"}
    )
    assert protocol.load_snapshot(wall.pk, alice)["state"]["wall"]["words"][0] == {
        "word": "rude",
        "count": 2,
        "hidden": False,
    }
    protocol.apply_op(activity_id=wall.pk, actor=host, op_id="c", op="wall.clear", data={})
    state = protocol.load_snapshot(wall.pk, alice)["state"]["wall"]
    assert (state["words"], state["mine"], state["people"]) == ([], [], 0)


def test_a_hidden_word_posted_again_stays_hidden_and_only_facilitators_hear_it(
    wall, alice, host, project
):
    post(wall, alice, "rude", "1")
    protocol.apply_op(
        activity_id=wall.pk, actor=host, op_id="h", op="word.hide", data={"word": "rude"}
    )
    bob = member_actor(project, add_member(project, role=Role.PARTICIPANT))
    post(wall, bob, "Rude", "2")
    assert WordWallEntry.objects.filter(hidden=True).count() == 2
    event = {
        "kind": "word.posted",
        "word": "rude",
        "count": 2,
        "hidden": True,
        "audience": "facilitators",
    }
    assert protocol.event_for(alice, event) == {"kind": "noop"}
    assert protocol.event_for(host, event) == {
        "kind": "word.posted",
        "word": "rude",
        "count": 2,
        "hidden": True,
    }


def test_snapshot_has_version_state_timer_and_mine(wall, alice):
    post(wall, alice, "Tired", "1")
    snapshot = protocol.load_snapshot(wall.pk, alice)
    assert snapshot["type"] == "snapshot"
    assert snapshot["version"] == 1
    assert snapshot["state"]["activity"] == {
        "id": wall.pk,
        "kind": "wordwall",
        "title": "How do you arrive?",
        "state": "open",
        "join_code": wall.join_code.code,
    }
    assert snapshot["state"]["timer"] == {"running": False, "ends_at": None, "remaining_ms": None}
    assert snapshot["state"]["wall"]["mine"] == ["tired"]
    assert snapshot["state"]["me"] == {"name": str(alice.user), "can_facilitate": False}


def test_timer_runs_pauses_resumes_extends_and_stops(wall, host):
    counter = iter(range(100))

    def timer(op, **data):
        op_id = f"t{next(counter)}"
        protocol.apply_op(activity_id=wall.pk, actor=host, op_id=op_id, op=op, data=data)
        wall.refresh_from_db()
        return protocol.timer_state(wall)

    running = timer("timer.start", seconds=120)
    assert running["running"] and running["ends_at"]
    paused = timer("timer.pause")
    assert not paused["running"] and 119_000 <= paused["remaining_ms"] <= 120_000
    with pytest.raises(protocol.LiveError, match="not running"):
        timer("timer.pause")
    extended = timer("timer.extend", seconds=60)
    assert 179_000 <= extended["remaining_ms"] <= 180_000
    assert timer("timer.resume")["running"]
    with pytest.raises(protocol.LiveError, match="not paused"):
        timer("timer.resume")
    with pytest.raises(protocol.LiveError, match="at most four hours"):
        timer("timer.extend", seconds=4 * 60 * 60)
    with pytest.raises(protocol.LiveError) as refused:
        timer("timer.start", seconds=0)
    assert refused.value.code == "invalid"
    assert timer("timer.stop") == {"running": False, "ends_at": None, "remaining_ms": None}


def test_token_bucket_allows_bursts_then_the_rate():
    now = [0.0]
    bucket = protocol.TokenBucket(rate=10, burst=3, clock=lambda: now[0])
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    now[0] += 0.1
    assert bucket.take() is True
    assert bucket.take() is False


def test_exports_have_every_word_and_keep_formulas_as_text(
    client, project, facilitator, wall, alice
):
    post(wall, alice, "=HYPERLINK(evil)", "1")
    post(wall, alice, "Hyvä", "2")
    assert [row["word"] for row in export_rows(wall)] == ["=HYPERLINK(evil)", "Hyvä"]
    client.force_login(facilitator)
    response = client.get(reverse("live_export_csv", args=[project.slug, wall.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="how-do-you-arrive-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["word"] for row in rows] == ["'=HYPERLINK(evil)", "Hyvä"]
    assert rows[1]["posted_by"] == str(alice.user)
    response = client.get(reverse("live_export_json", args=[project.slug, wall.pk]))
    payload = json.loads(response.content)
    assert payload["activity"]["question"] == "How do you arrive?"
    assert payload["cloud"][1] == {"word": "hyvä", "count": 1, "hidden": False}
    assert [row["word"] for row in payload["words"]] == ["=HYPERLINK(evil)", "Hyvä"]


def test_create_word_wall_makes_its_own_code(project, facilitator):
    wall = create_word_wall(project=project, created_by=facilitator, question="  Why   here? ")
    assert wall.kind == LiveActivity.Kind.WORD_WALL
    assert wall.config == {"question": "Why here?", "words_per_person": 3}
    assert wall.join_code.project == project and wall.join_code.is_usable


FACILITATOR_OPS = [
    ("word.hide", {"word": "curious"}),
    ("word.show", {"word": "curious"}),
    ("wall.clear", {}),
    ("wall.question", {"question": "Why?"}),
    ("state.set", {"state": "locked"}),
    ("timer.start", {"seconds": 60}),
    ("timer.pause", {}),
    ("timer.resume", {}),
    ("timer.extend", {"seconds": 30}),
    ("timer.stop", {}),
]


@pytest.mark.parametrize("role", [*Role.values, "guest"])
def test_every_socket_operation_for_every_role(project, wall, role):
    """The consumer actions' permission matrix: everyone posts, only facilitators and
    coordinators run the wall; a refused operation changes nothing."""
    if role == "guest":
        actor = protocol.Actor(
            guest=services.join_as_guest(join_code=wall.join_code, display_name="Guest")
        )
    else:
        actor = member_actor(project, add_member(project, role=role))
    runs_the_wall = role in {Role.FACILITATOR, Role.COORDINATOR}
    assert post(wall, actor, "curious", "post").duplicate is False
    for n, (op, data) in enumerate(FACILITATOR_OPS):
        version = LiveActivity.objects.get(pk=wall.pk).version
        try:
            protocol.apply_op(activity_id=wall.pk, actor=actor, op_id=f"op{n}", op=op, data=data)
        except protocol.LiveError as refused:
            assert not runs_the_wall, (op, refused.message)
            assert refused.code == "forbidden"
            assert LiveActivity.objects.get(pk=wall.pk).version == version
        else:
            assert runs_the_wall, op
            assert LiveActivity.objects.get(pk=wall.pk).version == version + 1
