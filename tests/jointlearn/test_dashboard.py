"""The learning dashboard: attendance, practices and evaluations over time, by scope."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from jointlearn.charts import bar_chart, line_chart
from jointlearn.live import protocol
from jointlearn.models import Role
from meetings.models import Registration
from practices import services as practice_services
from reflections.rounds import create_round
from surveys import services as survey_services

from ..factories import add_member, make_organisation, make_project
from ..learningcafe.factories import facilitator_actor, make_cafe, reload, table_of
from ..learningcafe.factories import op as cafe_op
from ..meetings.factories import make_meeting
from ..practices.helpers import evaluate, make_practice
from ..surveys.factories import answers_for, make_survey


def dashboard_url(project, **filters):
    url = reverse("project_dashboard", args=[project.slug])
    if filters:
        url += "?" + "&".join(f"{key}={value}" for key, value in filters.items())
    return url


def attended(meeting, member, checked_in=True):
    """A registration of a meeting that has taken place (registration has closed)."""
    membership = meeting.project.memberships.get(user=member)
    return Registration.objects.create(
        meeting=meeting,
        user=member,
        organisation=membership.organisation,
        status=Registration.Status.CONFIRMED,
        checked_in_at=timezone.now() if checked_in else None,
    )


def section_titled(response, title):
    return next(section for section in response.context["sections"] if section.title == title)


def people(project):
    """Two Finnish members of one organisation and one Belgian member."""
    tampere = make_organisation(project, name="TAMK", country="FI")
    brussels = make_organisation(project, name="EVA bxl", country="BE")
    return {
        "tampere": tampere,
        "brussels": brussels,
        "aino": add_member(project, organisation=tampere),
        "eero": add_member(project, organisation=tampere),
        "lotte": add_member(project, organisation=brussels),
    }


def test_attendance_by_country_organisation_and_meeting(client_for, coordinator, project):
    world = people(project)
    past = make_meeting(project, title="Tampere", starts_on=date(2026, 3, 10))
    online = make_meeting(project, title="Online", starts_on=date(2026, 5, 5))
    make_meeting(project, title="Brussels", starts_on=timezone.localdate() + timedelta(days=40))
    for member in ("aino", "eero", "lotte"):
        attended(past, world[member])
    attended(online, world["aino"])
    attended(online, world["lotte"], checked_in=False)

    response = client_for(coordinator).get(dashboard_url(project))
    assert dict(section_titled(response, "Partnership").figures) == {
        "Organisations": 3,  # with the coordinator's
        "Countries": 2,
        "Members": 4,
    }
    section = section_titled(response, "Meetings and attendance")
    assert dict(section.figures) == {"Meetings held": 2, "Registered": 5, "Attended": 4}
    assert section.charts[0].rows == [["Finland", "3"], ["Belgium", "1"]]
    assert section.tables[0].rows == [["Tampere", 3, 3], ["Online", 2, 1]]
    assert section.tables[1].rows == [["EVA bxl", 1], ["TAMK", 3]]

    response = client_for(coordinator).get(dashboard_url(project, country="BE"))
    section = section_titled(response, "Meetings and attendance")
    assert dict(section.figures)["Attended"] == 1
    assert section.tables[0].rows == [["Tampere", 1, 1], ["Online", 1, 0]]


def test_practices_and_mean_scores_over_rounds(client_for, coordinator, project):
    world = people(project)
    practice = make_practice(project, world["tampere"], title="Ohjaamo one-stop guidance")
    other = make_practice(project, world["brussels"], title="Duo for a Job")
    practice_services.record_transfer(
        practice=practice,
        adapted="A desk at the youth centre",
        applied_on=date(2026, 4, 1),
        created_by=world["lotte"],
    )
    evaluate(practice, world["lotte"], value=4)
    evaluate(other, world["aino"], value=2)
    evaluate(other, world["eero"], value=4)

    response = client_for(coordinator).get(dashboard_url(project))
    sections = {section.title: section for section in response.context["sections"]}
    figures = dict(sections["Practices"].figures)
    assert (figures["Published"], figures["Evaluated"], figures["Evaluations"]) == (2, 2, 3)
    assert figures["Applied elsewhere"] == 1
    chart = sections["Mean evaluation per criterion over time"].charts[0]
    # One period (every evaluation is of this quarter): bars, a mean per criterion.
    assert len(chart.rows) == 6
    assert all(row[1] == "3.3" for row in chart.rows)  # (4 + 2 + 4) / 3 on every criterion

    response = client_for(coordinator).get(
        dashboard_url(project, organisation=world["brussels"].pk)
    )
    sections = {section.title: section for section in response.context["sections"]}
    assert dict(sections["Practices"].figures)["Published"] == 1
    chart = sections["Mean evaluation per criterion over time"].charts[0]
    assert all(row[1] == "3" for row in chart.rows)


def test_an_empty_project_says_what_is_missing(client_for, coordinator, project):
    page = client_for(coordinator).get(dashboard_url(project)).content.decode()
    assert "No meeting has taken place yet." in page
    assert "No practice has been published yet." in page
    assert "No evaluation yet." in page


def test_an_organisation_of_another_project_is_refused_plainly(client_for, coordinator, project):
    stranger = make_organisation(make_project(), name="Elsewhere", country="SE")
    response = client_for(coordinator).get(dashboard_url(project, organisation=stranger.pk))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert response.context["scope"].is_filtered is False


def test_every_member_reads_it_and_the_nav_links_it(client_for, project):
    participant = add_member(project, role=Role.PARTICIPANT)
    response = client_for(participant).get(dashboard_url(project))
    assert response.status_code == 200
    assert dashboard_url(project) in response.content.decode()


def member(project, user):
    return protocol.Actor(
        membership=project.memberships.select_related("user", "organisation").get(user=user)
    )


def fill(project, world, first, count):
    """`count` more of everything the dashboard counts: meetings with attendance, practices
    with evaluations, reflection rounds with answers, surveys with responses, cafés with
    notes and votes."""
    coordinator = project.memberships.get(role=Role.COORDINATOR).user
    people = [member(project, world[name]) for name in ("aino", "eero", "lotte")]
    for number in range(first, first + count):
        meeting = make_meeting(project, title=f"M{number}", starts_on=date(2026, 1, 1 + number))
        attended(meeting, world["aino"])
        practice = make_practice(project, world["tampere"])
        evaluate(practice, world["lotte"])
        round_ = create_round(
            project=project, created_by=coordinator, title=f"R{number}", meeting=meeting
        )
        for actor in people:
            protocol.apply_op(
                activity_id=round_.pk,
                actor=actor,
                op_id=f"answer-{number}-{actor.key}",
                op="answer.post",
                data={"text": "The visit", "formats": "study_visit,peer_discussion"},
            )
        survey = make_survey(project, meeting=meeting, title=f"S{number}")
        for name in ("aino", "lotte"):
            survey_services.submit_response(
                survey=survey, user=world[name], answers=answers_for(survey)
            )
        cafe = make_cafe(project, title=f"C{number}")
        for actor in people:
            cafe_op(cafe, actor, "cafe.join")
        cafe_op(cafe, facilitator_actor(project), "cafe.start", expected_round=0)
        cafe = reload(cafe)
        for actor in people:
            cafe_op(cafe, actor, "note.post", table_id=table_of(cafe, actor), text="Peers")


# The page and the core, meetings and practices sections took 16 (one query finds the
# project and the membership); reflection rounds add 2
# (answers with their meeting, the meetings' titles), cafés 3 (cafés held, participants by
# country, notes) and surveys 2 (surveys with their responses, means of scale answers).
DASHBOARD_QUERIES = 23


def test_queries_do_not_grow_with_data(client_for, coordinator, project, django_assert_num_queries):
    world = people(project)
    fill(project, world, 0, 3)
    client = client_for(coordinator)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        client.get(dashboard_url(project))
    fill(project, world, 3, 3)  # twice the data
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(dashboard_url(project))
    sections = {section.title: section for section in response.context["sections"]}
    assert dict(sections["Learning cafés"].figures)["Cafés held"] == 6
    assert dict(sections["Survey trends"].figures)["Responses"] == 12
    assert sections["Learning formats named in reflection rounds"].tables[0].rows[0][1:] == [
        3,
        3,
        3,
    ]
    with django_assert_num_queries(DASHBOARD_QUERIES + 1):  # the scope's organisation
        client.get(dashboard_url(project, organisation=world["tampere"].pk))


def test_charts_escape_what_people_typed():
    chart = bar_chart("<b>", [("<script>alert(1)</script>", 3)])
    assert "<script>" not in chart.svg and "&lt;script&gt;" in chart.svg
    chart = line_chart("t", ["<i>"], {"<img src=x>": [2]}, maximum=5)
    assert "<img" not in chart.svg and "&lt;img" in chart.svg
    assert chart.rows == [["<img src=x>", "2"]]  # the table is escaped by the template


def test_every_section_shows_something_on_the_demo_project(client, db):
    from io import StringIO

    from django.core.management import call_command

    from jointlearn.models import Project

    call_command("seed_demo", "--accounts", stdout=StringIO())
    eme = Project.objects.get(slug="eme")
    coordinator = eme.memberships.get(role=Role.COORDINATOR).user
    coordinator.preferred_language = "en"  # the demo's coordinator reads another language
    coordinator.save(update_fields=["preferred_language"])
    client.force_login(coordinator)
    response = client.get(dashboard_url(eme))
    sections = {section.title: section for section in response.context["sections"]}
    for title in (
        "Learning formats named in reflection rounds",
        "Survey trends",
        "Learning cafés",
    ):
        assert not sections[title].empty, title
        assert sections[title].charts, title
    formats = sections["Learning formats named in reflection rounds"]
    assert [row[0] for row in formats.tables[0].rows][:2] == [
        "Seminar in Tampere: recognising skills on the way into work",
        "Webinar: trade unions and diversity at work",
    ]
    trend = sections["Survey trends"].charts[0]
    assert trend.rows[0][0] == "How useful was the seminar for your work?"
    assert all(value != "–" for value in trend.rows[0][1:])
    assert sections["Learning cafés"].tables[0].rows


def test_meeting_titles_are_shortened_on_axes_only():
    from jointlearn.dashboard import short_title

    assert short_title("Seminar in Tampere: recognising skills") == "Seminar in Tampere"
    assert short_title("Online check-out") == "Online check-out"
    assert short_title(": a title that starts with a colon") == ": a title that starts with a colon"


def test_line_chart_labels_stay_inside_and_ticks_can_be_chosen():
    chart = line_chart(
        "t", ["First", "Middle", "Last"], {"a": [1, None, 30]}, maximum=30, ticks=range(0, 31, 10)
    )
    assert 'text-anchor="start" class="chart__label">First' in chart.svg
    assert 'text-anchor="middle" class="chart__label">Middle' in chart.svg
    assert 'text-anchor="end" class="chart__label">Last' in chart.svg
    values = [part.split("<")[0] for part in chart.svg.split('class="chart__value">')[1:]]
    assert values == ["0", "10", "20", "30"]
    assert chart.rows == [["a", "1", "–", "30"]]
