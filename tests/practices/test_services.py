import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jointlearn.models import Role
from practices import services
from practices.models import Assignment, Comment, Evaluation, Practice, Score, Transfer

from ..factories import add_member
from .helpers import evaluate, full_scores, make_practice, reviewer


def test_default_rubric_has_six_criteria(project):
    names = [c.name for c in services.ensure_rubric(project=project)]
    assert names[0] == "Relevance to the target group"
    assert len(names) == 6
    assert len(services.ensure_rubric(project=project)) == 6


def test_practice_search_text_has_themes(practice):
    practice.refresh_from_db()
    assert "validation" in practice.search_text
    assert "care ambassadors" in practice.search_text


def test_partner_cannot_add_practice_of_another_organisation(project, erik, eva):
    with pytest.raises(services.NotAllowed):
        make_practice(project, eva, author=erik)
    assert not Practice.objects.exists()


def test_evaluation_saves_scores_and_country(practice, erik):
    evaluation = evaluate(practice, erik, value=5, transferability=3, strengths="Clear")
    assert evaluation.country == "SE"
    assert Score.objects.filter(evaluation=evaluation).count() == 6
    practice.refresh_from_db()
    assert practice.evaluation_count == 1
    assert practice.rating_mean is None


def test_rating_shows_from_three_evaluations(project, practice):
    for value in (5, 3, 4):
        evaluate(practice, reviewer(project, "FI"), value=value)
    practice.refresh_from_db()
    assert practice.evaluation_count == 3
    assert practice.rating_mean == 4.0


def test_evaluation_of_own_organisation_is_refused(project, practice, eva):
    colleague = add_member(project, role=Role.PARTNER, organisation=eva)
    with pytest.raises(services.NotAllowed, match="your own organisation"):
        evaluate(practice, colleague)
    assert not Evaluation.objects.exists()


def test_second_evaluation_by_same_person_changes_the_first(practice, erik):
    evaluate(practice, erik, value=2)
    evaluate(practice, erik, value=5)
    assert Evaluation.objects.count() == 1
    assert set(Score.objects.values_list("value", flat=True)) == {5}


def test_duplicate_evaluation_row_is_refused_by_constraint(practice, erik):
    evaluation = evaluate(practice, erik)
    duplicate = Evaluation(
        practice=practice,
        evaluator=erik,
        organisation=evaluation.organisation,
        country="SE",
        transferability=3,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    assert Evaluation.objects.count() == 1


@pytest.mark.parametrize("value", [0, 6, 99, -1])
def test_score_outside_scale_is_refused(practice, erik, value):
    scores = full_scores(practice.project)
    scores[next(iter(scores))] = value
    with pytest.raises(services.InvalidScores, match="between 1 and 5"):
        services.submit_evaluation(
            practice=practice, evaluator=erik, scores=scores, transferability=3
        )
    assert not Evaluation.objects.exists()


def test_missing_score_is_refused(practice, erik):
    scores = full_scores(practice.project)
    scores.popitem()
    with pytest.raises(services.InvalidScores):
        services.submit_evaluation(
            practice=practice, evaluator=erik, scores=scores, transferability=3
        )
    assert not Evaluation.objects.exists()


def test_draft_cannot_be_evaluated(project, eva, lotte, erik):
    draft = make_practice(project, eva, author=lotte, status=Practice.Status.DRAFT)
    with pytest.raises(services.NotAllowed):
        evaluate(draft, erik)


def open_round(project, practices, coordinator, **extra):
    return services.open_round(
        project=project,
        name="Spring round",
        practices=practices,
        deadline=extra.pop("deadline", timezone.now() + timedelta(days=7)),
        reviewers_per_practice=extra.pop("reviewers_per_practice", 2),
        created_by=coordinator,
    )


def test_round_assigns_reviewers_from_other_countries(project, practice, coordinator, erik):
    finn = reviewer(project, "FI")
    belgian = reviewer(project, "BE")
    evaluation_round = open_round(project, [practice], coordinator)
    assigned = set(evaluation_round.assignments.values_list("reviewer_id", flat=True))
    assert belgian.pk not in assigned
    assert len(assigned) == 2
    assert assigned <= {erik.pk, finn.pk, coordinator.pk}


def test_evaluating_after_round_closed_is_refused(project, practice, coordinator, erik):
    evaluation_round = open_round(project, [practice], coordinator, reviewers_per_practice=5)
    assert Assignment.objects.filter(reviewer=erik).exists()
    evaluate(practice, erik, value=3)
    services.close_round(evaluation_round=evaluation_round)
    with pytest.raises(services.EvaluationClosed, match="has closed"):
        evaluate(practice, erik, value=5)
    assert set(Score.objects.values_list("value", flat=True)) == {3}


def test_round_locks_at_deadline_without_anyone_closing_it(project, practice, coordinator, erik):
    evaluation_round = open_round(project, [practice], coordinator, reviewers_per_practice=5)
    evaluate(practice, erik)
    type(evaluation_round).objects.filter(pk=evaluation_round.pk).update(
        deadline=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(services.EvaluationClosed):
        evaluate(practice, erik, value=1)


def test_assigned_reviewer_cannot_start_after_round_closed(project, practice, coordinator, erik):
    evaluation_round = open_round(project, [practice], coordinator, reviewers_per_practice=5)
    services.close_round(evaluation_round=evaluation_round)
    with pytest.raises(services.EvaluationClosed):
        evaluate(practice, erik)
    assert not Evaluation.objects.exists()


def test_round_deadline_in_past_is_refused(project, practice, coordinator):
    with pytest.raises(services.DomainError, match="future"):
        open_round(project, [practice], coordinator, deadline=timezone.now() - timedelta(hours=1))


def test_reminders_go_to_reviewers_with_open_assignments(
    project, practice, coordinator, erik, django_capture_on_commit_callbacks
):
    finn = reviewer(project, "FI")
    evaluation_round = open_round(project, [practice], coordinator, reviewers_per_practice=5)
    evaluate(practice, erik)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_reminders(evaluation_round=evaluation_round, build_url=lambda: "u")
    assert sent == 2  # the Finn and the coordinator; Erik is done
    recipients = {message.to[0] for message in mail.outbox}
    assert finn.email in recipients
    assert erik.email not in recipients
    assert "Spring round" in mail.outbox[0].subject


def test_comment_notifies_owning_organisation(
    practice, erik, lotte, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.add_comment(
            practice=practice, author=erik, body="How long is the training?"
        )
    assert [m.to for m in mail.outbox] == [[lotte.email]]
    reply = services.add_comment(
        practice=practice, author=lotte, body="Six months.", parent=comment
    )
    nested = services.add_comment(practice=practice, author=erik, body="Thanks", parent=reply)
    assert nested.parent == comment  # one level of replies only


def test_comment_on_practice_of_another_project_is_refused(practice, outsider):
    with pytest.raises(services.NotAllowed):
        services.add_comment(practice=practice, author=outsider, body="Hello")
    assert not Comment.objects.exists()


def test_transfer_counts_organisations(project, practice, erik):
    services.record_transfer(
        practice=practice, created_by=erik, adapted="Shorter training", applied_on="2020-03-01"
    )
    services.record_transfer(
        practice=practice, created_by=erik, adapted="Second cohort", applied_on="2020-09-01"
    )
    practice.refresh_from_db()
    assert practice.transfer_count == 1
    assert Transfer.objects.count() == 2


def test_owner_cannot_record_transfer_of_own_practice(practice, lotte):
    with pytest.raises(services.NotAllowed):
        services.record_transfer(
            practice=practice, created_by=lotte, adapted="x", applied_on="2020-03-01"
        )


def test_rubric_criterion_with_scores_cannot_be_removed(project, practice, erik):
    evaluate(practice, erik)
    rows = [
        {"id": c.pk, "name": c.name, "help_text": "", "scale_max": 5, "weight": 1, "delete": True}
        for c in project.criteria.all()
    ]
    with pytest.raises(services.DomainError, match="already has scores"):
        services.save_rubric(project=project, criteria=rows)
    assert project.criteria.count() == 6


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_saving_at_the_same_moment_both_count(project, practice):
    if connection.vendor == "sqlite" and "memory" in connection.settings_dict["NAME"]:
        pytest.skip("needs a database file that two connections can share")
    people = [reviewer(project, "FI"), reviewer(project, "SE")]
    scores = full_scores(project)
    barrier = threading.Barrier(2)
    errors = []

    def save(person):
        try:
            barrier.wait()
            services.submit_evaluation(
                practice=practice, evaluator=person, scores=scores, transferability=4
            )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    practice.refresh_from_db()
    assert practice.evaluation_count == 2


def test_search_queries_keep_only_words_as_prefixes():
    from practices.search import fts5_query, tsquery

    typed = 'ambassador\'s "care" OR -x:* & (young) NEAR'
    assert tsquery(typed) == "ambassador:* & s:* & care:* & OR:* & x:* & young:* & NEAR:*"
    assert fts5_query(typed) == '"ambassador"* "s"* "care"* "OR"* "x"* "young"* "NEAR"*'
    assert tsquery("?!…") == fts5_query("?!…") == ""
