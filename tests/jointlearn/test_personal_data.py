"""A member downloads their personal data: every module's part, and nobody else's."""

import json

from django.urls import reverse

from jointlearn.live import protocol
from jointlearn.live.wordwall import create_word_wall
from jointlearn.models import Role
from meetings.models import Registration

from ..factories import add_member, make_organisation
from ..meetings.factories import make_meeting
from ..practices.helpers import evaluate, make_practice


def download(client, user):
    client.force_login(user)
    response = client.get(reverse("my_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="jointlearn-my-data-')
    assert response["Cache-Control"] == "no-store"
    return json.loads(response.content)


def test_the_download_holds_every_module_part_of_the_person(client, project, coordinator):
    finland = make_organisation(project, name="TAMK", country="FI")
    aino = add_member(project, organisation=finland)
    lotte = add_member(project, organisation=make_organisation(project, country="BE"))
    practice = make_practice(project, finland, author=aino, title="Ohjaamo")
    evaluate(practice, lotte, value=5, strengths="Lotte's own words")
    meeting = make_meeting(project)
    Registration.objects.create(
        meeting=meeting,
        user=aino,
        status=Registration.Status.CONFIRMED,
        dietary_needs="No gluten",
    )
    wall = create_word_wall(project=project, created_by=coordinator, question="How?")
    membership = project.memberships.get(user=aino)
    protocol.apply_op(
        activity_id=wall.pk,
        actor=protocol.Actor(membership=membership),
        op_id="w",
        op="word.post",
        data={"text": "Curious"},
    )

    data = download(client, aino)
    assert data["jointlearn"]["profile"]["email"] == aino.email
    assert data["jointlearn"]["memberships"][0]["role"] == Role.PARTNER
    assert data["jointlearn"]["live_words"][0]["word"] == "Curious"
    assert data["practices"]["practices_written"][0]["title"] == "Ohjaamo"
    assert data["practices"]["evaluations"] == []
    assert data["meetings"]["registrations"][0]["dietary_needs"] == "No gluten"
    assert "Lotte's own words" not in json.dumps(data)

    data = download(client, lotte)
    assert data["practices"]["evaluations"][0]["strengths"] == "Lotte's own words"
    assert data["meetings"]["registrations"] == []


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("my_data"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_profile_offers_the_download(client, coordinator):
    client.force_login(coordinator)
    assert reverse("my_data") in client.get(reverse("profile")).content.decode()
