"""The learning cafés in the research export, tested by opening the ZIP: a non-consenting
person's words never appear, even when someone else's note quotes them by name."""

from jointlearn.research import build_export
from learningcafe.models import Note, TableSummary

from ..factories import add_member, make_user
from ..jointlearn.test_research import agree, open_zip
from .factories import (
    facilitator_actor,
    guest_actor,
    make_cafe,
    member_actor,
    op,
    reload,
    table_of,
)


def cafe_with(project, *names):
    cafe = make_cafe(project, themes=("Peer tutoring", "Employers"), table_capacity=8)
    actors = []
    for name in names:
        user = add_member(project, user=make_user(display_name=name))
        actor = member_actor(project, user)
        op(cafe, actor, "cafe.join")
        actors.append(actor)
    runner = facilitator_actor(project)
    op(cafe, runner, "cafe.start", expected_round=0)
    return reload(cafe), actors, runner


def post(cafe, actor, text):
    op(cafe, actor, "note.post", table_id=table_of(cafe, actor), text=text)
    return Note.objects.latest("pk")


def test_notes_of_consenting_members_only_and_names_removed_from_quotes(project):
    cafe, (aino, lotte), runner = cafe_with(project, "Aino Virtanen", "Lotte Peeters")
    agree(project, aino.user)
    agree(project, lotte.user, given=False)
    guest = guest_actor(cafe, "Nadia Haddad")
    op(cafe, guest, "cafe.join")
    post(cafe, lotte, "LOTTESWORDS about mentors")
    quoted = post(cafe, aino, "Lotte Peeters said mentors help; Lotte knows, and so does Nadia")
    op(cafe, runner, "cafe.end")
    cafe = reload(cafe)
    post_as_guest = Note.objects.create(
        cafe=cafe, table=quoted.table, round_index=0, author=None, author_name="x", text="GUESTNOTE"
    )
    assert post_as_guest.pk

    export = build_export(project=project)
    files, tables = open_zip(export.content)
    text = "\n".join(files.values())
    for secret in ("LOTTESWORDS", "Lotte", "Peeters", "Nadia", "GUESTNOTE", "Aino"):
        assert secret not in text, secret
    (note,) = tables["cafe_notes"]
    person = tables["participants"][0]["person"]
    assert note["person"] == person
    assert note["text"] == "[name] said mentors help; [name] knows, and so does [name]"
    assert (note["cafe"], note["round"], note["theme"]) == ("1", "1", quoted.table.theme)
    assert note["table"] == str(quoted.table.number)
    (row,) = tables["cafes"]
    assert (row["participants"], row["mode"]) == ("3", "room")


def test_a_summary_is_exported_only_when_everyone_who_wrote_it_agreed(project):
    cafe, (aino, lotte), runner = cafe_with(project, "Aino Virtanen", "Lotte Peeters")
    agree(project, aino.user)
    agree(project, runner.user)
    first, second = cafe.tables.order_by("number")
    first.host, second.host = aino.user, lotte.user
    first.save()
    second.save()
    op(cafe, aino, "summary.save", table_id=first.pk, text="Mentors; Lotte agreed", base_version=0)
    op(cafe, runner, "summary.save", table_id=first.pk, text="Mentors matter", base_version=1)
    op(cafe, lotte, "summary.save", table_id=second.pk, text="LOTTESUMMARY", base_version=0)
    assert TableSummary.objects.filter(author=aino.user).count() == 1

    export = build_export(project=project)
    files, tables = open_zip(export.content)
    (summary,) = tables["cafe_summaries"]
    assert (summary["table"], summary["version"], summary["text"]) == ("1", "2", "Mentors matter")
    pseudonyms = {row["person"] for row in tables["participants"]}
    assert summary["person"] in pseudonyms
    assert "LOTTESUMMARY" not in "\n".join(files.values())
    # The facilitator withdraws: the summary they wrote a version of goes.
    agree(project, runner.user, given=False)
    assert open_zip(build_export(project=project).content)[1]["cafe_summaries"] == []


def test_nobody_consenting_gives_empty_cafe_tables(project):
    cafe, (aino,), _runner = cafe_with(project, "Aino Virtanen")
    post(cafe, aino, "Words")
    tables = open_zip(build_export(project=project).content)[1]
    assert tables["cafe_notes"] == [] and tables["cafe_summaries"] == []
    assert len(tables["cafes"]) == 1


def test_a_guest_with_a_very_short_name_does_not_blot_out_words(project):
    cafe, (aino,), _runner = cafe_with(project, "Aino Virtanen")
    agree(project, aino.user)
    op(cafe, guest_actor(cafe, "Me"), "cafe.join")
    post(cafe, aino, "Tell me more about mentors")
    (note,) = open_zip(build_export(project=project).content)[1]["cafe_notes"]
    assert note["text"] == "Tell me more about mentors"
