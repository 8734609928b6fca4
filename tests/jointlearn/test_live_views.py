"""Pages of live activities: opening a wall, joining by its code, the no-JavaScript path."""

import pytest
from django.urls import reverse

from jointlearn import services
from jointlearn.live.wordwall import create_word_wall
from jointlearn.models import Guest, LiveActivity, WordWallEntry
from jointlearn.permissions import GUEST_SESSION_KEY


@pytest.fixture
def wall(project, facilitator):
    return create_word_wall(project=project, created_by=facilitator, question="How do you arrive?")


def test_facilitator_opens_a_wall_and_lands_on_the_console(client, project, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("word_wall_create", args=[project.slug]),
        {"question": "One word?", "words_per_person": 2},
    )
    wall = LiveActivity.objects.get()
    assert response.url == reverse("live_console", args=[project.slug, wall.pk])
    assert wall.config == {"question": "One word?", "words_per_person": 2}
    console = client.get(response.url).content.decode()
    assert wall.join_code.code in console
    assert "<svg" in console


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"question": "", "words_per_person": 3}, "Write the question people answer."),
        ({"question": "Q?", "words_per_person": 0}, "greater than or equal to 1"),
        ({"question": "Q?", "words_per_person": 11}, "less than or equal to 10"),
        ({"question": "x" * 201, "words_per_person": 3}, "at most 200 characters"),
    ],
)
def test_bad_wall_settings_are_refused_and_nothing_is_opened(
    client, project, facilitator, data, message
):
    client.force_login(facilitator)
    response = client.post(reverse("word_wall_create", args=[project.slug]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LiveActivity.objects.exists()


def test_the_activity_code_takes_a_new_guest_straight_to_the_wall(client, wall, project):
    response = client.post(
        reverse("join_code", args=[wall.join_code.code]), {"display_name": "Amina"}
    )
    assert response.url == reverse("live_activity", args=[project.slug, wall.pk])
    page = client.get(response.url).content.decode()
    assert "How do you arrive?" in page
    assert Guest.objects.get().admitted_with.get() == wall.join_code


def test_a_guest_of_one_wall_needs_the_code_of_another(client, wall, project, facilitator):
    other = create_word_wall(project=project, created_by=facilitator, question="Other?")
    client.post(reverse("join_code", args=[wall.join_code.code]), {"display_name": "Amina"})
    other_url = reverse("live_activity", args=[project.slug, other.pk])
    assert client.get(other_url).status_code == 404
    assert "Other?" not in client.get(reverse("live_list", args=[project.slug])).content.decode()
    # Scanning the other wall's code admits the same guest there too.
    response = client.get(reverse("join_code", args=[other.join_code.code]))
    assert response.url == other_url
    assert client.get(other_url).status_code == 200
    assert Guest.objects.count() == 1


def test_a_member_with_the_code_goes_to_the_wall(client, wall, project, participant):
    client.force_login(participant)
    response = client.get(reverse("join_code", args=[wall.join_code.code]))
    assert response.url == reverse("live_activity", args=[project.slug, wall.pk])


def test_an_ended_wall_takes_no_new_guests(client, wall):
    wall.join_code.is_open = False
    wall.join_code.save()
    response = client.post(reverse("join_code", args=[wall.join_code.code]), {"display_name": "A"})
    assert response.status_code == 404
    assert "has closed" in response.content.decode()


def test_posting_without_javascript_saves_once(client, wall, project):
    client.post(reverse("join_code", args=[wall.join_code.code]), {"display_name": "Amina"})
    url = reverse("live_op", args=[project.slug, wall.pk])
    data = {"op": "word.post", "id": "form-1", "text": "Hopeful"}
    first = client.post(url, data, follow=True)
    assert "Saved." in first.content.decode()
    client.post(url, data)  # the same form sent twice (a double click, a resubmit)
    assert WordWallEntry.objects.get().text == "Hopeful"
    refused = client.post(url, {"op": "word.post", "id": "form-2", "text": ""}, follow=True)
    assert "Type a word first." in refused.content.decode()
    forbidden = client.post(url, {"op": "wall.clear", "id": "form-3"}, follow=True)
    assert "Only the facilitator can do this." in forbidden.content.decode()
    assert WordWallEntry.objects.count() == 1


def test_participant_page_draws_the_cloud_without_javascript(client, wall, project, participant):
    services_post = [("a", "tired"), ("b", "tired"), ("c", "ready")]
    client.force_login(participant)
    from jointlearn.live import protocol

    for n, (op_id, word) in enumerate(services_post):
        actor = protocol.Actor(
            guest=services.join_as_guest(join_code=wall.join_code, display_name=f"G{n}")
        )
        protocol.apply_op(
            activity_id=wall.pk, actor=actor, op_id=op_id, op="word.post", data={"text": word}
        )
    page = client.get(reverse("live_activity", args=[project.slug, wall.pk])).content.decode()
    assert 'cloud__word cloud__word--6" data-word="tired"' in page
    assert 'cloud__word cloud__word--1" data-word="ready"' in page
    assert "3 people have posted." in page


def test_lobby_lists_the_open_activities_a_guest_may_use(client, project, facilitator, wall):
    code = services.create_join_code(project=project, label="Day 1")
    guest = services.join_as_guest(join_code=code, display_name="Guest")
    session = client.session
    session[GUEST_SESSION_KEY] = {str(project.pk): guest.pk}
    session.save()
    page = client.get(reverse("project_lobby", args=[project.slug])).content.decode()
    assert reverse("live_activity", args=[project.slug, wall.pk]) in page


def test_live_list_query_count(client, project, facilitator, django_assert_max_num_queries):
    for n in range(15):
        create_word_wall(project=project, created_by=facilitator, question=f"Q{n}")
    client.force_login(facilitator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("live_list", args=[project.slug]))
    assert response.content.decode().count('class="list__item activity-row"') == 15


def test_a_field_posted_several_times_reaches_the_operation_as_a_list(
    client, project, participant, wall, monkeypatch
):
    """The no-JavaScript form: one value stays a value, several become a list."""
    from jointlearn.live import views as live_views

    seen = {}

    def apply_op(*, activity_id, actor, op_id, op, data):
        seen.update(data)

    monkeypatch.setattr(live_views.protocol, "apply_op", apply_op)
    client.force_login(participant)
    client.post(
        reverse("live_op", args=[project.slug, wall.pk]),
        {"op": "word.post", "id": "f-1", "text": "one", "ticked": ["a", "b"], "next": "x"},
    )
    assert seen == {"text": "one", "ticked": ["a", "b"]}


def test_lists_in_socket_data_hold_plain_values_only():
    from jointlearn.live.protocol import MAX_LIST_ITEMS, LiveError, check_data

    assert check_data({"choices": ["0", 2]}) == {"choices": ["0", 2]}
    for bad in ({"choices": [["0"]]}, {"choices": [{"a": 1}]}, {"x": ["1"] * (MAX_LIST_ITEMS + 1)}):
        with pytest.raises(LiveError):
            check_data(bad)
