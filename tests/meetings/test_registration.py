"""Registration, the waiting list, attendance and check-in."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from jointlearn.models import Membership, Role
from meetings import services
from meetings.models import Meeting, Registration

from ..factories import add_member, make_organisation
from .factories import make_meeting, meeting_today


def register_url(meeting):
    return reverse("meeting_register", args=[meeting.project.slug, meeting.pk])


def membership(project, user):
    return Membership.objects.get(project=project, user=user)


def test_registration_with_needs(client_for, participant, project, meeting):
    response = client_for(participant).post(
        register_url(meeting), {"dietary_needs": "Halal", "accessibility_needs": ""}
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.user, registration.status, registration.dietary_needs) == (
        participant,
        Registration.Status.CONFIRMED,
        "Halal",
    )


def test_registration_after_it_closed_is_refused(client_for, participant, project):
    meeting = make_meeting(project, registration_closes_at=timezone.now() - timedelta(minutes=1))
    response = client_for(participant).post(register_url(meeting), {}, follow=True)
    assert "Registration for this meeting is closed." in response.content.decode()
    assert not Registration.objects.exists()


def test_registration_before_it_opens_is_refused(participant, project):
    meeting = make_meeting(project, registration_opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(services.RegistrationClosed):
        services.register(meeting=meeting, membership=membership(project, participant))
    assert not Registration.objects.exists()


def test_registration_for_a_draft_is_refused(coordinator, project):
    meeting = make_meeting(project, status=Meeting.Status.DRAFT)
    with pytest.raises(services.RegistrationClosed):
        services.register(meeting=meeting, membership=membership(project, coordinator))


def test_registration_over_capacity_goes_to_the_waiting_list(client_for, project):
    meeting = make_meeting(project, capacity=1)
    first, second = add_member(project), add_member(project)
    client_for(first).post(register_url(meeting), {})
    response = client_for(second).post(register_url(meeting), {}, follow=True)
    assert "The meeting is full, so you are on the waiting list." in response.content.decode()
    assert dict(meeting.registrations.values_list("user", "status")) == {
        first.pk: "confirmed",
        second.pk: "waiting",
    }


def test_registration_cancel_moves_the_waiting_list_up(client_for, project):
    meeting = make_meeting(project, capacity=1)
    first, second, third = (add_member(project) for _ in range(3))
    for person in (first, second, third):
        services.register(meeting=meeting, membership=membership(project, person))
    client_for(first).post(reverse("meeting_unregister", args=[project.slug, meeting.pk]))
    assert dict(meeting.registrations.values_list("user", "status")) == {
        first.pk: "cancelled",
        second.pk: "confirmed",
        third.pk: "waiting",
    }


def test_registration_cancel_from_the_waiting_list_promotes_nobody(project):
    meeting = make_meeting(project, capacity=1)
    first, second, third = (add_member(project) for _ in range(3))
    for person in (first, second, third):
        services.register(meeting=meeting, membership=membership(project, person))
    moved = services.cancel_registration(registration=meeting.registrations.get(user=second))
    assert moved is None
    assert meeting.registrations.get(user=third).status == "waiting"


def test_registration_again_after_cancelling_joins_the_end_of_the_queue(project):
    meeting = make_meeting(project, capacity=1)
    first, second = add_member(project), add_member(project)
    services.register(meeting=meeting, membership=membership(project, first))
    services.cancel_registration(registration=meeting.registrations.get(user=first))
    services.register(meeting=meeting, membership=membership(project, second))
    again = services.register(meeting=meeting, membership=membership(project, first))
    assert again.status == Registration.Status.WAITING


@pytest.mark.django_db(transaction=True)
def test_registration_at_the_same_moment_never_overbooks():
    from ..factories import make_project

    project = make_project()
    meeting = make_meeting(project, capacity=1)
    people = [add_member(project) for _ in range(6)]
    memberships = [membership(project, person) for person in people]
    start = threading.Barrier(len(people))
    errors = []

    def register(member):
        try:
            start.wait()
            services.register(meeting=meeting, membership=member)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(m,)) for m in memberships]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = list(meeting.registrations.values_list("status", flat=True))
    assert sorted(statuses) == ["confirmed"] + ["waiting"] * 5


def test_needs_are_hidden_from_other_participants(client_for, participant, project, meeting):
    other = add_member(project, role=Role.PARTICIPANT)
    services.register(
        meeting=meeting, membership=membership(project, other), dietary_needs="Peanut allergy"
    )
    client = client_for(participant)
    assert client.get(reverse("meeting_needs", args=[project.slug, meeting.pk])).status_code == 403
    assert "Peanut allergy" not in client.get(meeting.get_absolute_url()).content.decode()


def test_needs_page_lists_them_for_coordinators(
    client_for, coordinator, participant, project, meeting
):
    services.register(
        meeting=meeting,
        membership=membership(project, participant),
        accessibility_needs="Step-free access",
    )
    page = client_for(coordinator).get(reverse("meeting_needs", args=[project.slug, meeting.pk]))
    assert "Step-free access" in page.content.decode()


def test_attendance_check_and_undo(client_for, facilitator, participant, project, meeting):
    registration = services.register(meeting=meeting, membership=membership(project, participant))
    client = client_for(facilitator)
    url = reverse("attendance_check", args=[project.slug, meeting.pk, registration.pk])
    client.post(url, {"checked_in": "on"})
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    client.post(url, {})
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_attendance_of_someone_on_the_waiting_list_is_refused(client_for, facilitator, project):
    meeting = make_meeting(project, capacity=0)
    person = add_member(project)
    registration = services.register(meeting=meeting, membership=membership(project, person))
    response = client_for(facilitator).post(
        reverse("attendance_check", args=[project.slug, meeting.pk, registration.pk]),
        {"checked_in": "on"},
        follow=True,
    )
    assert "Only people with a place can be checked in." in response.content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_attendance_counts_by_organisation_and_country(client_for, facilitator, project):
    meeting = make_meeting(project)
    sweden = make_organisation(project, name="Piteå kommun", country="SE")
    for organisation, present in [(sweden, True), (sweden, False)]:
        person = add_member(project, organisation=organisation)
        registration = services.register(meeting=meeting, membership=membership(project, person))
        if present:
            services.set_checked_in(registration=registration, checked_in=True)
    response = client_for(facilitator).get(
        reverse("meeting_attendance", args=[project.slug, meeting.pk])
    )
    assert response.context["by_organisation"] == [("Piteå kommun", (2, 1))]
    assert response.context["by_country"] == [("Sweden", (2, 1))]
    assert "1 of 2 registered people have checked in." in response.content.decode()


def test_self_check_in_with_the_door_code(client_for, participant, project, monkeypatch):
    meeting = make_meeting(project, starts_on=meeting_today(), ends_on=meeting_today())
    services.register(meeting=meeting, membership=membership(project, participant))
    url = reverse("meeting_check_in", args=[project.slug, meeting.pk, meeting.check_in_token])
    response = client_for(participant).post(url, follow=True)
    assert "You are checked in. Welcome!" in response.content.decode()
    assert meeting.registrations.get().checked_in_at is not None


def test_self_check_in_with_an_old_code_is_refused(client_for, participant, project):
    meeting = make_meeting(project, starts_on=meeting_today(), ends_on=meeting_today())
    services.register(meeting=meeting, membership=membership(project, participant))
    old = meeting.check_in_token
    services.renew_check_in_code(meeting=meeting)
    url = reverse("meeting_check_in", args=[project.slug, meeting.pk, old])
    response = client_for(participant).post(url, follow=True)
    assert "This check-in code is not valid any more." in response.content.decode()
    assert meeting.registrations.get().checked_in_at is None


def test_self_check_in_without_a_place_is_refused(client_for, participant, project):
    meeting = make_meeting(project, starts_on=meeting_today(), ends_on=meeting_today())
    url = reverse("meeting_check_in", args=[project.slug, meeting.pk, meeting.check_in_token])
    response = client_for(participant).post(url, follow=True)
    assert "You do not have a place at this meeting." in response.content.decode()


def test_door_shows_a_qr_code_of_the_check_in_address(client_for, facilitator, project, meeting):
    page = client_for(facilitator).get(reverse("meeting_door", args=[project.slug, meeting.pk]))
    assert "<svg" in page.content.decode()
    assert meeting.check_in_token in page.content.decode()


@pytest.mark.parametrize(("minutes_before", "visible"), [(60, False), (20, True), (-600, False)])
def test_online_link_only_for_registered_people_near_the_time(
    client_for, participant, project, monkeypatch, minutes_before, visible
):
    meeting = make_meeting(
        project,
        kind=Meeting.Kind.ONLINE,
        online_url="https://meet.example.org/eme",
        time_zone="Europe/Brussels",
    )
    start = meeting.days.get().start
    other = add_member(project)
    services.register(meeting=meeting, membership=membership(project, participant))
    moment = start.astimezone(UTC) - timedelta(minutes=minutes_before)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    page = client_for(participant).get(meeting.get_absolute_url()).content.decode()
    assert ("https://meet.example.org/eme" in page) is visible
    page = client_for(other).get(meeting.get_absolute_url()).content.decode()
    assert "https://meet.example.org/eme" not in page


def test_online_link_time_is_the_meetings_start(project):
    meeting = make_meeting(project, time_zone="Europe/Brussels")
    assert meeting.days.get().start == datetime(2030, 3, 12, 8, 0, tzinfo=UTC)


def test_registration_cancel_after_the_meeting_is_refused(project, participant):
    meeting = make_meeting(project)
    registration = services.register(meeting=meeting, membership=membership(project, participant))
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_on=timezone.localdate() - timedelta(days=9),
        ends_on=timezone.localdate() - timedelta(days=8),
    )
    with pytest.raises(services.RegistrationClosed):
        services.cancel_registration(registration=registration)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_registration_larger_capacity_moves_the_waiting_list_up(project):
    meeting = make_meeting(project, capacity=1)
    people = [add_member(project) for _ in range(4)]
    for person in people:
        services.register(meeting=meeting, membership=membership(project, person))
    services.update_meeting(meeting=meeting, capacity=3)
    statuses = [meeting.registrations.get(user=person).status for person in people]
    assert statuses == ["confirmed", "confirmed", "confirmed", "waiting"]


def test_attendance_query_count_does_not_grow(
    client_for, facilitator, project, django_assert_max_num_queries
):
    meeting = make_meeting(project)
    for _ in range(3):
        services.register(meeting=meeting, membership=membership(project, add_member(project)))
    client = client_for(facilitator)
    url = reverse("meeting_attendance", args=[project.slug, meeting.pk])
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    sweden = make_organisation(project, name="Piteå kommun", country="SE")
    for _ in range(15):
        person = add_member(project, organisation=sweden)
        services.register(meeting=meeting, membership=membership(project, person))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
