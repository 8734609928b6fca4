import csv
import io
import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from jointlearn.models import hash_token
from surveys import services
from surveys.models import Answer, Question, Response, Survey, SurveyLink

from ..factories import add_member, make_user
from .factories import answers_for, make_survey, post_data, questions_of


def answer_url(survey):
    return reverse(
        "survey_answer", kwargs={"project_slug": survey.project.slug, "survey_id": survey.pk}
    )


def test_coordinator_builds_a_survey_with_every_kind_of_question(client, project, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("survey_create", kwargs={"project_slug": project.slug}),
        {"title": "Follow-up", "language": "en", "intro": "Six months on."},
    )
    survey = Survey.objects.get()
    assert response.status_code == 302 and survey.meeting is None
    url = reverse("survey_detail", kwargs={"project_slug": project.slug, "survey_id": survey.pk})
    for kind, extra in [
        ("scale5", {"low_label": "no", "high_label": "yes"}),
        ("scale10", {}),
        ("single", {"choices": "Yes\nNo"}),
        ("multiple", {"choices": "A\nB\nC"}),
        ("text", {}),
    ]:
        response = client.post(url, {"kind": kind, "text": f"Question {kind}", **extra})
        assert response.status_code == 302, response.content
    assert [q.kind for q in survey.questions.all()] == [
        "scale5",
        "scale10",
        "single",
        "multiple",
        "text",
    ]
    assert survey.questions.get(kind="multiple").choices.count() == 3
    response = client.post(url, {"kind": "single", "text": "Too few", "choices": "Only one"})
    assert "Give at least two choices, one per line." in response.content.decode()


def test_builder_moves_and_removes_questions(client, survey, coordinator):
    client.force_login(coordinator)
    first, second = list(survey.questions.all())[:2]
    kwargs = {"project_slug": survey.project.slug, "survey_id": survey.pk}
    client.post(
        reverse("question_move", kwargs={**kwargs, "question_id": second.pk}),
        {"direction": "up"},
    )
    assert list(survey.questions.all())[:2] == [second, first]
    client.post(reverse("question_delete", kwargs={**kwargs, "question_id": first.pk}))
    assert not Question.objects.filter(pk=first.pk).exists()


def test_member_answers_and_changes_their_answers(client, survey, participant):
    client.force_login(participant)
    response = client.post(answer_url(survey), post_data(survey))
    assert response.status_code == 302
    response = client.get(answer_url(survey))
    page = response.content.decode()
    assert "Much about validation." in page and "Save my changes" in page
    client.post(answer_url(survey), post_data(survey, scale="2", text="Second thoughts"))
    assert Response.objects.count() == 1
    assert Answer.objects.get(question__kind="text").text == "Second thoughts"


def test_required_question_left_empty_keeps_the_other_answers(client, survey, participant):
    client.force_login(participant)
    data = post_data(survey, text="Kept on the form")
    del data[f"q{questions_of(survey)['scale5'].pk}"]
    response = client.post(answer_url(survey), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "This question needs an answer." in page
    assert "Kept on the form" in page
    assert re.search(r'value="9"[^>]*checked', page)
    assert not Response.objects.exists()


def test_answer_over_the_length_limit_is_refused(client, survey, participant):
    client.force_login(participant)
    response = client.post(answer_url(survey), post_data(survey, text="x" * 2001))
    assert response.status_code == 400
    assert "Keep your answer under 2000 characters (it has 2001)." in response.content.decode()
    assert not Response.objects.exists()


def test_scale_answer_out_of_range_is_refused(client, survey, participant):
    client.force_login(participant)
    response = client.post(answer_url(survey), post_data(survey, scale="6"))
    assert response.status_code == 400
    assert "Choose a number from 1 to 5." in response.content.decode()
    assert not Response.objects.exists()


def test_answering_after_close_is_refused_with_a_message(client, survey, participant):
    client.force_login(participant)
    services.set_survey_open(survey=survey, is_open=False)
    page = client.get(answer_url(survey)).content.decode()
    assert "This survey is closed" in page and "Send my answers" not in page
    response = client.post(answer_url(survey), post_data(survey))
    assert response.status_code == 409
    assert not Response.objects.exists()


def test_draft_survey_is_hidden_from_members(client, project, participant):
    survey = make_survey(project, open_now=False)
    client.force_login(participant)
    assert client.get(answer_url(survey)).status_code == 404
    page = client.get(reverse("survey_list", kwargs={"project_slug": project.slug}))
    assert survey.title not in page.content.decode()


def test_survey_is_shown_in_the_members_language(client, survey, participant):
    services.save_translation(survey=survey, language="fi", texts={"title": "Palaute"})
    participant.preferred_language = "fi"
    participant.save()
    client.force_login(participant)
    page = client.get(answer_url(survey)).content.decode()
    assert "<h1>Palaute</h1>" in page
    # Untranslated questions fall back to the original.
    assert "How useful was the seminar?" in page


def send_links(survey):
    tokens = []
    services.send_links(
        survey=survey,
        build_url=lambda s, token: tokens.append(token) or f"http://testserver/x/{token}",
    )
    return tokens


def test_follow_up_link_works_without_signing_in(
    client, project, participant, django_capture_on_commit_callbacks
):
    survey = make_survey(project)
    with django_capture_on_commit_callbacks(execute=True):
        tokens = send_links(survey)
    assert len(mail.outbox) == project.memberships.count()
    link = SurveyLink.objects.get(survey=survey, user=participant)
    token = next(t for t in tokens if hash_token(t) == link.token_hash)
    assert any(token in message.body for message in mail.outbox)
    url = reverse("survey_link", kwargs={"survey_id": survey.pk, "token": token})
    assert client.get(url).status_code == 200
    response = client.post(url, post_data(survey))
    assert response.status_code == 302
    assert Response.objects.get().user == participant
    # The same link again edits the same response.
    client.post(url, post_data(survey, text="Later"))
    assert Response.objects.count() == 1


def test_expired_follow_up_link_gets_a_clear_page(client, project, participant):
    survey = make_survey(project)
    tokens = send_links(survey)
    SurveyLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    url = reverse("survey_link", kwargs={"survey_id": survey.pk, "token": tokens[0]})
    response = client.get(url)
    assert response.status_code == 410
    assert "This survey link has expired." in response.content.decode()
    assert client.post(url, post_data(survey)).status_code == 410
    assert not Response.objects.exists()


def test_link_of_another_survey_gets_a_clear_page(client, project):
    first, second = make_survey(project), make_survey(project, title="Another")
    tokens = send_links(first)
    url = reverse("survey_link", kwargs={"survey_id": second.pk, "token": tokens[0]})
    response = client.get(url)
    assert response.status_code == 404
    assert "This link belongs to another survey." in response.content.decode()
    bad = reverse("survey_link", kwargs={"survey_id": first.pk, "token": "made-up"})
    assert "not valid" in client.get(bad).content.decode()


def test_csv_export_is_formula_safe(client, survey, coordinator, project):
    people = [add_member(project, user=make_user(display_name=f"=Name{i}")) for i in range(4)]
    for person, text in zip(people, ["=1+2", "+cmd", "-2", "@SUM(A1)"], strict=True):
        services.submit_response(survey=survey, user=person, answers=answers_for(survey, text=text))
    client.force_login(coordinator)
    response = client.get(
        reverse("survey_export", kwargs={"project_slug": project.slug, "survey_id": survey.pk})
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    texts = [row[-1] for row in rows[1:]]
    assert texts == ["'=1+2", "'+cmd", "'-2", "'@SUM(A1)"]
    assert [row[2] for row in rows[1:]] == [f"'=Name{i}" for i in range(4)]
    assert rows[0][4].startswith("Q1: How useful")


def test_results_page_draws_a_chart_with_a_table(
    client, survey, coordinator, project, django_assert_max_num_queries
):
    for number in range(3):
        person = add_member(project)
        services.submit_response(
            survey=survey,
            user=person,
            answers=answers_for(survey, scale=number + 3, text=f"T{number}"),
        )
    client.force_login(coordinator)
    url = reverse("survey_results", kwargs={"project_slug": project.slug, "survey_id": survey.pk})
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert page.count('<svg class="chart chart--bars"') == 4
    assert '<th scope="row">5 (very)</th><td>1</td>' in page
    assert "T0" in page and "T2" in page
    assert "4.0" in page  # the mean of 3, 4 and 5


def test_survey_list_query_count_does_not_grow(
    client, project, coordinator, django_assert_max_num_queries
):
    for number in range(6):
        make_survey(project, title=f"Survey {number}")
    client.force_login(coordinator)
    url = reverse("survey_list", kwargs={"project_slug": project.slug})
    with django_assert_max_num_queries(10):
        page = client.get(url).content.decode()
    assert "Survey 5" in page


def test_meeting_page_links_to_the_open_feedback_survey(client, survey, participant, meeting):
    client.force_login(participant)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Feedback survey" in page and answer_url(survey) in page


def test_project_home_lists_open_surveys_not_answered_yet(client, survey, participant, project):
    client.force_login(participant)
    home = reverse("project_home", kwargs={"project_slug": project.slug})
    assert "Survey to answer" in client.get(home).content.decode()
    services.submit_response(survey=survey, user=participant, answers=answers_for(survey))
    assert "Survey to answer" not in client.get(home).content.decode()


def test_question_edit_keeps_choice_translations_and_locks_after_answers(
    client, survey, coordinator, participant
):
    question = survey.questions.get(kind="single")
    first = question.choices.first()
    services.save_translation(survey=survey, language="fi", texts={f"c{first.pk}": "Päivä 1"})
    client.force_login(coordinator)
    kwargs = {
        "project_slug": survey.project.slug,
        "survey_id": survey.pk,
        "question_id": question.pk,
    }
    url = reverse("question_edit", kwargs=kwargs)
    response = client.post(
        url, {"kind": "single", "text": "Best day?", "choices": "Day 1\nDay 2\nDay 4"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "Best day?"
    assert [c.text for c in question.choices.all()] == ["Day 1", "Day 2", "Day 4"]
    assert question.choices.first().translated("text", "fi") == "Päivä 1"
    services.submit_response(survey=survey, user=participant, answers=answers_for(survey))
    response = client.post(url, {"kind": "text", "text": "Changed"})
    assert "questions can no longer change" in response.content.decode()
    question.refresh_from_db()
    assert question.kind == "single"


def test_my_data_holds_named_answers_and_consent_but_no_anonymous_answers(
    client, survey, project, participant
):
    from jointlearn import consent

    anonymous = make_survey(project, anonymous=True, title="Anonymous one")
    services.submit_response(
        survey=survey, user=participant, answers=answers_for(survey, text="NAMEDWORDS")
    )
    services.submit_response(
        survey=anonymous, user=participant, answers=answers_for(anonymous, text="ANONWORDS")
    )
    consent.record_decision(project=project, user=participant, given=True, context="profile")
    client.force_login(participant)
    data = client.get(reverse("my_data")).json()
    (response,) = data["surveys"]["survey_responses"]
    assert response["survey"] == survey.title
    assert {
        "question": "What did you gain?",
        "number": None,
        "text": "NAMEDWORDS",
        "choices": [],
    } in response["answers"]
    assert "ANONWORDS" not in str(data)
    assert data["jointlearn"]["research_consent"][0]["given"] is True
