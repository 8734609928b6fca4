"""Per-activity outputs in four formats (jointlearn/outputs.py) and sharing them with the
participants (jointlearn/sharing.py): files opened and read back, PDFs read with pypdf."""

import csv
import io
import itertools
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from jointlearn import outputs, services, sharing
from jointlearn.live import protocol
from jointlearn.live.wordwall import create_word_wall
from jointlearn.models import Role, Share
from learningcafe.models import Note
from meetings import services as meeting_services
from meetings.models import AgendaItem
from reflections.pairs import create_pairing
from reflections.polls import create_poll
from reflections.rounds import create_round

from ..factories import add_member, make_organisation, make_project, make_user
from ..learningcafe.factories import make_cafe, member_actor
from ..learningcafe.factories import op as cafe_op
from ..learningcafe.factories import people as cafe_people
from ..meetings.factories import add_item, make_meeting
from ..surveys.factories import make_survey
from ..surveys.factories import post_data as survey_post_data

_ids = itertools.count(1)
TRICKY = 'Anne-Marie "AM", Ōsaka'
RTL = "مريم"


def send(activity, actor, op, **data):
    return protocol.apply_op(
        activity_id=activity.pk, actor=actor, op_id=f"o{next(_ids)}", op=op, data=data
    )


def actor_of(project, user):
    return protocol.Actor(membership=project.memberships.get(user=user))


def guest_of(activity, name):
    guest = services.join_as_guest(join_code=activity.join_code, display_name=name)
    return protocol.Actor(guest=guest)


def pdf_text(content):
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), len(reader.pages)


def read_csv(content):
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def get(client, name, project, activity):
    response = client.get(reverse(name, args=[project.slug, activity.pk]))
    assert response.status_code == 200, response.content[:300]
    return response


@pytest.fixture
def wall(project, facilitator):
    """A word wall with words from a member with commas and quotes in her name, a guest with
    a right-to-left name, and one hidden word."""
    wall = create_word_wall(project=project, created_by=facilitator, question="How are you?")
    tricky = add_member(project, role=Role.PARTICIPANT, user=make_user(display_name=TRICKY))
    send(wall, actor_of(project, tricky), "word.post", text="=curious, keen")
    send(wall, guest_of(wall, RTL), "word.post", text="سعيد")
    send(wall, guest_of(wall, "Tom\nNewline"), "word.post", text="Rude word")
    send(wall, actor_of(project, facilitator), "word.hide", word="rude word")
    return wall


def test_a_word_wall_in_all_four_formats(client_for, facilitator, project, wall):
    client = client_for(facilitator)
    rows = read_csv(get(client, "live_export_csv", project, wall).content)
    assert [row["word"] for row in rows] == ["'=curious, keen", "سعيد", "Rude word"]
    assert rows[0]["posted_by"] == TRICKY  # commas and quotes survive the CSV
    assert rows[1]["posted_by"] == RTL
    assert rows[2]["posted_by"] == "Tom\nNewline" and rows[2]["hidden"] == "True"

    data = json.loads(get(client, "live_export_json", project, wall).content)
    assert data["activity"]["project"] == project.name
    assert data["activity"]["audience"] == "facilitators"
    assert data["activity"]["question"] == "How are you?"
    assert len(data["words"]) == 3 and "cloud" in data

    markdown = get(client, "live_export_md", project, wall).content.decode()
    assert markdown.startswith(f"# {wall.title}\n")
    assert "| =curious, keen |" in markdown and project.name in markdown

    response = get(client, "live_export_pdf", project, wall)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    text, pages = pdf_text(response.content)
    assert project.name.upper() in text  # printed in capitals
    assert wall.title in text and "=curious, keen" in text
    assert TRICKY in text
    assert "سعيد" in text or "سعيد"[::-1] in text  # right-to-left, in reading or visual order
    assert f"1 / {pages}" in text  # page numbers
    assert "Most posted words" in text  # the chart's caption, drawn as SVG


def test_an_empty_activity_gives_valid_files_that_say_it_is_empty(client_for, facilitator, project):
    wall = create_word_wall(project=project, created_by=facilitator, question="Anyone?")
    client = client_for(facilitator)
    csv_content = get(client, "live_export_csv", project, wall).content.decode("utf-8-sig")
    assert csv_content.splitlines() == ["word,counted_as,posted_by,posted_at,hidden"]
    data = json.loads(get(client, "live_export_json", project, wall).content)
    assert data["activity"]["empty"] is True and data["words"] == []
    markdown = get(client, "live_export_md", project, wall).content.decode()
    assert "This activity is empty" in markdown
    text, _pages = pdf_text(get(client, "live_export_pdf", project, wall).content)
    assert "This activity is empty" in text


def test_html_and_markdown_in_an_answer_are_printed_as_text_not_markup(
    client_for, facilitator, project
):
    activity = create_round(project=project, created_by=facilitator, title="Reflection")
    injection = (
        '<h1 style="color:red">Injected</h1> **bold** [link](javascript:alert(1)) '
        "<script>alert(1)</script><img src=x onerror=alert(1)>"
    )
    send(activity, actor_of(project, facilitator), "answer.post", text=injection)
    response = get(client_for(facilitator), "live_export_pdf", project, activity)
    text, _pages = pdf_text(response.content)
    # The tags are there as the characters that were typed: nothing became an element.
    squeezed = "".join(text.split())  # lines wrap anywhere in a table cell
    assert '<h1style="color:red">Injected</h1>' in squeezed
    assert "<script>alert(1)</script>" in squeezed and "<imgsrc=xonerror=alert(1)>" in squeezed
    assert "**bold**" in squeezed
    html = outputs.render_to_string(
        "jointlearn/output_print.html",
        {
            "output": outputs.activity_output(activity),
            "printed": outputs.printed(outputs.activity_output(activity)),
        },
    )
    assert "<script>" not in html and "<h1 style" not in html and "&lt;script&gt;" in html


def pitch_session(project, coordinator):
    from practices.pitch import create_pitch_session
    from practices.services import ensure_rubric

    from ..practices.helpers import make_practice

    owner = make_organisation(project, name="Ohjaamo", country="FI")
    return create_pitch_session(
        project=project,
        created_by=coordinator,
        title="Pitches",
        practices=[make_practice(project, owner)],
        criteria=ensure_rubric(project=project)[:2],
    )


@pytest.mark.parametrize("kind", ["wordwall", "poll", "reflection", "pairing", "pitch", "cafe"])
def test_every_kind_exports_every_format(client_for, coordinator, project, kind):
    if kind == "wordwall":
        activity = create_word_wall(project=project, created_by=coordinator, question="Hi?")
        send(activity, guest_of(activity, RTL), "word.post", text="hello")
    elif kind == "poll":
        activity = create_poll(
            project=project,
            created_by=coordinator,
            question="Useful?",
            type="choice",
            options=["Yes, very", 'So "so"'],
        )
    elif kind == "reflection":
        activity = create_round(project=project, created_by=coordinator, title="Round")
    elif kind == "pairing":
        activity = create_pairing(project=project, created_by=coordinator, title="Pairs")
    elif kind == "pitch":
        activity = pitch_session(project, coordinator)
    else:
        activity = make_cafe(project).activity
    client = client_for(coordinator)
    for name in ["live_export_md", "live_export_csv", "live_export_json"]:
        assert get(client, name, project, activity).content
    text, _pages = pdf_text(get(client, "live_export_pdf", project, activity).content)
    assert activity.title in text and project.name.upper() in text


def test_a_survey_in_markdown_json_and_pdf(client_for, coordinator, participant, project):
    survey = make_survey(project, title="Feedback, after day 1")
    client_for(participant).post(
        reverse("survey_answer", args=[project.slug, survey.pk]), survey_post_data(survey)
    )
    client = client_for(coordinator)
    data = json.loads(get(client, "survey_export_json", project, survey).content)
    assert len(data["responses"]) == 1 and data["activity"]["kind"] == "survey"
    assert (
        "Feedback, after day 1" in get(client, "survey_export_md", project, survey).content.decode()
    )
    text, _pages = pdf_text(get(client, "survey_export_pdf", project, survey).content)
    assert "Feedback, after day 1" in text


# Sharing


def shared_csv(client, share):
    response = client.get(reverse("shared_output_file", args=[share.token, "csv"]))
    assert response.status_code == 200
    return read_csv(response.content)


def test_a_shared_word_wall_leaves_out_hidden_words_and_names(
    client, client_for, facilitator, project, wall
):
    response = client_for(facilitator).post(reverse("live_share", args=[project.slug, wall.pk]))
    assert response.status_code == 302
    share = Share.objects.get()
    assert share.activity == wall and share.created_by == facilitator and len(share.token) >= 32
    # A guest with the link, not signed in.
    rows = shared_csv(client, share)
    assert [row["word"] for row in rows] == ["'=curious, keen", "سعيد"]
    assert set(rows[0]) == {"word", "counted_as", "posted_at"}
    page = client.get(share.get_absolute_url()).content.decode()
    assert "سعيد" in page and "Rude word" not in page and TRICKY not in page
    data = json.loads(client.get(reverse("shared_output_file", args=[share.token, "json"])).content)
    assert data["activity"]["audience"] == "shared"
    assert set(data) == {"activity", "rows"}
    assert "Rude" not in json.dumps(data) and "Newline" not in json.dumps(data)
    text, _pages = pdf_text(
        client.get(reverse("shared_output_file", args=[share.token, "pdf"])).content
    )
    assert "Rude word" not in text and RTL not in text and "Shared with the participants" in text


def test_a_shared_cafe_leaves_out_hidden_notes_and_who_wrote_them(project, rf):
    cafe = make_cafe(project)
    room = cafe_people(project, cafe, 3)
    runner = member_actor(project, add_member(project, role=Role.FACILITATOR))
    cafe_op(cafe, runner, "cafe.start", expected_round=0)
    from ..learningcafe.factories import table_of

    for index, actor in enumerate(room):
        cafe_op(
            cafe,
            actor,
            "note.post",
            table_id=table_of(cafe, actor),
            text=f"Note {index} by {actor.name}",
        )
    hidden = Note.objects.order_by("pk").first()
    cafe_op(cafe, runner, "note.hide", note_id=hidden.pk)
    facilitators = outputs.activity_output(cafe.activity)
    assert len(facilitators.rows) == 2  # the café's own export leaves hidden notes out too
    shared = outputs.activity_output(cafe.activity, audience=outputs.SHARED)
    texts = [row["note"] for row in shared.rows]
    assert len(texts) == 2 and hidden.text not in texts
    assert "written_by" not in shared.fields
    # Names in the notes' words are removed too.
    assert all(text.startswith("Note ") and "[name]" in text for text in texts)
    for actor in room:
        assert actor.name not in outputs.as_json(shared)


@pytest.mark.parametrize("anonymous", [True, False])
def test_shared_reflections_carry_no_names(project, facilitator, anonymous):
    activity = create_round(
        project=project, created_by=facilitator, title="Round", anonymous=anonymous
    )
    lotte = add_member(project, role=Role.PARTICIPANT, user=make_user(display_name="Lotte Peeters"))
    send(activity, actor_of(project, lotte), "answer.post", text="I learnt from Anne-Marie")
    add_member(project, user=make_user(display_name="Anne-Marie Dubois"))
    facilitators = outputs.activity_output(activity)
    assert facilitators.rows[0]["said_by"] == ("" if anonymous else "Lotte Peeters")
    shared = outputs.activity_output(activity, audience=outputs.SHARED)
    assert "said_by" not in shared.fields
    assert shared.rows[0]["answer"].startswith("I learnt from [name]")
    assert "Anne" not in shared.rows[0]["answer"]
    assert "Lotte" not in outputs.as_json(shared) + outputs.as_markdown(shared)


def test_a_revoked_or_unknown_link_is_a_clear_translated_404(client, facilitator, project, wall):
    share = sharing.publish(project=project, created_by=facilitator, activity=wall)
    assert sharing.publish(project=project, created_by=facilitator, activity=wall) == share
    assert client.get(share.get_absolute_url()).status_code == 200
    sharing.revoke(share=share)
    for url in [
        share.get_absolute_url(),
        reverse("shared_output_file", args=[share.token, "csv"]),
        reverse("shared_output", args=["no-such-token"]),
        reverse("shared_output_file", args=["x" * 200, "pdf"]),
    ]:
        response = client.get(url)
        assert response.status_code == 404
        assert "This shared output is no longer available" in response.content.decode()
    with translation.override("fi"):
        response = client.get(share.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 404
    assert "This shared output is no longer available" not in response.content.decode()
    # Publishing again makes a new link; the old one stays dead.
    again = sharing.publish(project=project, created_by=facilitator, activity=wall)
    assert again.token != share.token
    assert client.get(share.get_absolute_url()).status_code == 404


def test_a_prepared_activity_cannot_be_shared(client_for, facilitator, project):
    meeting = make_meeting(project)
    item = add_item(meeting.days.get(), "Check-in", 20, kind=AgendaItem.Kind.ICEBREAKER)
    activity = meeting_services.prepare_live_activity(
        item=item, kind="wordwall", created_by=facilitator
    )
    response = client_for(facilitator).post(
        reverse("live_share", args=[project.slug, activity.pk]), follow=True
    )
    assert "has not started yet" in response.content.decode()
    assert not Share.objects.exists()


def test_members_see_shared_outputs_on_the_meeting_and_activity_pages(
    client_for, facilitator, participant, project
):
    meeting = make_meeting(project)
    item = add_item(meeting.days.get(), "Check-in", 20, kind=AgendaItem.Kind.ICEBREAKER)
    activity = meeting_services.prepare_live_activity(
        item=item, kind="wordwall", created_by=facilitator
    )
    meeting_services.open_live_activity(
        item=item, membership=project.memberships.get(user=facilitator)
    )
    member = client_for(participant)
    page = member.get(meeting.get_absolute_url()).content.decode()
    assert "Shared outputs" not in page  # nothing shared, and a participant cannot share
    client_for(facilitator).post(
        reverse("live_share", args=[project.slug, activity.pk]),
        {"next": meeting.get_absolute_url()},
    )
    share = Share.objects.get()
    page = member.get(meeting.get_absolute_url()).content.decode()
    assert "Shared outputs" in page and share.get_absolute_url() in page
    page = member.get(activity.get_absolute_url()).content.decode()
    assert share.get_absolute_url() in page
    # Revoked: gone from both pages.
    client_for(facilitator).post(
        reverse("live_share", args=[project.slug, activity.pk]), {"action": "revoke"}
    )
    assert share.get_absolute_url() not in member.get(meeting.get_absolute_url()).content.decode()
    assert share.get_absolute_url() not in member.get(activity.get_absolute_url()).content.decode()


def test_a_shared_meeting_pack_has_the_shared_outputs(client, client_for, facilitator, project):
    meeting = make_meeting(project)
    item = add_item(meeting.days.get(), "Check-in", 20, kind=AgendaItem.Kind.ICEBREAKER)
    activity = meeting_services.prepare_live_activity(
        item=item, kind="wordwall", created_by=facilitator
    )
    meeting_services.open_live_activity(
        item=item, membership=project.memberships.get(user=facilitator)
    )
    send(activity, guest_of(activity, "Nadia"), "word.post", text="Hungry")
    send(activity, guest_of(activity, "Pekka"), "word.post", text="Secret")
    send(activity, actor_of(project, facilitator), "word.hide", word="secret")
    client_for(facilitator).post(reverse("meeting_pack_share", args=[project.slug, meeting.pk]))
    share = Share.objects.get()
    assert share.meeting == meeting
    page = client.get(share.get_absolute_url()).content.decode()
    assert "Hungry" in page and "Secret" not in page and "Nadia" not in page
    response = client.get(reverse("shared_output_file", args=[share.token, "zip"]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    everything = b" ".join(archive.read(name) for name in archive.namelist() if "pdf" not in name)
    assert b"Hungry" in everything and b"Secret" not in everything and b"Nadia" not in everything
    text, _pages = pdf_text(archive.read("meeting-pack.pdf"))
    assert "Hungry" in text and "Secret" not in text and "Nadia" not in text
    assert client.get(reverse("shared_output_file", args=[share.token, "pdf"])).status_code == 404


def test_sharing_an_output_of_another_project_is_refused(facilitator, project):
    other = make_project()
    wall = create_word_wall(
        project=other, created_by=other.memberships.get().user, question="Elsewhere?"
    )
    with pytest.raises(sharing.CannotShare):
        sharing.publish(project=project, created_by=facilitator, activity=wall)
