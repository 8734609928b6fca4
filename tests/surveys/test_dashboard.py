"""The dashboard's survey trends: a scale question asked again, its mean over time."""

from datetime import date

from django.urls import reverse

from jointlearn.dashboard import Scope
from jointlearn.models import Role
from surveys import services
from surveys.dashboard import survey_trends

from ..factories import add_member, make_organisation
from ..meetings.factories import make_meeting
from .factories import answers_for, make_survey


def seminar_survey(project, title, starts_on, **fields):
    meeting = make_meeting(project, title=title, starts_on=starts_on)
    return make_survey(project, meeting=meeting, title=f"Feedback {title}", **fields)


def respond(survey, user, scale):
    services.submit_response(survey=survey, user=user, answers=answers_for(survey, scale=scale))


def test_the_same_question_is_followed_across_meetings(project):
    finland = project.organisations.first()
    belgium = make_organisation(project, name="EVA bxl", country="BE")
    aino, eero = (add_member(project, role=Role.PARTICIPANT, organisation=finland) for _ in "ab")
    lotte = add_member(project, role=Role.PARTICIPANT, organisation=belgium)
    # Made out of order: the trend follows the meetings' dates.
    brussels = seminar_survey(project, "Brussels", date(2026, 9, 1))
    tampere = seminar_survey(project, "Tampere", date(2026, 3, 10))
    respond(tampere, aino, 3)
    respond(tampere, lotte, 5)
    respond(brussels, eero, 4)
    respond(brussels, lotte, 5)

    section = survey_trends(project, Scope())
    assert dict(section.figures) == {"Surveys opened": 2, "Responses": 4}
    five, ten = section.charts
    assert five.columns == ["", "Tampere", "Brussels"]
    assert five.rows == [["How useful was the seminar?", "4", "4.5"]]
    assert ten.rows == [["Would you recommend it?", "9", "9"]]
    assert section.tables[0].rows == [
        ["Feedback Tampere", "Tampere", 2],
        ["Feedback Brussels", "Brussels", 2],
    ]

    belgian = survey_trends(project, Scope(country="BE"))
    assert belgian.charts[0].rows == [["How useful was the seminar?", "5", "5"]]
    assert dict(belgian.figures)["Responses"] == 2
    finnish = survey_trends(project, Scope(organisation=finland))
    assert finnish.charts[0].rows == [["How useful was the seminar?", "3", "4"]]


def test_same_words_count_as_the_same_question_whatever_the_case_and_spacing(project):
    member = add_member(project, role=Role.PARTICIPANT)
    first = seminar_survey(project, "Tampere", date(2026, 3, 10), questions=False)
    second = seminar_survey(project, "Brussels", date(2026, 9, 1), questions=False)
    q1 = services.save_question(survey=first, kind="scale5", text="Did you learn?", required=False)
    q2 = services.save_question(
        survey=second, kind="scale5", text="  did you   LEARN? ", required=False
    )
    other = services.save_question(
        survey=second, kind="scale10", text="Did you learn?", required=False
    )
    for survey in (first, second):
        services.set_survey_open(survey=survey, is_open=True)
    services.submit_response(survey=first, user=member, answers={q1.pk: 2})
    services.submit_response(survey=second, user=member, answers={q2.pk: 4, other.pk: 8})
    section = survey_trends(project, Scope())
    # The 0-10 question is another scale: asked once, it makes no trend.
    assert len(section.charts) == 1
    assert section.charts[0].rows == [["Did you learn?", "2", "4"]]


def test_anonymous_answers_count_only_unfiltered(project):
    member = add_member(project, role=Role.PARTICIPANT)
    first = seminar_survey(project, "Tampere", date(2026, 3, 10), anonymous=True)
    second = seminar_survey(project, "Brussels", date(2026, 9, 1), anonymous=True)
    respond(first, member, 2)
    respond(second, member, 4)
    assert survey_trends(project, Scope()).charts[0].rows[0] == [
        "How useful was the seminar?",
        "2",
        "4",
    ]
    filtered = survey_trends(project, Scope(country="FI"))
    assert filtered.charts == []
    assert filtered.tables[0].rows == [
        ["Feedback Tampere", "Tampere", 0],
        ["Feedback Brussels", "Brussels", 0],
    ]


def test_a_follow_up_survey_joins_the_trend_and_one_survey_makes_none(project):
    member = add_member(project, role=Role.PARTICIPANT)
    feedback = seminar_survey(project, "Tampere", date(2026, 3, 10))
    respond(feedback, member, 3)
    section = survey_trends(project, Scope())
    assert section.charts == []
    assert section.note.startswith("A trend appears when a scale question is asked again")
    follow_up = make_survey(project, title="Six months on")
    respond(follow_up, member, 5)
    section = survey_trends(project, Scope())
    assert section.charts[0].columns == ["", "Tampere", "Six months on"]
    assert section.tables[0].rows[1] == ["Six months on", "Follow-up of the project", 1]


def test_drafts_are_not_counted_and_no_survey_says_so(project):
    assert survey_trends(project, Scope()).empty == "No survey has been opened yet."
    make_survey(project, open_now=False)
    assert survey_trends(project, Scope()).empty == "No survey has been opened yet."


def test_the_dashboard_page_shows_the_trend(client_for, coordinator, project):
    member = add_member(project, role=Role.PARTICIPANT)
    for title, day in (("Tampere", date(2026, 3, 10)), ("Brussels", date(2026, 9, 1))):
        respond(seminar_survey(project, title, day), member, 4)
    page = client_for(coordinator).get(reverse("project_dashboard", args=[project.slug]))
    content = page.content.decode()
    assert "Survey trends" in content
    assert "Mean answer over time (scale from 1 to 5)" in content
    assert "Responses per survey" in content
