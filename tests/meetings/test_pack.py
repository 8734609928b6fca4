"""The meeting pack: a ZIP of the agenda, the attendance and every activity's results,
opened and read here."""

import csv
import io
import json
import zipfile

from django.urls import reverse
from django.utils import timezone

from jointlearn.live import protocol
from meetings import services
from meetings.models import AgendaItem, Registration

from ..factories import add_member, make_organisation
from .factories import add_item


def download(client, meeting):
    response = client.get(reverse("meeting_pack", args=[meeting.project.slug, meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].endswith('-pack.zip"')
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_pack_holds_agenda_attendance_and_each_activity(
    client_for, coordinator, facilitator, project, meeting, day
):
    finland = make_organisation(project, name="TAMK", country="FI")
    aino = add_member(project, organisation=finland)
    Registration.objects.create(
        meeting=meeting,
        user=aino,
        organisation=finland,
        status=Registration.Status.CONFIRMED,
        checked_in_at=timezone.now(),
    )
    add_item(day, "Welcome", 30)
    icebreaker = add_item(day, "Where are you from?", 20, kind=AgendaItem.Kind.ICEBREAKER)
    prepared = add_item(day, "Later", 20, kind=AgendaItem.Kind.ICEBREAKER)
    activity = services.prepare_live_activity(
        item=icebreaker, kind="wordwall", created_by=facilitator
    )
    services.prepare_live_activity(item=prepared, kind="wordwall", created_by=facilitator)
    services.open_live_activity(
        item=icebreaker, membership=project.memberships.get(user=facilitator)
    )
    protocol.apply_op(
        activity_id=activity.pk,
        actor=protocol.Actor(membership=project.memberships.get(user=aino)),
        op_id="w1",
        op="word.post",
        data={"text": "=Curious"},
    )

    archive = download(client_for(facilitator), meeting)
    names = set(archive.namelist())
    stem = f"activities/where-are-you-from-{activity.pk}"
    assert {
        "README.md",
        "meeting-pack.pdf",
        "agenda.md",
        "attendance/by-country.csv",
        "attendance/by-organisation.md",
        f"{stem}.csv",
        f"{stem}.json",
        f"{stem}.md",
    } <= names
    assert not any("later" in name for name in names)  # not started: nothing to take away
    assert archive.read("meeting-pack.pdf").startswith(b"%PDF")
    agenda = archive.read("agenda.md").decode()
    assert "**Welcome**" in agenda and "09:30" in agenda
    by_country = list(
        csv.DictReader(io.StringIO(archive.read("attendance/by-country.csv").decode("utf-8-sig")))
    )
    assert by_country == [{"Country": "Finland", "Registered": "1", "Present": "1"}]
    words = list(csv.DictReader(io.StringIO(archive.read(f"{stem}.csv").decode("utf-8-sig"))))
    assert words[0]["word"] == "'=Curious"  # formula-safe
    payload = json.loads(archive.read(f"{stem}.json"))
    assert payload["activity"]["question"] and payload["words"][0]["word"] == "=Curious"
    assert "| =Curious |" in archive.read(f"{stem}.md").decode()


def test_participants_cannot_take_the_pack(client_for, participant, meeting):
    response = client_for(participant).get(
        reverse("meeting_pack", args=[meeting.project.slug, meeting.pk])
    )
    assert response.status_code == 403
