"""The reflection rounds in the research export, tested by opening the ZIP."""

from datetime import date

from jointlearn.models import Role
from jointlearn.research import build_export
from reflections.rounds import create_round

from ..factories import add_member, make_user
from ..jointlearn.test_research import agree, open_zip
from ..meetings.factories import make_meeting
from .conftest import actor_for, guest_actor, send


def everything(export):
    return "\n".join(open_zip(export.content)[0].values())


def test_answers_of_consenting_members_only_with_names_removed(project, facilitator):
    lotte = add_member(
        project,
        role=Role.PARTICIPANT,
        user=make_user(display_name="Lotte Peeters", email="lotte@eva.be"),
    )
    erik = add_member(project, role=Role.PARTICIPANT, user=make_user(display_name="Erik Lindström"))
    agree(project, lotte)
    agree(project, erik, given=False)
    meeting = make_meeting(project, title="Tampere", starts_on=date(2026, 3, 10))
    round_ = create_round(project=project, created_by=facilitator, title="R", meeting=meeting)
    send(round_, actor_for(project, erik), "answer.post", text="ERIKSWORDS", formats="lecture")
    send(
        round_,
        actor_for(project, lotte),
        "answer.post",
        text="As Erik said, the visit. Lotte Peeters",
        prompt=1,
        formats="study_visit,peer_discussion",
    )
    send(round_, guest_actor(round_, "Nadia Haddad"), "answer.post", text="GUESTWORDS")

    export = build_export(project=project)
    files, tables = open_zip(export.content)
    text = "\n".join(files.values())
    for secret in ("ERIKSWORDS", "Erik", "GUESTWORDS", "Nadia", "Lotte", "lotte@eva.be"):
        assert secret not in text, secret
    (answer,) = tables["reflection_answers"]
    person = tables["participants"][0]["person"]
    assert answer == {
        "answer": "1",
        "round": "1",
        "prompt": "2",
        "person": person,
        "country": "FI",
        "captured": "0",
        "formats": "study_visit;peer_discussion",
        "answered_on": answer["answered_on"],
        "text": f"As [name] said, the visit. {person}",
    }
    (row,) = tables["reflection_rounds"]
    assert (row["meeting"], row["meeting_date"], row["anonymous"]) == ("Tampere", "2026-03-10", "0")
    assert row["prompts"].startswith("What did you gain from this seminar? | ")
    codebook = files["codebook.csv"]
    assert "reflection_answers,text,text" in codebook
    assert "lecture = Lecture" in codebook


def test_anonymous_rounds_give_counts_of_formats_and_no_words(project, facilitator):
    member = add_member(project, role=Role.PARTICIPANT)
    agree(project, member)
    round_ = create_round(project=project, created_by=facilitator, title="A", anonymous=True)
    actor = actor_for(project, member)
    send(round_, actor, "answer.post", text="ANONWORDS", formats="pitch,lecture")
    send(round_, guest_actor(round_), "answer.post", text="MOREWORDS", formats="pitch")

    export = build_export(project=project)
    _files, tables = open_zip(export.content)
    assert "ANONWORDS" not in everything(export) and "MOREWORDS" not in everything(export)
    assert tables["reflection_answers"] == []
    assert tables["reflection_anonymous_formats"] == [
        {"round": "1", "format": "lecture", "answers": "1"},
        {"round": "1", "format": "pitch", "answers": "2"},
    ]
    assert tables["reflection_rounds"][0]["anonymous"] == "1"


def test_a_prepared_round_is_left_out_and_nobody_consenting_is_an_empty_table(project, facilitator):
    from reflections.rounds import prepare

    prepare(project=project, title="Later", created_by=facilitator)
    round_ = create_round(project=project, created_by=facilitator, title="Now")
    member = add_member(project, role=Role.PARTICIPANT)
    send(round_, actor_for(project, member), "answer.post", text="Hi")
    tables = open_zip(build_export(project=project).content)[1]
    assert len(tables["reflection_rounds"]) == 1
    assert tables["reflection_answers"] == []
