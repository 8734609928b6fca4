"""iCalendar feeds, read back with the icalendar library as a calendar app would."""

from datetime import date, datetime, time, timedelta

from django.urls import reverse
from icalendar import Calendar

from jointlearn import services as core_services
from jointlearn.models import Membership
from meetings import services
from meetings.models import Meeting

from ..factories import add_member
from .factories import add_item, make_meeting


def feed_url(project, user, scope="project"):
    membership = Membership.objects.get(project=project, user=user)
    token = services.calendar_feed_for(membership=membership).token
    return reverse("calendar_feed", kwargs={"token": token, "scope": scope})


def events(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return calendar, list(calendar.walk("VEVENT"))


def test_feed_has_one_event_per_day_in_the_meetings_zone(client, participant, project):
    meeting = make_meeting(
        project, time_zone="Europe/Helsinki", starts_on=date(2030, 3, 12), ends_on=date(2030, 3, 13)
    )
    add_item(meeting.days.first(), "Opening", 30)
    calendar, found = events(client, feed_url(project, participant))
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Helsinki"]
    assert [event["DTSTART"].dt for event in found] == [
        datetime(2030, 3, 12, 9, tzinfo=meeting.zone),
        datetime(2030, 3, 13, 9, tzinfo=meeting.zone),
    ]
    assert found[0]["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert all(event["STATUS"] == "CONFIRMED" for event in found)


def test_feed_keeps_awkward_characters_intact(client, participant, project):
    title = "Tampere; Pirkanmaa, Finland\nday one 🎉"
    meeting = make_meeting(project, title=title, venue_name="TAKK, hall B; floor 2")
    add_item(meeting.days.get(), "Lunch, coffee; and 🍲", 45, kind="meal", place="Café, 1st floor")
    _calendar, (event,) = events(client, feed_url(project, participant))
    assert str(event["SUMMARY"]) == title
    assert str(event["LOCATION"]) == "TAKK, hall B; floor 2"
    assert str(event["DESCRIPTION"]) == "09:00 Lunch, coffee; and 🍲 (Café, 1st floor)"


def test_feed_uid_stays_and_sequence_goes_up_on_change(client, participant, project):
    meeting = make_meeting(project)
    url = feed_url(project, participant)
    _calendar, (before,) = events(client, url)
    add_item(meeting.days.get(), "Welcome", 30)
    services.update_meeting(meeting=meeting, title="Seminar in Tampere (new title)")
    _calendar, (after,) = events(client, url)
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert str(after["SUMMARY"]) == "Seminar in Tampere (new title)"


def test_feed_marks_a_cancelled_meeting(client, participant, project):
    meeting = make_meeting(project)
    services.update_meeting(meeting=meeting, status=Meeting.Status.CANCELLED)
    _calendar, (event,) = events(client, feed_url(project, participant))
    assert event["STATUS"] == "CANCELLED"


def test_feed_leaves_out_drafts(client, participant, project):
    make_meeting(project, status=Meeting.Status.DRAFT)
    _calendar, found = events(client, feed_url(project, participant))
    assert found == []


def test_personal_feed_has_only_my_meetings_and_my_cancellations(client, participant, project):
    mine = make_meeting(project, title="Mine")
    make_meeting(project, title="Not mine")
    dropped = make_meeting(project, title="Dropped")
    full = make_meeting(project, title="Full", capacity=0)
    membership = Membership.objects.get(project=project, user=participant)
    services.register(meeting=mine, membership=membership)
    services.register(meeting=full, membership=membership)
    registration = services.register(meeting=dropped, membership=membership)
    services.cancel_registration(registration=registration)
    _calendar, found = events(client, feed_url(project, participant, "mine"))
    assert {str(event["SUMMARY"]): str(event["STATUS"]) for event in found} == {
        "Mine": "CONFIRMED",
        "Dropped": "CANCELLED",
        "Full": "TENTATIVE",
    }


def test_feed_of_a_removed_member_is_gone(client, project):
    person = add_member(project)
    url = feed_url(project, person)
    assert client.get(url).status_code == 200
    core_services.remove_membership(membership=Membership.objects.get(project=project, user=person))
    assert client.get(url).status_code == 404


def test_feed_with_an_unknown_token_is_404(client, db):
    url = reverse("calendar_feed", kwargs={"token": "not-a-token", "scope": "project"})
    assert client.get(url).status_code == 404


def test_feed_renewed_address_replaces_the_old_one(client_for, client, participant, project):
    old = feed_url(project, participant)
    client_for(participant).post(reverse("calendar_links", args=[project.slug]))
    assert client.get(old).status_code == 404
    assert client.get(feed_url(project, participant)).status_code == 200


def test_feed_time_of_day_follows_the_days_programme(client, participant, project):
    meeting = make_meeting(project, time_zone="Europe/Brussels")
    day = meeting.days.get()
    services.save_day(day=day, starts_at=time(14), ends_at=time(16))
    _calendar, (event,) = events(client, feed_url(project, participant))
    assert (event["DTSTART"].dt.hour, event["DTEND"].dt.hour) == (14, 16)


def test_feed_has_a_time_zone_for_each_partner_country(client, participant, project):
    make_meeting(project, title="Tampere", time_zone="Europe/Helsinki")
    make_meeting(project, title="Brussels", time_zone="Europe/Brussels")
    calendar, found = events(client, feed_url(project, participant))
    assert sorted(str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")) == [
        "Europe/Brussels",
        "Europe/Helsinki",
    ]
    starts = {str(event["SUMMARY"]): event["DTSTART"].dt for event in found}
    # Both programmes start at 09:00 on their own clocks: an hour apart in UTC.
    assert starts["Brussels"] - starts["Tampere"] == timedelta(hours=1)
