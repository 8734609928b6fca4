"""Meetings: create, edit, duplicate, see; every bad input refused with a sentence."""

from datetime import date, time

import pytest
from django.urls import reverse

from jointlearn.models import Role
from meetings import services
from meetings.models import AgendaDay, Meeting

from ..factories import add_member
from .factories import add_item, make_meeting

GOOD = {
    "title": "Seminar in Tampere",
    "kind": "face_to_face",
    "status": "published",
    "time_zone": "Europe/Helsinki",
    "starts_on": "2030-03-12",
    "ends_on": "2030-03-14",
    "day_starts_at": "09:00",
    "day_ends_at": "17:00",
    "venue_name": "TAKK",
    "venue_address": "Hepolamminkatu 10, Tampere",
    "map_url": "https://www.openstreetmap.org/",
    "online_url": "",
    "capacity": "40",
    "description": "**Welcome** to Tampere",
}


def create_url(project):
    return reverse("meeting_create", args=[project.slug])


def test_meeting_create_makes_one_day_per_date(client_for, coordinator, project):
    response = client_for(coordinator).post(create_url(project), GOOD)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("meeting_agenda", args=[project.slug, meeting.pk])
    assert list(meeting.days.values_list("date", "starts_at", "ends_at")) == [
        (date(2030, 3, day), time(9), time(17)) for day in (12, 13, 14)
    ]
    assert meeting.capacity == 40


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": "2030-03-10"}, "ends_on", "The last day cannot be before the first day."),
        (
            {"time_zone": "Europe/Atlantis"},
            "time_zone",
            "Europe/Atlantis is not a time zone we know. Choose one from the list, "
            "for example Europe/Helsinki.",
        ),
        (
            {"online_url": "ftp://example.org/room"},
            "online_url",
            "Enter a web address that starts with https:// or http://.",
        ),
        (
            {"online_url": "javascript:alert(1)"},
            "online_url",
            "Enter a web address that starts with https:// or http://.",
        ),
        ({"day_ends_at": "08:00"}, "day_ends_at", "The programme must end after it starts."),
        ({"capacity": "-3"}, "capacity", "The number of places cannot be negative."),
    ],
)
def test_meeting_create_bad_input_is_refused(
    client_for, coordinator, project, changes, field, message
):
    response = client_for(coordinator).post(create_url(project), {**GOOD, **changes})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Meeting.objects.exists()
    assert not AgendaDay.objects.exists()


def test_meeting_registration_times_are_read_in_the_meetings_zone(client_for, coordinator, project):
    coordinator.time_zone = "Europe/Brussels"
    coordinator.save()
    data = {**GOOD, "registration_closes_at": "2030-03-01T12:00"}
    client_for(coordinator).post(create_url(project), data)
    closes = Meeting.objects.get().registration_closes_at
    assert closes.isoformat() == "2030-03-01T10:00:00+00:00"


def test_meeting_registration_closing_before_opening_is_refused(client_for, coordinator, project):
    data = {
        **GOOD,
        "registration_opens_at": "2030-03-01T12:00",
        "registration_closes_at": "2030-02-01T12:00",
    }
    response = client_for(coordinator).post(create_url(project), data)
    assert response.context["form"].errors["registration_closes_at"] == [
        "Registration must close after it opens."
    ]
    assert not Meeting.objects.exists()


def test_meeting_host_must_belong_to_the_project(client_for, coordinator, project, outsider):
    foreign = outsider.memberships.get().project.organisations.first()
    response = client_for(coordinator).post(create_url(project), {**GOOD, "host": foreign.pk})
    assert "host" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_meeting_edit_moves_the_days_with_their_items(client_for, coordinator, project):
    meeting = make_meeting(project, starts_on=date(2030, 3, 12), ends_on=date(2030, 3, 13))
    first = meeting.days.first()
    add_item(first, "Welcome")
    data = {**GOOD, "starts_on": "2030-04-01", "ends_on": "2030-04-02"}
    data.pop("day_starts_at")
    data.pop("day_ends_at")
    response = client_for(coordinator).post(
        reverse("meeting_edit", args=[project.slug, meeting.pk]), data
    )
    assert response.status_code == 302
    assert list(meeting.days.values_list("date", flat=True)) == [date(2030, 4, 1), date(2030, 4, 2)]
    assert meeting.days.get(date=date(2030, 4, 1)).items.get().title == "Welcome"
    meeting.refresh_from_db()
    assert meeting.sequence > 0


def test_meeting_edit_dropping_a_day_with_items_is_refused(client_for, coordinator, project):
    meeting = make_meeting(project, starts_on=date(2030, 3, 12), ends_on=date(2030, 3, 13))
    add_item(meeting.days.last(), "Study visit")
    data = {**GOOD, "starts_on": "2030-03-12", "ends_on": "2030-03-12"}
    response = client_for(coordinator).post(
        reverse("meeting_edit", args=[project.slug, meeting.pk]), data
    )
    assert response.status_code == 200
    assert "A day you left out still has agenda items." in response.content.decode()
    assert meeting.days.count() == 2


def test_meeting_duplicate_shifts_every_date(client_for, coordinator, project):
    meeting = make_meeting(project, starts_on=date(2030, 3, 12), ends_on=date(2030, 3, 14))
    add_item(meeting.days.get(date=date(2030, 3, 13)), "City tour", 120, kind="city_tour")
    response = client_for(coordinator).post(
        reverse("meeting_duplicate", args=[project.slug, meeting.pk]),
        {"title": "Seminar in Piteå", "starts_on": "2030-09-02"},
    )
    copy = Meeting.objects.get(title="Seminar in Piteå")
    assert response.status_code == 302
    assert (copy.starts_on, copy.ends_on, copy.status) == (
        date(2030, 9, 2),
        date(2030, 9, 4),
        Meeting.Status.DRAFT,
    )
    assert copy.uid != meeting.uid
    assert copy.days.get(date=date(2030, 9, 3)).items.get().title == "City tour"


def test_meeting_draft_is_hidden_from_participants(client_for, participant, project):
    meeting = make_meeting(project, status=Meeting.Status.DRAFT)
    client = client_for(participant)
    assert client.get(meeting.get_absolute_url()).status_code == 404
    listing = client.get(reverse("meeting_list", args=[project.slug]))
    assert meeting.title not in listing.content.decode()


def test_meeting_list_query_count_does_not_grow(
    client_for, participant, project, django_assert_num_queries
):
    for number in range(3):
        meeting = make_meeting(project, title=f"Meeting {number}")
        services.register(meeting=meeting, membership=project.memberships.get(user=participant))
    client = client_for(participant)
    url = reverse("meeting_list", args=[project.slug])
    # session, user, membership with its project, meetings
    with django_assert_num_queries(4):
        response = client.get(url)
    for number in range(3, 13):
        make_meeting(project, title=f"Meeting {number}")
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.content.decode().count("You are registered") == 3


def test_meeting_detail_shows_times_in_both_zones(client_for, participant, project):
    participant.time_zone = "Europe/Brussels"
    participant.save()
    meeting = make_meeting(project, time_zone="Europe/Helsinki")
    add_item(meeting.days.get(), "Opening", 30)
    page = client_for(participant).get(meeting.get_absolute_url()).content.decode()
    assert "09:00</time>–<time" in page
    assert "(08:00–08:30)" in page
    assert "Times are in Europe/Helsinki, the meeting's time zone" in page


def test_meeting_description_markdown_is_cleaned(client_for, participant, project):
    meeting = make_meeting(project, description="**Hei** <script>alert(1)</script>")
    page = client_for(participant).get(meeting.get_absolute_url()).content.decode()
    assert "<strong>Hei</strong>" in page
    assert "<script>alert(1)" not in page


def test_meeting_host_members_see_the_needs_page(client_for, project, partner_organisation):
    meeting = make_meeting(project, host=partner_organisation)
    host_member = add_member(project, role=Role.PARTICIPANT, organisation=partner_organisation)
    elsewhere = project.organisations.exclude(pk=partner_organisation.pk).first()
    other = add_member(project, role=Role.FACILITATOR, organisation=elsewhere)
    url = reverse("meeting_needs", args=[project.slug, meeting.pk])
    assert client_for(host_member).get(url).status_code == 200
    assert client_for(other).get(url).status_code == 403
