"""Guests are kept for the project's retention time after they were last active; the
purge_guests command deletes the expired ones, and what they wrote stays unnamed."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jointlearn import erasure, services
from jointlearn.live import protocol
from jointlearn.live.wordwall import create_word_wall
from jointlearn.models import DEFAULT_GUEST_RETENTION_DAYS, Guest, Project, WordWallEntry
from jointlearn.permissions import GUEST_SESSION_KEY
from learningcafe.models import CafeParticipant, Note, Vote
from reflections.models import Answer
from reflections.rounds import create_round

from ..factories import make_project
from ..learningcafe.factories import make_cafe
from .test_erasure import exported_text


def guest_on(wall, name, *, days_ago, word="Hello"):
    guest = services.join_as_guest(join_code=wall.join_code, display_name=name)
    protocol.apply_op(
        activity_id=wall.pk,
        actor=protocol.Actor(guest=guest),
        op_id=f"w-{name}",
        op="word.post",
        data={"text": word},
    )
    Guest.objects.filter(pk=guest.pk).update(last_seen_at=timezone.now() - timedelta(days=days_ago))
    return guest


@pytest.fixture
def wall(project, coordinator):
    return create_word_wall(project=project, created_by=coordinator, question="How?")


def purge(*args):
    out = StringIO()
    call_command("purge_guests", *args, stdout=out)
    return out.getvalue().strip()


def test_a_project_keeps_guests_ninety_days_by_default(project):
    assert project.guest_retention_days == DEFAULT_GUEST_RETENTION_DAYS == 90


def test_expired_guests_go_and_recent_ones_stay(project, wall):
    old = guest_on(wall, "Amina", days_ago=91, word="Curious")
    recent = guest_on(wall, "Bilal", days_ago=89, word="Tired")

    assert purge() == "1 expired guest(s) deleted."

    assert not Guest.objects.filter(pk=old.pk).exists()
    assert Guest.objects.filter(pk=recent.pk).exists()
    words = {entry.text: entry for entry in WordWallEntry.objects.all()}
    # What the purged guest wrote stays, without their name.
    assert words["Curious"].author_name == ""
    assert words["Curious"].guest_id is None
    assert words["Tired"].author_name == "Bilal"
    text = exported_text(wall)
    assert "Amina" not in text and "former participant" in text


def test_a_dry_run_only_counts(project, wall):
    old = guest_on(wall, "Amina", days_ago=200)
    assert purge("--dry-run") == "1 expired guest(s) would be deleted (dry run)."
    assert Guest.objects.filter(pk=old.pk).exists()
    assert WordWallEntry.objects.get().author_name == "Amina"


def test_each_project_keeps_guests_as_long_as_it_says(project, wall, coordinator):
    Project.objects.filter(pk=project.pk).update(guest_retention_days=7)
    other = make_project()
    other_wall = create_word_wall(
        project=other, created_by=other.memberships.get().user, question="Why?"
    )
    short = guest_on(wall, "Amina", days_ago=8)
    long_kept = guest_on(other_wall, "Chen", days_ago=8)

    assert erasure.purge_guests() == 1
    assert not Guest.objects.filter(pk=short.pk).exists()
    assert Guest.objects.filter(pk=long_kept.pk).exists()


def test_nothing_to_purge_says_so(db):
    assert purge() == "0 expired guest(s) deleted."


def test_a_guest_who_comes_back_is_active_again(client, project, wall):
    guest = guest_on(wall, "Amina", days_ago=89)
    session = client.session
    session[GUEST_SESSION_KEY] = {str(project.pk): guest.pk}
    session.save()
    client.get(reverse("project_lobby", args=[project.slug]))
    guest.refresh_from_db()
    assert timezone.now() - guest.last_seen_at < timedelta(minutes=1)
    assert erasure.purge_guests(now=timezone.now() + timedelta(days=89)) == 0


def test_an_empty_retention_keeps_what_the_project_had(client_for, project, coordinator):
    Project.objects.filter(pk=project.pk).update(guest_retention_days=30)
    data = {
        "name": project.name,
        "slug": project.slug,
        "time_zone": project.time_zone,
        "status": project.status,
        "guest_retention_days": "",
    }
    response = client_for(coordinator).post(reverse("project_edit", args=[project.slug]), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.guest_retention_days == 30


def test_coordinators_set_the_retention_on_the_project(client_for, project, coordinator):
    client = client_for(coordinator)
    url = reverse("project_edit", args=[project.slug])
    assert 'name="guest_retention_days"' in client.get(url).content.decode()
    data = {
        "name": project.name,
        "slug": project.slug,
        "time_zone": project.time_zone,
        "status": project.status,
        "guest_retention_days": "30",
    }
    assert client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert project.guest_retention_days == 30


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Keep guest data for at least one day."),
        ("5000", "Keep guest data for at most 3650 days (ten years)."),
        ("soon", "Enter a number of days, for example 90."),
    ],
)
def test_a_retention_that_makes_no_sense_is_refused(
    client_for, project, coordinator, value, message
):
    client = client_for(coordinator)
    data = {
        "name": project.name,
        "slug": project.slug,
        "time_zone": project.time_zone,
        "status": project.status,
        "guest_retention_days": value,
    }
    response = client.post(reverse("project_edit", args=[project.slug]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    project.refresh_from_db()
    assert project.guest_retention_days == 90


def test_a_purged_guest_leaves_their_notes_and_answers_unnamed(project, coordinator):
    cafe = make_cafe(project)
    guest = services.join_as_guest(join_code=cafe.activity.join_code, display_name="Amina")
    table = cafe.tables.first()
    seat = CafeParticipant.objects.create(cafe=cafe, guest=guest, name="Amina")
    other = CafeParticipant.objects.create(cafe=cafe, name="Bilal")
    note = Note.objects.create(
        cafe=cafe, table=table, round_index=0, author=seat, author_name="Amina", text="Trust"
    )
    voted = Note.objects.create(
        cafe=cafe, table=table, round_index=0, author=other, author_name="Bilal", text="Time"
    )
    Vote.objects.create(note=voted, voter=seat, round_index=0)
    Note.objects.filter(pk=voted.pk).update(votes=1)
    reflection = create_round(project=project, created_by=coordinator, title="Reflection")
    answer = Answer.objects.create(
        activity=reflection, text="Study visit", guest=guest, author_name="Amina"
    )
    Guest.objects.filter(pk=guest.pk).update(last_seen_at=timezone.now() - timedelta(days=100))

    assert erasure.purge_guests() == 1

    note.refresh_from_db()
    assert note.author_name == "" and note.author_id is None and note.text == "Trust"
    assert Note.objects.get(pk=voted.pk).votes == 0
    answer.refresh_from_db()
    assert answer.author_name == "" and answer.guest_id is None
    harvest = exported_text(cafe.activity)
    assert "Amina" not in harvest and "former participant" in harvest
