"""The icebreaker library: shared and project-specific, browse, filter, add to an agenda."""

from datetime import time

from django.urls import reverse

from meetings import services
from meetings.models import Icebreaker

from ..factories import make_project
from .factories import make_meeting, meeting_today


def shared(name, **fields):
    fields.setdefault("instructions", "Do it.")
    fields.setdefault("duration", 10)
    icebreaker = Icebreaker.objects.create(name=name, **fields)
    return icebreaker


def list_names(client, project, **query):
    response = client.get(reverse("icebreaker_list", args=[project.slug]), query)
    return sorted(icebreaker.name for icebreaker in response.context["icebreakers"])


def test_library_has_shared_and_own_but_not_other_projects(client_for, participant, project):
    shared("Word wall")
    services.save_icebreaker(project=project, name="Our own", instructions="x", duration=5)
    services.save_icebreaker(project=make_project(), name="Theirs", instructions="x", duration=5)
    assert list_names(client_for(participant), project) == ["Our own", "Word wall"]


def test_library_filters_by_language_setting_purpose_and_time(client_for, participant, project):
    shared("Line-up", language_demand="low", setting="room", purpose="mixing", duration=10)
    shared("Two truths", language_demand="high", setting="both", purpose="get_to_know", duration=20)
    shared("Check-in word", language_demand="low", setting="online", purpose="check_in", duration=5)
    client = client_for(participant)
    assert list_names(client, project, language_demand="low") == ["Check-in word", "Line-up"]
    assert list_names(client, project, setting="online") == ["Check-in word", "Two truths"]
    assert list_names(client, project, purpose="mixing") == ["Line-up"]
    assert list_names(client, project, max_duration="10") == ["Check-in word", "Line-up"]
    assert list_names(client, project, q="truths") == ["Two truths"]


def test_library_tag_search(client_for, participant, project):
    services.save_icebreaker(
        project=project, name="Object", instructions="x", duration=15, tags=["objects", "work"]
    )
    assert list_names(client_for(participant), project, q="objects") == ["Object"]


def test_icebreaker_create_with_tags(client_for, facilitator, project):
    response = client_for(facilitator).post(
        reverse("icebreaker_create", args=[project.slug]),
        {
            "name": "Map of origins",
            "purpose": "get_to_know",
            "setting": "room",
            "language_demand": "low",
            "duration": "15",
            "group_min": "6",
            "group_max": "",
            "materials": "A big floor map",
            "instructions": "Stand where you were born.",
            "tags": "Map, movement, map",
        },
    )
    icebreaker = Icebreaker.objects.get()
    assert response.status_code == 302
    assert icebreaker.project == project
    assert sorted(tag.name for tag in icebreaker.tags.all()) == ["map", "movement"]


def test_icebreaker_group_sizes_the_wrong_way_round_are_refused(client_for, facilitator, project):
    response = client_for(facilitator).post(
        reverse("icebreaker_create", args=[project.slug]),
        {
            "name": "Pairs",
            "purpose": "mixing",
            "setting": "both",
            "language_demand": "low",
            "duration": "10",
            "group_min": "6",
            "group_max": "2",
            "instructions": "Find a partner.",
        },
    )
    assert response.context["form"].errors["group_max"] == [
        "The largest group cannot be smaller than the smallest group."
    ]
    assert not Icebreaker.objects.exists()


def test_icebreaker_shared_one_cannot_be_edited_from_a_project(client_for, coordinator, project):
    icebreaker = shared("Word wall")
    url = reverse("icebreaker_edit", args=[project.slug, icebreaker.pk])
    assert client_for(coordinator).get(url).status_code == 404


def test_icebreaker_add_to_agenda_puts_it_at_the_end_of_the_day(client_for, coordinator, project):
    meeting = make_meeting(project, starts_on=meeting_today(), ends_on=meeting_today())
    day = meeting.days.get()
    services.add_item(day=day, title="Welcome", duration=30, kind="lecture")
    icebreaker = shared("Speed pairs across countries", duration=20, materials="A bell")
    response = client_for(coordinator).post(
        reverse("icebreaker_detail", args=[project.slug, icebreaker.pk]), {"day": day.pk}
    )
    assert response.status_code == 302
    item = day.items.get(title="Speed pairs across countries")
    assert (item.kind, item.starts_at, item.duration, item.materials) == (
        "icebreaker",
        time(9, 30),
        20,
        "A bell",
    )


def test_icebreaker_add_to_a_day_of_another_project_is_refused(client_for, coordinator, project):
    other_day = make_meeting(make_project()).days.get()
    icebreaker = shared("Word wall")
    response = client_for(coordinator).post(
        reverse("icebreaker_detail", args=[project.slug, icebreaker.pk]), {"day": other_day.pk}
    )
    assert "day" in response.context["form"].errors
    assert not other_day.items.exists()


def test_library_query_count_does_not_grow(
    client_for, participant, project, django_assert_num_queries
):
    for number in range(3):
        services.save_icebreaker(
            project=project, name=f"Own {number}", instructions="x", duration=5, tags=["a", "b"]
        )
    client = client_for(participant)
    url = reverse("icebreaker_list", args=[project.slug])
    # session, user, membership with its project, icebreakers, their tags
    with django_assert_num_queries(5):
        client.get(url)
    for number in range(12):
        shared(f"Shared {number}").tags.set(["c"])
    with django_assert_num_queries(5):
        client.get(url)
