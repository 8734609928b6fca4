"""Setting up rounds, polls and pairings; the shared live pages, exports and the agenda."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from jointlearn import services
from jointlearn.models import LiveActivity
from jointlearn.permissions import GUEST_SESSION_KEY
from meetings import services as meeting_services
from meetings.models import AgendaItem
from reflections.models import Answer, Poll, ReflectionRound
from reflections.pairs import create_pairing
from reflections.polls import create_poll
from reflections.rounds import create_round

from ..factories import add_member
from ..meetings.factories import add_item, make_meeting
from .conftest import actor_for, send


@pytest.fixture
def activities(project, facilitator):
    return {
        "round": create_round(project=project, created_by=facilitator, title="Reflection"),
        "poll": create_poll(
            project=project,
            created_by=facilitator,
            question="Which day?",
            type=Poll.Type.SINGLE,
            options=["One", "Two"],
        ),
        "pairing": create_pairing(project=project, created_by=facilitator, title="Pairs"),
    }


def test_opening_a_reflection_round(client, project, facilitator):
    meeting = make_meeting(project)
    client.force_login(facilitator)
    url = reverse("reflection_create", args=[project.slug])
    page = client.get(url)
    assert "What did you gain from this seminar?" in page.content.decode()
    response = client.post(
        url,
        {
            "title": "Closing round",
            "meeting": meeting.pk,
            "prompts": "What did you gain?\n\nWhat will you try at home?",
            "anonymous": "on",
            "speaker_minutes": 3,
        },
    )
    activity = LiveActivity.objects.get(kind="reflection")
    assert response.url == reverse("live_console", args=[project.slug, activity.pk])
    reflection = ReflectionRound.objects.get(activity=activity)
    assert (reflection.meeting, reflection.anonymous, reflection.speaker_seconds) == (
        meeting,
        True,
        180,
    )
    assert reflection.prompts == ["What did you gain?", "What will you try at home?"]


def test_the_default_prompts_are_stored_as_defaults(client, project, facilitator):
    client.force_login(facilitator)
    client.post(
        reverse("reflection_create", args=[project.slug]),
        {
            "title": "Round",
            "prompts": "What did you gain from this seminar?\n"
            "What was the best way for you to learn?",
            "speaker_minutes": 2,
        },
    )
    assert ReflectionRound.objects.get().prompts == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "R", "prompts": "  \n ", "speaker_minutes": 2}, "Write at least one prompt."),
        (
            {"title": "R", "prompts": "a\nb\nc\nd\ne\nf", "speaker_minutes": 2},
            "At most five prompts, please.",
        ),
    ],
)
def test_bad_round_set_up_shows_the_message(client, project, facilitator, data, message):
    client.force_login(facilitator)
    response = client.post(reverse("reflection_create", args=[project.slug]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LiveActivity.objects.exists()


def test_a_meeting_of_another_project_cannot_be_chosen(client, project, facilitator):
    from ..factories import make_project

    elsewhere = make_meeting(make_project())
    client.force_login(facilitator)
    response = client.post(
        reverse("reflection_create", args=[project.slug]),
        {"title": "R", "prompts": "Why?", "speaker_minutes": 2, "meeting": elsewhere.pk},
    )
    assert response.status_code == 200
    assert not LiveActivity.objects.exists()


def test_opening_a_poll_and_a_pairing(client, project, facilitator):
    client.force_login(facilitator)
    client.post(
        reverse("poll_create", args=[project.slug]),
        {"question": "Best day?", "type": "single", "options": "Monday\nTuesday"},
    )
    assert Poll.objects.get().options == ["Monday", "Tuesday"]
    client.post(reverse("pairing_create", args=[project.slug]), {"title": "Speed pairs"})
    assert LiveActivity.objects.filter(kind="pairing", title="Speed pairs").exists()


@pytest.mark.parametrize("kind", ["round", "poll", "pairing"])
@pytest.mark.parametrize("page", ["live_activity", "live_console", "live_projector"])
def test_the_shared_live_pages_show_each_kind(client, project, facilitator, activities, kind, page):
    client.force_login(facilitator)
    response = client.get(reverse(page, args=[project.slug, activities[kind].pk]))
    assert response.status_code == 200
    assert 'data-reflect="' in response.content.decode()


def test_the_participant_pages_work_without_javascript(client, project, participant, activities):
    client.force_login(participant)
    round_ = activities["round"]
    response = client.post(
        reverse("live_op", args=[project.slug, round_.pk]),
        {
            "op": "answer.post",
            "id": "form-1",
            "text": "The café",
            # Two ticked boxes of one name: posted as the field twice.
            "formats": ["peer_discussion", "learning_cafe"],
        },
    )
    assert Answer.objects.get().formats == ["learning_cafe", "peer_discussion"]
    assert response.status_code == 302
    page = client.get(reverse("live_activity", args=[project.slug, round_.pk])).content.decode()
    assert "The café" in page and "Learning café" in page
    poll = activities["poll"]
    client.post(
        reverse("live_op", args=[project.slug, poll.pk]),
        {"op": "vote", "id": "form-2", "choices": "1"},
    )
    page = client.get(reverse("live_activity", args=[project.slug, poll.pk])).content.decode()
    assert "Your vote is saved" in page


def test_multiple_choices_are_kept_without_javascript(client, project, facilitator, participant):
    poll = create_poll(
        project=project,
        created_by=facilitator,
        question="What would you take home?",
        type=Poll.Type.MULTIPLE,
        options=["Peer groups", "Tutors", "Job coaching"],
    )
    client.force_login(participant)
    client.post(
        reverse("live_op", args=[project.slug, poll.pk]),
        {"op": "vote", "id": "form-3", "choices": ["0", "2"]},
    )
    assert poll.votes.get().choices == [0, 2]
    page = client.get(reverse("live_activity", args=[project.slug, poll.pk])).content.decode()
    # The boxes post under one name, and the saved choices are ticked again.
    assert page.count('name="choices"') == 3
    assert 'value="0" checked' in page and 'value="2" checked' in page
    assert 'value="1" checked' not in page


def test_bad_lists_without_javascript_are_refused_plainly(
    client, project, facilitator, participant, activities
):
    single = create_poll(
        project=project,
        created_by=facilitator,
        question="Which day?",
        type=Poll.Type.SINGLE,
        options=["Monday", "Tuesday"],
    )
    client.force_login(participant)
    url = reverse("live_op", args=[project.slug, single.pk])
    response = client.post(url, {"op": "vote", "id": "f-1", "choices": ["0", "1"]}, follow=True)
    assert "Choose one answer only." in response.content.decode()
    assert not single.votes.exists()
    response = client.post(url, {"op": "vote", "id": "f-2", "choices": ["0", "x"]}, follow=True)
    assert "Choose an answer from the list." in response.content.decode()
    round_url = reverse("live_op", args=[project.slug, activities["round"].pk])
    response = client.post(
        round_url,
        {"op": "answer.post", "id": "f-3", "text": "Hi", "formats": ["pitch", "dancing"]},
        follow=True,
    )
    assert "Choose learning formats from the list." in response.content.decode()
    assert not Answer.objects.exists()
    response = client.post(
        round_url,
        {"op": "answer.post", "id": "f-4", "text": "Hi", "formats": ["pitch"] * 11},
        follow=True,
    )
    assert "Too many values were sent. Reload the page." in response.content.decode()
    assert not Answer.objects.exists()


def test_the_answer_form_ticks_formats_under_one_name(client, project, participant, activities):
    client.force_login(participant)
    url = reverse("live_activity", args=[project.slug, activities["round"].pk])
    page = client.get(url).content.decode()
    assert 'name="formats" value="study_visit"' in page
    assert "format_" not in page


def test_exports_of_each_kind(client, project, facilitator, participant, activities):
    actor = actor_for(project, participant)
    send(activities["round"], actor, "answer.post", text="=1+1 peers", formats="peer_discussion")
    send(activities["poll"], actor, "vote", choices="0")
    client.force_login(facilitator)
    response = client.get(reverse("live_export_csv", args=[project.slug, activities["round"].pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["answer"] == "'=1+1 peers"
    assert rows[0]["formats"] == "peer_discussion"
    response = client.get(reverse("live_export_json", args=[project.slug, activities["poll"].pk]))
    data = json.loads(response.content)
    assert data["activity"]["question"] == "Which day?"
    assert [row["count"] for row in data["results"]] == [1, 0]


def test_the_list_offers_set_up_buttons_and_keeps_its_query_count(
    client, project, facilitator, activities, django_assert_max_num_queries
):
    for n in range(5):
        create_poll(
            project=project, created_by=facilitator, question=f"Q{n}", type=Poll.Type.SCALE_5
        )
    client.force_login(facilitator)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("live_list", args=[project.slug])).content.decode()
    for label in ["Open a reflection round", "Open a quick poll", "Open a cross-country pairing"]:
        assert label in page


def test_a_guest_whose_code_belongs_to_another_activity_is_refused(client, project, activities):
    guest = services.join_as_guest(join_code=activities["poll"].join_code, display_name="Visitor")
    session = client.session
    session[GUEST_SESSION_KEY] = {str(project.pk): guest.pk}
    session.save()
    poll_page = client.get(reverse("live_activity", args=[project.slug, activities["poll"].pk]))
    assert poll_page.status_code == 200
    for kind in ["round", "pairing"]:
        response = client.get(reverse("live_activity", args=[project.slug, activities[kind].pk]))
        assert response.status_code == 404
        response = client.post(
            reverse("live_op", args=[project.slug, activities[kind].pk]),
            {"op": "here", "id": "x"},
        )
        assert response.status_code == 404


@pytest.mark.parametrize(
    ("agenda_kind", "kind"),
    [
        ("reflection_round", "reflection"),
        ("reflection_round", "poll"),
        ("icebreaker", "pairing"),
        ("workshop", "poll"),
    ],
)
def test_agenda_items_prepare_and_open_each_kind(project, facilitator, agenda_kind, kind):
    meeting = make_meeting(project)
    item = add_item(meeting.days.get(), title="Closing", kind=agenda_kind)
    activity = meeting_services.prepare_live_activity(item=item, kind=kind, created_by=facilitator)
    assert activity.state == LiveActivity.State.PREPARED
    assert not activity.join_code.is_open
    membership = project.memberships.get(user=facilitator)
    opened = meeting_services.open_live_activity(
        item=AgendaItem.objects.get(pk=item.pk), membership=membership
    )
    assert opened.state == LiveActivity.State.OPEN
    opened.join_code.refresh_from_db()
    assert opened.join_code.is_open
    if kind == "reflection":
        from reflections.rounds import round_state

        state = round_state(opened, actor_for(project, facilitator))
        assert state["round"]["meeting"] == meeting.title


@pytest.mark.parametrize("page", ["live_activity", "live_console", "live_projector"])
def test_round_pages_cost_the_same_with_a_full_room(
    client, project, facilitator, activities, page, django_assert_max_num_queries
):
    """A room of forty with eighty answers costs no more queries than an empty round."""
    round_ = activities["round"]
    host = actor_for(project, facilitator)
    for n in range(40):
        actor = actor_for(project, add_member(project))
        send(round_, actor, "here")
        send(round_, actor, "answer.post", text=f"Answer {n}", formats="lecture,pitch")
        send(round_, actor, "answer.post", text=f"More {n}", prompt=1, formats="city_tour")
    send(round_, host, "order.generate")
    send(round_, host, "speaker.next")
    client.force_login(facilitator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(page, args=[project.slug, round_.pk]))
    assert response.content.decode().count('class="answer"') == 80


@pytest.mark.parametrize("page", ["live_console", "live_projector"])
def test_pairing_pages_cost_the_same_with_a_full_room(
    client, project, facilitator, activities, page, django_assert_max_num_queries
):
    pairing = activities["pairing"]
    for _ in range(40):
        send(pairing, actor_for(project, add_member(project)), "here")
    host = actor_for(project, facilitator)
    send(pairing, host, "pairs.make")
    send(pairing, host, "pairs.make")
    client.force_login(facilitator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(page, args=[project.slug, pairing.pk]))
    assert response.content.decode().count('class="pair-group"') == 20


def test_the_console_runs_the_order_without_javascript(client, project, facilitator, activities):
    round_ = activities["round"]
    people = [actor_for(project, add_member(project)) for _ in range(2)]
    for actor in people:
        send(round_, actor, "here")
    send(round_, actor_for(project, facilitator), "order.generate")
    client.force_login(facilitator)
    page = client.get(reverse("live_console", args=[project.slug, round_.pk])).content.decode()
    ids = re.findall(r'name="id" value="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "every form of the page has its own op id"
    first = round_.presences.order_by("position").first()
    client.post(
        reverse("live_op", args=[project.slug, round_.pk]),
        {"op": "order.move", "id": "nojs-1", "speaker": first.pk, "offset": 1, "next": "console"},
    )
    assert round_.presences.order_by("position").last() == first
