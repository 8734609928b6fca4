from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from jointlearn.services import DomainError
from surveys import services
from surveys.models import Answer, Question, Response, Survey

from .factories import answers_for, make_survey, questions_of


def raw_rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - a model's own table name
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_anonymous_response_stores_no_link_to_the_person(project, participant):
    survey = make_survey(project, anonymous=True)
    services.submit_response(survey=survey, user=participant, answers=answers_for(survey))
    # The raw rows, not only the model: no column points at or names the person.
    (response,) = raw_rows(Response._meta.db_table)
    assert set(response) == {"id", "survey_id", "respondent_key", "user_id", "submitted_on"}
    assert response["user_id"] is None
    assert isinstance(response["submitted_on"], str) or not hasattr(
        response["submitted_on"], "hour"
    )
    answers = raw_rows(Answer._meta.db_table)
    stored = [str(value) for row in [response, *answers] for value in row.values()]
    for identifier in (participant.email, participant.display_name):
        assert not any(identifier in value for value in stored)
    # The key is found nowhere else in the database (no link table, no personal link).
    from surveys.models import SurveyLink

    assert not SurveyLink.objects.filter(token_hash=response["respondent_key"]).exists()


def test_named_response_is_linked_to_the_person(survey, participant):
    services.submit_response(survey=survey, user=participant, answers=answers_for(survey))
    assert Response.objects.get().user == participant


def test_second_response_with_the_same_token_edits_the_first(survey, participant):
    services.submit_response(survey=survey, user=participant, answers=answers_for(survey))
    services.submit_response(
        survey=survey, user=participant, answers=answers_for(survey, scale=2, text="Changed")
    )
    assert Response.objects.count() == 1
    q = questions_of(survey)
    assert Answer.objects.get(question=q["scale5"]).number == 2
    assert Answer.objects.get(question=q["text"]).text == "Changed"


def test_answering_after_close_is_refused(survey, participant):
    services.set_survey_open(survey=survey, is_open=False)
    with pytest.raises(services.SurveyClosed):
        services.submit_response(survey=survey, user=participant, answers=answers_for(survey))
    assert not Response.objects.exists()


def test_scale_answer_out_of_range_is_refused_and_nothing_saved(survey, participant):
    with pytest.raises(DomainError):
        services.submit_response(
            survey=survey, user=participant, answers=answers_for(survey, scale=6)
        )
    assert not Response.objects.exists()


def test_required_question_left_empty_is_refused(survey, participant):
    answers = answers_for(survey)
    answers[questions_of(survey)["scale5"].pk] = None
    with pytest.raises(DomainError, match="required"):
        services.submit_response(survey=survey, user=participant, answers=answers)
    assert not Response.objects.exists()


def test_outsider_cannot_answer(survey, outsider):
    with pytest.raises(DomainError):
        services.submit_response(survey=survey, user=outsider, answers=answers_for(survey))


def test_questions_reorder_and_lock_once_answered(survey, participant):
    first, second = list(survey.questions.order_by("position"))[:2]
    services.move_question(question=second, direction=-1)
    assert list(survey.questions.order_by("position"))[:2] == [second, first]
    services.submit_response(survey=survey, user=participant, answers=answers_for(survey))
    with pytest.raises(services.SurveyLocked):
        services.move_question(question=first, direction=-1)
    with pytest.raises(services.SurveyLocked):
        services.save_question(survey=survey, kind="text", text="Late", required=False)


def test_choice_question_needs_two_distinct_choices(survey):
    Response.objects.all().delete()
    with pytest.raises(DomainError):
        services.save_question(
            survey=survey, kind="single", text="Pick", required=False, choices=["Only"]
        )
    with pytest.raises(DomainError):
        services.save_question(
            survey=survey, kind="multiple", text="Pick", required=False, choices=["A", "a"]
        )


def test_translation_falls_back_to_the_original(survey):
    question = survey.questions.get(kind=Question.Kind.SCALE_5)
    services.save_translation(
        survey=survey,
        language="fi",
        texts={"title": "Palaute seminaarista", f"q{question.pk}": "Kuinka hyödyllinen?"},
    )
    survey.refresh_from_db()
    question.refresh_from_db()
    assert survey.translated("title", "fi") == "Palaute seminaarista"
    assert survey.translated("title", "sv") == "Feedback on the seminar"
    assert survey.translated("intro", "fi") == ""
    assert question.translated("text", "fi") == "Kuinka hyödyllinen?"
    assert question.translated("low_label", "fi") == "not at all"


def test_survey_states(project):
    survey = make_survey(project, open_now=False)
    assert survey.state() == Survey.State.DRAFT
    now = timezone.now()
    survey.opens_at, survey.closes_at = now + timedelta(days=1), now + timedelta(days=2)
    assert survey.state() == Survey.State.SCHEDULED
    survey.opens_at = now - timedelta(days=1)
    assert survey.state() == Survey.State.OPEN
    survey.closes_at = now - timedelta(minutes=1)
    assert survey.state() == Survey.State.CLOSED
