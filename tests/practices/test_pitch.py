"""The live pitch session: set-up, rating from phones, moving on, exports, the practice page."""

import csv
import io
import json

import pytest
from django.urls import reverse

from jointlearn import services as core_services
from jointlearn.live import protocol
from jointlearn.models import LiveActivity, LiveOp, Role
from jointlearn.permissions import GUEST_SESSION_KEY
from practices import pitch, services
from practices.models import PitchRating

from ..factories import add_member, make_organisation
from ..permission_matrix import FACILITATORS, LIVE_OPS
from .helpers import make_practice


@pytest.fixture
def criteria(project):
    return services.ensure_rubric(project=project)[:2]


@pytest.fixture
def pitches(project, eva, pitea, practice):
    return [practice, make_practice(project, pitea, title="Fast track into care work")]


@pytest.fixture
def session(project, facilitator, pitches, criteria):
    return pitch.create_pitch_session(
        project=project,
        created_by=facilitator,
        title="Pitches in Tampere",
        practices=pitches,
        criteria=criteria,
    )


def actor_of(project, user):
    return protocol.Actor(membership=project.memberships.get(user=user))


@pytest.fixture
def host(project, facilitator):
    return actor_of(project, facilitator)


@pytest.fixture
def erik_actor(project, erik):
    return actor_of(project, erik)


@pytest.fixture
def guest(session):
    return protocol.Actor(
        guest=core_services.join_as_guest(join_code=session.join_code, display_name="Amira")
    )


def scores(criteria, *values):
    return {f"c{criterion.pk}": value for criterion, value in zip(criteria, values, strict=True)}


def rate(session, actor, practice, op_id, *values, criteria, word=""):
    return protocol.apply_op(
        activity_id=session.pk,
        actor=actor,
        op_id=op_id,
        op="pitch.rate",
        data={"practice": practice.pk, "word": word, **scores(criteria, *values)},
    )


def refused(code, **call):
    version = LiveActivity.objects.get(pk=call["activity_id"]).version
    count = PitchRating.objects.count()
    with pytest.raises(protocol.LiveError) as caught:
        protocol.apply_op(**call)
    assert caught.value.code == code
    assert LiveActivity.objects.get(pk=call["activity_id"]).version == version
    assert PitchRating.objects.count() == count
    assert not LiveOp.objects.filter(op_id=call["op_id"]).exists()
    return caught.value.message


def test_session_snapshot_shows_the_first_pitch_and_the_short_rubric(session, host, criteria):
    state = protocol.load_snapshot(session.pk, host)["state"]["pitch"]
    assert state["position"] == 0 and state["rating_open"] is True
    assert [entry["id"] for entry in state["criteria"]] == [c.pk for c in criteria]
    assert state["pitches"][0]["title"] == "Culturally sensitive care ambassadors"
    assert state["pitches"][0]["country"] == "BE"
    assert state["results"] == {
        "practice": session.config["practices"][0],
        "count": 0,
        "enough": False,
        "criteria": [{"id": c.pk, "mean": None, "percent": 0} for c in criteria],
        "words": [],
    }
    assert session.join_code.is_usable


def test_rating_is_saved_with_the_practice_and_broadcast_after_commit(
    session, erik_actor, erik, practice, criteria, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        "jointlearn.live.broadcast.send_to_group", lambda group, message: sent.append(message)
    )
    with django_capture_on_commit_callbacks(execute=True):
        applied = rate(session, erik_actor, practice, "r1", 4, 5, criteria=criteria, word="Bold")
    assert applied == protocol.Applied(1, duplicate=False)
    rating = PitchRating.objects.get()
    assert (rating.practice, rating.user, rating.guest) == (practice, erik, None)
    assert rating.scores == {str(criteria[0].pk): 4, str(criteria[1].pk): 5}
    assert rating.word == "Bold"
    assert sent[0]["version"] == 1
    assert sent[0]["event"]["kind"] == "pitch.rated"
    # One rating is not enough to show means: nobody's scores can be read off the projector.
    assert sent[0]["event"]["results"]["count"] == 1
    assert sent[0]["event"]["results"]["criteria"][0]["mean"] is None
    assert sent[0]["event"]["results"]["words"] == [{"word": "bold", "count": 1}]


def test_means_appear_from_three_ratings(session, project, practice, criteria, guest):
    for n, value in enumerate([3, 4, 5]):
        person = add_member(project, role=Role.PARTICIPANT)
        rate(session, actor_of(project, person), practice, f"r{n}", value, 2, criteria=criteria)
    results = pitch.results(session, practice.pk)
    assert results["enough"] is True
    assert results["criteria"] == [
        {"id": criteria[0].pk, "mean": 4.0, "percent": 75},
        {"id": criteria[1].pk, "mean": 2.0, "percent": 25},
    ]


def test_a_guest_rating_twice_changes_the_first_never_two_rows(session, guest, practice, criteria):
    rate(session, guest, practice, "g1", 2, 2, criteria=criteria, word="slow")
    rate(session, guest, practice, "g2", 5, 4, criteria=criteria, word="brave")
    rating = PitchRating.objects.get()
    assert rating.guest == guest.guest and rating.user is None
    assert rating.scores == {str(criteria[0].pk): 5, str(criteria[1].pk): 4}
    assert rating.word == "brave"
    assert rating.rater_name == "Amira"
    assert pitch.own_rating(session, guest, practice.pk) == {
        "scores": rating.scores,
        "word": "brave",
    }


def test_a_score_outside_the_scale_is_refused(session, erik_actor, practice, criteria):
    for bad in (0, 6, -1):
        message = refused(
            "invalid",
            activity_id=session.pk,
            actor=erik_actor,
            op_id=f"bad{bad + 1}",
            op="pitch.rate",
            data={"practice": practice.pk, **scores(criteria, bad, 3)},
        )
        assert message == f"Scores for “{criteria[0].name}” go from 1 to 5."
    message = refused(
        "invalid",
        activity_id=session.pk,
        actor=erik_actor,
        op_id="text",
        op="pitch.rate",
        data={"practice": practice.pk, **scores(criteria, "many", 3)},
    )
    assert message == "A score is a whole number."


def test_a_criterion_not_in_the_session_or_a_missing_one_is_refused(
    session, project, erik_actor, practice, criteria
):
    other = services.ensure_rubric(project=project)[3]
    message = refused(
        "invalid",
        activity_id=session.pk,
        actor=erik_actor,
        op_id="x1",
        op="pitch.rate",
        data={"practice": practice.pk, **scores(criteria, 3, 3), f"c{other.pk}": 4},
    )
    assert message == "A criterion is not part of this pitch session. Reload the page."
    message = refused(
        "invalid",
        activity_id=session.pk,
        actor=erik_actor,
        op_id="x2",
        op="pitch.rate",
        data={"practice": practice.pk, f"c{criteria[0].pk}": 3},
    )
    assert message == f"Give a score for: {criteria[1].name}."


def test_rating_a_pitch_that_is_not_current_or_is_closed_is_refused(
    session, host, erik_actor, pitches, criteria
):
    first, second = pitches
    call = {"activity_id": session.pk, "actor": erik_actor, "op": "pitch.rate"}
    message = refused(
        "not_current", op_id="n1", data={"practice": second.pk, **scores(criteria, 3, 3)}, **call
    )
    assert message == "This pitch is not on now: rate the pitch that is being presented."
    protocol.apply_op(
        activity_id=session.pk, actor=host, op_id="c", op="pitch.close", data={"expected": 0}
    )
    message = refused(
        "closed", op_id="n2", data={"practice": first.pk, **scores(criteria, 3, 3)}, **call
    )
    assert message == "Rating for this pitch is closed."
    protocol.apply_op(
        activity_id=session.pk, actor=host, op_id="o", op="pitch.reopen", data={"expected": 0}
    )
    assert rate(session, erik_actor, first, "n3", 3, 3, criteria=criteria).version == 3
    protocol.apply_op(
        activity_id=session.pk, actor=host, op_id="l", op="state.set", data={"state": "locked"}
    )
    message = refused(
        "locked", op_id="n4", data={"practice": first.pk, **scores(criteria, 4, 4)}, **call
    )
    assert message == "Rating is paused for now: wait for the facilitator."


def test_a_double_press_on_next_moves_once(session, host, pitches):
    def press(op_id):
        return protocol.apply_op(
            activity_id=session.pk,
            actor=host,
            op_id=op_id,
            op="pitch.next",
            data={"expected": 0},
        )

    press("first-press")
    with pytest.raises(protocol.LiveError) as caught:
        press("second-press")
    assert caught.value.code == "moved"
    session.refresh_from_db()
    assert pitch.position_of(session) == 1
    assert pitch.current_practice_id(session) == pitches[1].pk
    # The last pitch has no next one; going back works with the position now shown.
    with pytest.raises(protocol.LiveError) as caught:
        protocol.apply_op(
            activity_id=session.pk, actor=host, op_id="n", op="pitch.next", data={"expected": 1}
        )
    assert caught.value.message == "This is the last pitch."
    protocol.apply_op(
        activity_id=session.pk, actor=host, op_id="b", op="pitch.previous", data={"expected": 1}
    )
    session.refresh_from_db()
    assert pitch.position_of(session) == 0


def test_moving_on_reopens_rating_and_carries_the_next_pitch_results(session, host, pitches):
    protocol.apply_op(
        activity_id=session.pk, actor=host, op_id="c", op="pitch.close", data={"expected": 0}
    )
    session.refresh_from_db()
    event = pitch.next_pitch(activity=session, actor=host, expected=0)
    assert event["kind"] == "pitch.moved"
    assert event["position"] == 1 and event["rating_open"] is True
    assert event["results"]["practice"] == pitches[1].pk


@pytest.mark.parametrize("role", [*Role.values, "guest"])
def test_every_pitch_operation_for_every_role(project, session, practice, criteria, role):
    """The consumer actions' permission matrix (tests/permission_matrix.py LIVE_OPS)."""
    if role == "guest":
        actor = protocol.Actor(
            guest=core_services.join_as_guest(join_code=session.join_code, display_name="G")
        )
    else:
        actor = actor_of(project, add_member(project, role=role))
    data = {
        "pitch.rate": {"practice": practice.pk, **scores(criteria, 3, 4)},
        "pitch.next": {"expected": 0},
        "pitch.previous": {"expected": 1},
        "pitch.close": {"expected": 0},
        "pitch.reopen": {"expected": 0},
        "state.set": {"state": "locked"},
        "timer.start": {"seconds": 60},
    }
    for n, (op, allowed) in enumerate(LIVE_OPS["pitch"].items()):
        may = allowed == "everyone" or role in allowed
        version = LiveActivity.objects.get(pk=session.pk).version
        try:
            protocol.apply_op(
                activity_id=session.pk, actor=actor, op_id=f"op{n}", op=op, data=data[op]
            )
        except protocol.LiveError as error:
            assert not may, (op, error.message)
            assert error.code == "forbidden"
            assert error.message == "Only the facilitator can do this."
            assert LiveActivity.objects.get(pk=session.pk).version == version
        else:
            assert may, op
            assert LiveActivity.objects.get(pk=session.pk).version == version + 1
    assert set(FACILITATORS) == {Role.FACILITATOR, Role.COORDINATOR}


def test_a_guest_whose_code_belongs_to_another_activity_cannot_rate(
    client, project, facilitator, session, pitches, criteria
):
    other = pitch.create_pitch_session(
        project=project,
        created_by=facilitator,
        title="Another room",
        practices=pitches,
        criteria=criteria,
    )
    guest = core_services.join_as_guest(join_code=other.join_code, display_name="Elsewhere")
    client_session = client.session
    client_session[GUEST_SESSION_KEY] = {str(project.pk): guest.pk}
    client_session.save()
    url = reverse("live_op", args=[project.slug, session.pk])
    response = client.post(
        url, {"op": "pitch.rate", "id": "x", "practice": pitches[0].pk, **scores(criteria, 3, 3)}
    )
    assert response.status_code == 404
    assert client.get(reverse("live_activity", args=[project.slug, session.pk])).status_code == 404
    assert not PitchRating.objects.exists()
    # The guest's own session works.
    response = client.post(
        reverse("live_op", args=[project.slug, other.pk]),
        {"op": "pitch.rate", "id": "y", "practice": pitches[0].pk, **scores(criteria, 3, 3)},
    )
    assert response.status_code == 302
    assert PitchRating.objects.get().guest == guest


def test_pages_render_for_each_role(client, project, facilitator, session, participant):
    client.force_login(facilitator)
    for name in ["live_activity", "live_console", "live_projector"]:
        response = client.get(reverse(name, args=[project.slug, session.pk]))
        assert response.status_code == 200
        assert b"Culturally sensitive care ambassadors" in response.content
    console = client.get(reverse("live_console", args=[project.slug, session.pk]))
    assert b"Next pitch" in console.content and b"<svg" in console.content
    client.force_login(participant)
    page = client.get(reverse("live_activity", args=[project.slug, session.pk]))
    assert b"Send my rating" in page.content
    assert b'name="practice"' in page.content


def test_the_page_without_javascript_rates_and_changes_the_rating(
    client, project, erik, session, practice, criteria
):
    client.force_login(erik)
    url = reverse("live_op", args=[project.slug, session.pk])
    client.post(
        url, {"op": "pitch.rate", "id": "a", "practice": practice.pk, **scores(criteria, 2, 3)}
    )
    response = client.post(
        url, {"op": "pitch.rate", "id": "b", "practice": practice.pk, **scores(criteria, 4, 4)}
    )
    assert response.status_code == 302
    rating = PitchRating.objects.get()
    assert rating.scores == {str(criteria[0].pk): 4, str(criteria[1].pk): 4}
    page = client.get(reverse("live_activity", args=[project.slug, session.pk]))
    assert b"Change my rating" in page.content
    assert f'id="c{criteria[0].pk}-4" name="c{criteria[0].pk}" value="4" checked'.encode() in (
        page.content
    )


def test_exports_keep_formulas_as_text(
    client, project, facilitator, session, guest, practice, criteria
):
    rate(session, guest, practice, "g", 3, 4, criteria=criteria, word="=HYPERLINK(x)")
    client.force_login(facilitator)
    response = client.get(reverse("live_export_csv", args=[project.slug, session.pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        {
            "pitch": "1",
            "practice": "Culturally sensitive care ambassadors",
            "organisation": "EVA bxl",
            "country": "BE",
            "rated_by": "Amira",
            "rater": "guest",
            criteria[0].name: "3",
            criteria[1].name: "4",
            "word": "'=HYPERLINK(x)",
            "rated_at": rows[0]["rated_at"],
        }
    ]
    payload = json.loads(
        client.get(reverse("live_export_json", args=[project.slug, session.pk])).content
    )
    assert payload["activity"]["kind"] == "pitch"
    assert [c["name"] for c in payload["activity"]["criteria"]] == [c.name for c in criteria]
    assert payload["pitches"][0]["ratings"] == 1
    assert payload["pitches"][0]["means"] == {criteria[0].name: None, criteria[1].name: None}
    assert payload["pitches"][1]["ratings"] == 0
    assert payload["ratings"][0]["word"] == "=HYPERLINK(x)"


def test_set_up_page_opens_a_session_in_order(client, project, facilitator, pitches, criteria):
    client.force_login(facilitator)
    url = reverse("pitch_session_create", args=[project.slug])
    assert client.get(url).status_code == 200
    first, second = pitches
    response = client.post(
        url,
        {
            "title": "  Pitches  day 1 ",
            "criteria": [c.pk for c in criteria],
            "one_word": "on",
            f"order_{first.pk}": "2",
            f"order_{second.pk}": "1",
        },
    )
    session = LiveActivity.objects.get(kind=LiveActivity.Kind.PITCH)
    assert response.status_code == 302
    assert response["Location"] == reverse("live_console", args=[project.slug, session.pk])
    assert session.title == "Pitches day 1"
    assert session.config["practices"] == [second.pk, first.pk]
    assert session.config["one_word"] is True and session.is_open


def test_set_up_page_can_prepare_a_session_for_later(
    client, project, facilitator, participant, pitches, criteria
):
    client.force_login(facilitator)
    response = client.post(
        reverse("pitch_session_create", args=[project.slug]),
        {
            "title": "Pitches on Thursday",
            "criteria": [c.pk for c in criteria],
            f"order_{pitches[0].pk}": "1",
            "start": "later",
        },
    )
    session = LiveActivity.objects.get(kind=LiveActivity.Kind.PITCH)
    assert response.status_code == 302
    assert session.is_prepared and not session.join_code.is_usable
    console = client.get(reverse("live_console", args=[project.slug, session.pk]))
    assert "Start the session" in console.content.decode()
    client.force_login(participant)
    page = client.get(reverse("live_activity", args=[project.slug, session.pk])).content
    assert b"This activity has not started yet." in page


@pytest.mark.parametrize(
    "change, message",
    [
        ({"criteria": "one"}, "Pick two to four criteria for the short rubric."),
        ({"criteria": "five"}, "Pick two to four criteria for the short rubric."),
        ({"order": ("1", "1")}, "Two practices have the same number"),
        ({"order": ("", "")}, "Give at least one practice a number"),
        ({"order": ("0", "")}, "Numbers start at 1."),
        ({"title": ""}, "Give the session a title people recognise."),
    ],
)
def test_set_up_page_refuses_bad_input(
    client, project, facilitator, pitches, criteria, change, message
):
    client.force_login(facilitator)
    rubric = services.ensure_rubric(project=project)
    chosen = {"one": rubric[:1], "five": rubric[:5]}.get(change.get("criteria"), criteria)
    order = change.get("order", ("1", "2"))
    data = {
        "title": change.get("title", "Pitches"),
        "criteria": [c.pk for c in chosen],
        f"order_{pitches[0].pk}": order[0],
        f"order_{pitches[1].pk}": order[1],
    }
    response = client.post(reverse("pitch_session_create", args=[project.slug]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LiveActivity.objects.filter(kind=LiveActivity.Kind.PITCH).exists()


def test_set_up_cannot_change_once_people_have_rated(
    client, project, facilitator, session, erik_actor, pitches, criteria
):
    client.force_login(facilitator)
    url = reverse("pitch_session_edit", args=[project.slug, session.pk])
    data = {
        "title": "New title",
        "criteria": [c.pk for c in criteria],
        f"order_{pitches[1].pk}": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.config["practices"] == [pitches[1].pk] and session.version == 1
    rate(session, erik_actor, pitches[1], "r", 3, 3, criteria=criteria)
    response = client.post(url, dict(data, **{f"order_{pitches[0].pk}": "2"}))
    assert "People have rated already" in response.content.decode()
    session.refresh_from_db()
    assert session.config["practices"] == [pitches[1].pk]


def test_a_word_wall_is_not_a_pitch_session(client, project, facilitator):
    from jointlearn.live.wordwall import create_word_wall

    wall = create_word_wall(project=project, created_by=facilitator, question="Hi?")
    client.force_login(facilitator)
    assert (
        client.get(reverse("pitch_session_edit", args=[project.slug, wall.pk])).status_code == 404
    )


def test_the_agenda_prepares_a_pitch_session_that_opens_later(project, facilitator):
    kinds = dict(protocol.kinds_for_agenda("pitch_session"))
    assert set(kinds) == {LiveActivity.Kind.PITCH}
    session = kinds[LiveActivity.Kind.PITCH].prepare(
        project=project, title="Pitches: one from each country", created_by=facilitator
    )
    assert session.is_prepared and not session.join_code.is_usable
    assert len(session.config["criteria"]) == 3 and session.config["practices"] == []


def test_the_list_of_live_activities_offers_a_pitch_session(client, project, facilitator):
    client.force_login(facilitator)
    response = client.get(reverse("live_list", args=[project.slug]))
    assert reverse("pitch_session_create", args=[project.slug]).encode() in response.content
    assert "Prepare a pitch session" in response.content.decode()


def test_practice_page_shows_pitch_ratings_beside_peer_evaluations(
    client, project, session, practice, criteria, lotte
):
    for n in range(3):
        person = add_member(
            project, role=Role.PARTICIPANT, organisation=make_organisation(project, country="SE")
        )
        rate(session, actor_of(project, person), practice, f"r{n}", 4, 2 + n, criteria=criteria)
    client.force_login(lotte)
    with_ratings = client.get(practice.get_absolute_url()).content.decode()
    assert "Pitch ratings" in with_ratings
    assert "Pitches in Tampere" in with_ratings
    assert "4.0 / 5" in with_ratings and "3.0 / 5" in with_ratings
    # The peer evaluation's own results are untouched: nobody has evaluated the practice.
    practice.refresh_from_db()
    assert practice.evaluation_count == 0 and practice.rating_mean is None


def test_practice_page_draws_a_radar_chart_only_from_three_evaluations(
    client, project, practice, lotte
):
    from .helpers import evaluate, reviewer

    client.force_login(lotte)
    for n, country in enumerate(["SE", "FI"]):
        evaluate(practice, reviewer(project, country, name=f"Reviewer {n}"), value=4)
    assert 'class="radar"' not in client.get(practice.get_absolute_url()).content.decode()
    evaluate(practice, reviewer(project, "FI", name="Reviewer 3"), value=3)
    page = client.get(practice.get_absolute_url()).content.decode()
    assert 'class="radar"' in page and 'role="img"' in page
    assert "the table below gives the same figures" in page
    assert page.count('class="radar__point"') == 6


def test_agenda_prepares_the_session_the_facilitator_sets_up_and_opens(
    client, project, facilitator, pitches, criteria
):
    from meetings.models import AgendaItem

    from ..meetings.factories import add_item, make_meeting

    meeting = make_meeting(project)
    item = add_item(meeting.days.get(), "Pitches", 60, kind=AgendaItem.Kind.PITCH_SESSION)
    client.force_login(facilitator)
    args = [project.slug, meeting.pk, item.pk]
    client.post(reverse("agenda_item_prepare", args=args), {"kind": "pitch", "from": "plan"})
    item.refresh_from_db()
    session = item.live_activity
    assert session.kind == "pitch" and session.is_prepared
    console = client.get(reverse("live_console", args=[project.slug, session.pk])).content
    assert b"Set up the pitches" in console
    client.post(
        reverse("pitch_session_edit", args=[project.slug, session.pk]),
        {
            "title": "Pitches",
            "criteria": [c.pk for c in criteria],
            f"order_{pitches[0].pk}": "1",
            f"order_{pitches[1].pk}": "2",
        },
    )
    client.post(reverse("agenda_item_open", args=args), {"from": "detail"})
    session.refresh_from_db()
    assert session.is_open and session.join_code.is_usable
    assert pitch.practice_ids(session) == [pitches[0].pk, pitches[1].pk]


def test_my_data_holds_my_pitch_ratings_and_nobody_elses(
    client, session, erik, erik_actor, lotte, guest, practice, criteria
):
    rate(session, erik_actor, practice, "e", 4, 5, criteria=criteria, word="clear")
    rate(session, guest, practice, "g", 1, 1, criteria=criteria, word="secret")
    client.force_login(erik)
    data = json.loads(client.get(reverse("my_data")).content)
    assert data["practices"]["pitch_ratings"] == [
        {
            "session": "Pitches in Tampere",
            "practice": practice.title,
            "scores": {criteria[0].name: 4, criteria[1].name: 5},
            "word": "clear",
            "rated": data["practices"]["pitch_ratings"][0]["rated"],
        }
    ]
    assert "secret" not in json.dumps(data)
    client.force_login(lotte)
    assert json.loads(client.get(reverse("my_data")).content)["practices"]["pitch_ratings"] == []
