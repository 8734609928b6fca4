"""The learning trails of a practice and of a meeting: content, links, privacy, queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jointlearn.models import Role
from meetings.models import Meeting
from practices.models import Practice

from ..factories import add_member, make_organisation
from ..practices.helpers import make_practice
from .helpers import ANONYMOUS_AUTHOR, HIDDEN_NOTE, NAMED_AUTHOR, trail_world

# The queries of a trail page with everything in it; the same with twice the data.
PRACTICE_TRAIL_QUERIES = 16
MEETING_TRAIL_QUERIES = 18


def practice_url(project, practice):
    return reverse("practice_trail", args=[project.slug, practice.pk])


def meeting_url(project, meeting):
    return reverse("meeting_trail", args=[project.slug, meeting.pk])


@pytest.fixture
def world(project):
    return trail_world(project)


def test_the_practice_trail_follows_the_practice_everywhere(client, project, participant, world):
    meeting, practice = world
    client.force_login(participant)
    response = client.get(practice_url(project, practice))
    assert response.status_code == 200
    page = response.content.decode()
    # Pitched at the meeting, rated by three people in one word.
    assert "Pitches 1" in page
    assert "3 ratings" in page
    assert "mentoring" in page
    # At the café: the linked note and the one naming it in other letters, never the hidden.
    assert "Older mentors open doors" in page
    assert "We could try duo for a job in Ghent" in page
    assert "Secret" not in page
    assert "Unrelated talk" not in page
    # In the reflections: both answers, the anonymous one without its author.
    assert "DUO FOR A JOB taught me most" in page
    assert "Talking about Duo for a Job with the Finns" in page
    assert NAMED_AUTHOR in page
    assert ANONYMOUS_AUTHOR not in page
    # Applied in Belgium and named in a task.
    assert "Mentors from the trade unions" in page
    assert "Send the Duo for a Job handbook" in page
    # Linked both ways: to the meeting's trail and back to the sources.
    assert meeting_url(project, meeting) in page
    assert reverse("practice_detail", args=[project.slug, practice.pk]) in page
    cafe_id = practice.cafe_notes.first().cafe.activity_id
    assert reverse("cafe_harvest", args=[project.slug, cafe_id]) in page
    assert reverse("task_list", args=[project.slug]) in page


def test_the_meeting_trail_says_what_it_produced_and_what_followed(
    client, project, participant, world
):
    meeting, practice = world
    client.force_login(participant)
    response = client.get(meeting_url(project, meeting))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 practices pitched" in page
    assert "3 ratings" in page
    assert "3 notes" in page  # the hidden one is not counted
    assert "Older mentors open doors" in page
    assert HIDDEN_NOTE not in page
    assert practice_url(project, practice) in page
    assert "Learning formats named in 2 reflection answers." in page
    assert "Study visit" in page
    assert "Peer discussion" in page
    assert ANONYMOUS_AUTHOR not in page
    assert "Feedback 1" in page and "2 responses" in page
    # After it: the transfer in June, the task and the follow-up survey of September.
    assert "Mentors from the trade unions" in page
    assert "Send the Duo for a Job handbook" in page
    assert "Six months on 1" in page and "1 response" in page
    # Survey results are for coordinators: a participant sees no link to them.
    assert "/results/" not in page
    assert reverse("meeting_detail", args=[project.slug, meeting.pk]) in page


def test_a_coordinator_reaches_the_survey_results_from_the_meeting_trail(
    client, project, coordinator, world
):
    meeting, _practice = world
    client.force_login(coordinator)
    page = client.get(meeting_url(project, meeting)).content.decode()
    assert "/results/" in page


def test_the_practice_and_meeting_pages_link_to_their_trails(client, project, participant, world):
    meeting, practice = world
    client.force_login(participant)
    detail = client.get(reverse("practice_detail", args=[project.slug, practice.pk]))
    assert practice_url(project, practice) in detail.content.decode()
    detail = client.get(reverse("meeting_detail", args=[project.slug, meeting.pk]))
    assert meeting_url(project, meeting) in detail.content.decode()


def test_transfers_before_the_meeting_are_not_what_followed_it(client, project, participant, world):
    meeting, practice = world
    practice.transfers.update(applied_on=meeting.starts_on)
    client.force_login(participant)
    page = client.get(meeting_url(project, meeting)).content.decode()
    assert "Mentors from the trade unions" not in page
    assert "No practice shown at this meeting has been recorded as applied since." in page


def test_an_empty_trail_says_so(client, project, participant):
    practice = make_practice(project, make_organisation(project, country="SE"))
    meeting = Meeting.objects.create(
        project=project,
        title="Quiet meeting",
        starts_on="2030-01-01",
        ends_on="2030-01-01",
        status=Meeting.Status.PUBLISHED,
    )
    client.force_login(participant)
    page = client.get(practice_url(project, practice)).content.decode()
    assert "Nothing has followed this practice yet" in page
    page = client.get(meeting_url(project, meeting)).content.decode()
    assert "No live activity of this meeting has run yet." in page
    assert "Nothing has been recorded after this meeting yet." in page


def test_drafts_stay_hidden_behind_their_trails(client, project, participant, world):
    meeting, practice = world
    client.force_login(participant)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.DRAFT)
    assert client.get(meeting_url(project, meeting)).status_code == 404
    # The practice's trail no longer names the draft meeting.
    page = client.get(practice_url(project, practice)).content.decode()
    assert meeting_url(project, meeting) not in page
    draft = make_practice(
        project, make_organisation(project, country="SE"), status=Practice.Status.DRAFT
    )
    assert client.get(practice_url(project, draft)).status_code == 404


def test_a_draft_practice_is_not_listed_on_a_meeting_trail(client, project, participant, world):
    meeting, practice = world
    Practice.objects.filter(pk=practice.pk).update(status=Practice.Status.DRAFT)
    client.force_login(participant)
    page = client.get(meeting_url(project, meeting)).content.decode()
    assert practice_url(project, practice) not in page


def test_trails_are_for_members_only(client, project, world):
    meeting, practice = world
    outsider = add_member(make_project_for_outsider(), role=Role.COORDINATOR)
    client.force_login(outsider)
    assert client.get(practice_url(project, practice)).status_code == 404
    assert client.get(meeting_url(project, meeting)).status_code == 404
    client.logout()
    assert client.get(practice_url(project, practice)).status_code == 302


def make_project_for_outsider():
    from ..factories import make_project

    return make_project()


def queries_of(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def test_trail_pages_read_a_fixed_number_of_queries(
    client, project, participant, world, django_assert_max_num_queries
):
    meeting, practice = world
    client.force_login(participant)
    with django_assert_max_num_queries(PRACTICE_TRAIL_QUERIES):
        client.get(practice_url(project, practice))
    with django_assert_max_num_queries(MEETING_TRAIL_QUERIES):
        client.get(meeting_url(project, meeting))
    once = (
        queries_of(client, practice_url(project, practice)),
        queries_of(client, meeting_url(project, meeting)),
    )
    # Twice the data: a second meeting with all of it, the same practice pitched, noted and
    # named there too, and a second practice of the same title in the first meeting's café.
    second_meeting, _second = trail_world(project)
    from practices.pitch import practice_ids

    session = second_meeting.days.get().items.get(title="Pitches").live_activity
    session.config["practices"] = [*practice_ids(session), practice.pk]
    session.save(update_fields=["config"])
    cafe = second_meeting.days.get().items.get(title="Café").live_activity.cafe
    for note in cafe.notes.all():
        note.pk = None
        note.practice = practice
        note.save()
    twice = (
        queries_of(client, practice_url(project, practice)),
        queries_of(client, meeting_url(project, meeting)),
    )
    assert twice == once
    assert once[0] <= PRACTICE_TRAIL_QUERIES
    assert once[1] <= MEETING_TRAIL_QUERIES
    page = client.get(practice_url(project, practice)).content.decode()
    assert "Café 2" in page
