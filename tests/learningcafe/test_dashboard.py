"""The dashboard's section on learning cafés: cafés held, notes, people by country, top notes."""

from django.urls import reverse

from jointlearn.dashboard import Scope
from learningcafe.dashboard import cafes
from learningcafe.models import Note

from .factories import facilitator_actor, guest_actor, make_cafe, op, people, reload, table_of


def run_cafe(project, count=4):
    cafe = make_cafe(project, themes=("Peer tutoring", "Employers"), table_capacity=6)
    room = people(project, cafe, count, countries=("FI", "BE"))
    runner = facilitator_actor(project)
    op(cafe, runner, "cafe.start", expected_round=0)
    return reload(cafe), room, runner


def post(cafe, actor, text):
    op(cafe, actor, "note.post", table_id=table_of(cafe, actor), text=text)
    return Note.objects.latest("pk")


def tablemate(cafe, actor, room):
    return next(o for o in room if o is not actor and table_of(cafe, o) == table_of(cafe, actor))


def test_cafes_notes_people_and_the_most_voted_note_per_theme(project):
    cafe, room, runner = run_cafe(project)
    make_cafe(project, title="Not started yet")
    first = post(cafe, room[0], "Mentors who speak the language")
    second = post(cafe, room[0], "Peer groups")
    op(cafe, tablemate(cafe, room[0], room), "note.vote", note_id=second.pk)
    other = next(actor for actor in room if table_of(cafe, actor) != first.table_id)
    post(cafe, other, "Employers want trial days")
    hidden = post(cafe, other, "Off topic")
    op(cafe, runner, "note.hide", note_id=hidden.pk)

    section = cafes(project, Scope())
    assert dict(section.figures) == {"Cafés held": 1, "Participants": 4, "Notes": 3}
    assert sorted(section.charts[0].rows) == [["Belgium", "2"], ["Finland", "2"]]
    rows = {row[0]: row[1:] for row in section.tables[0].rows}
    assert rows[first.table.theme] == ["Peer groups", 1]
    assert rows[Note.objects.get(text="Employers want trial days").table.theme] == [
        "Employers want trial days",
        0,
    ]


def test_the_scope_keeps_members_of_its_organisations_and_leaves_guests_out(project):
    cafe, room, _runner = run_cafe(project)
    guest = guest_actor(cafe, "Nadia")
    op(cafe, guest, "cafe.join", country="SE")
    belgian = next(a for a in room if a.membership.organisation.country == "BE")
    finn = next(a for a in room if a.membership.organisation.country == "FI")
    post(cafe, belgian, "From Brussels")
    post(cafe, finn, "From Tampere")

    everyone = cafes(project, Scope())
    assert dict(everyone.figures)["Participants"] == 5
    belgium = cafes(project, Scope(country="BE"))
    assert dict(belgium.figures) == {"Cafés held": 1, "Participants": 2, "Notes": 1}
    assert belgium.charts[0].rows == [["Belgium", "2"]]
    assert [row[1] for row in belgium.tables[0].rows] == ["From Brussels"]
    organisation = finn.membership.organisation
    assert dict(cafes(project, Scope(organisation=organisation)).figures)["Notes"] == 1


def test_a_long_note_is_shortened_and_no_cafe_says_so(project):
    assert cafes(project, Scope()).empty == "No learning café has started yet."
    cafe, room, _runner = run_cafe(project)
    post(cafe, room[0], "word " * 50)
    cell = cafes(project, Scope()).tables[0].rows[0][1]
    assert len(cell) == 120 and cell.endswith("…")


def test_the_dashboard_page_shows_cafes_and_escapes_notes(client_for, coordinator, project):
    cafe, room, _runner = run_cafe(project)
    post(cafe, room[0], "<script>alert(1)</script>")
    page = client_for(coordinator).get(reverse("project_dashboard", args=[project.slug]))
    content = page.content.decode()
    assert "Learning cafés" in content and "Most-voted note per theme" in content
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
