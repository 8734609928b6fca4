"""The dashboard's section on reflection rounds: learning formats named, per meeting."""

from datetime import date

from django.urls import reverse

from jointlearn.dashboard import Scope
from reflections.dashboard import formats_per_meeting
from reflections.rounds import create_round

from ..meetings.factories import add_item, make_meeting
from .conftest import guest_actor, send

TITLE = "Learning formats named in reflection rounds"


def test_formats_are_counted_per_meeting_in_the_order_of_the_meetings(project, facilitator, room):
    later = make_meeting(project, title="Brussels", starts_on=date(2026, 9, 1))
    earlier = make_meeting(project, title="Tampere", starts_on=date(2026, 3, 10))
    first = create_round(project=project, created_by=facilitator, title="R1", meeting=earlier)
    # The second round is tied to its meeting through the agenda item that opens it.
    second = create_round(project=project, created_by=facilitator, title="R2")
    add_item(later.days.first(), title="Reflection", kind="reflection_round", live_activity=second)
    send(first, room[0], "answer.post", text="The visit", formats="study_visit")
    send(first, room[2], "answer.post", text="Café and visit", formats="learning_cafe,study_visit")
    send(first, room[4], "answer.post", text="Nothing to tag")
    send(second, room[1], "answer.post", text="Peers", formats="peer_discussion")

    section = formats_per_meeting(project, Scope())
    assert dict(section.figures) == {
        "Meetings with a reflection round": 2,
        "Answers": 4,
        "Answers naming a format": 3,
    }
    table = section.tables[0]
    assert table.columns == [
        "Meeting",
        "Study visit",
        "Learning café",
        "Peer discussion",
        "Answers",
    ]
    assert table.rows == [["Tampere", 2, 1, 0, 3], ["Brussels", 0, 0, 1, 1]]
    chart = section.charts[0]
    assert chart.columns == ["", "Tampere", "Brussels"]
    assert ["Study visit", "2", "0"] in chart.rows


def test_the_scope_keeps_members_of_its_organisations_only(project, facilitator, room):
    meeting = make_meeting(project, title="Tampere", starts_on=date(2026, 3, 10))
    named = create_round(project=project, created_by=facilitator, title="R", meeting=meeting)
    anonymous = create_round(
        project=project, created_by=facilitator, title="A", meeting=meeting, anonymous=True
    )
    send(named, room[0], "answer.post", text="Lecture", formats="lecture")  # Finland
    send(named, room[2], "answer.post", text="Pitches", formats="pitch")  # Belgium
    send(named, guest_actor(named, "Nadia"), "answer.post", text="Tour", formats="city_tour")
    send(anonymous, room[3], "answer.post", text="Café", formats="learning_cafe")  # Belgium

    everyone = formats_per_meeting(project, Scope())
    assert everyone.tables[0].rows == [["Tampere", 1, 1, 1, 1, 4]]
    # One meeting: bars rather than lines.
    assert everyone.charts[0].columns == ["", "Tampere"]

    belgium = formats_per_meeting(project, Scope(country="BE"))
    assert belgium.tables[0].columns == ["Meeting", "Pitch", "Answers"]
    assert belgium.tables[0].rows == [["Tampere", 1, 1]]
    organisation = project.organisations.get(country="FI")
    finland = formats_per_meeting(project, Scope(organisation=organisation))
    assert finland.tables[0].rows == [["Tampere", 1, 1]]


def test_a_round_without_a_meeting_is_shown_under_its_own_title(project, facilitator, room):
    loose = create_round(project=project, created_by=facilitator, title="Online check-out")
    send(loose, room[0], "answer.post", text="Online work", formats="online_work")
    section = formats_per_meeting(project, Scope())
    assert section.tables[0].rows == [["Online check-out", 1, 1]]
    assert dict(section.figures)["Meetings with a reflection round"] == 0


def test_nothing_yet_and_nothing_tagged_say_so(project, facilitator, room):
    assert formats_per_meeting(project, Scope()).empty == "No reflection round has answers yet."
    round_ = create_round(project=project, created_by=facilitator, title="R")
    send(round_, room[0], "answer.post", text="No tags")
    section = formats_per_meeting(project, Scope())
    assert section.note == "No answer has been tagged with a learning format yet."
    assert section.charts == [] and section.tables == []


def test_the_dashboard_page_shows_the_formats_and_their_numbers(
    client_for, coordinator, project, facilitator, room
):
    meeting = make_meeting(project, title="Tampere", starts_on=date(2026, 3, 10))
    round_ = create_round(project=project, created_by=facilitator, title="R", meeting=meeting)
    send(round_, room[0], "answer.post", text="<b>Visit</b>", formats="study_visit")
    url = reverse("project_dashboard", args=[project.slug])
    page = client_for(coordinator).get(url).content.decode()
    assert TITLE in page
    assert "Learning formats named, per meeting" in page
    assert "<b>Visit</b>" not in page  # answers' words are not shown, only their counts
    page = client_for(coordinator).get(url + "?country=SE").content.decode()
    assert "No reflection round has answers yet." in page
