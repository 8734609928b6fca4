"""The surveys' part of the research export: one table per survey, consenting people only.

Answers to an anonymous survey carry no pseudonym; they are included when the person who
gave them has agreed, which the respondent key lets the export check without storing a link.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from jointlearn.models import User
from jointlearn.research import Table, Variable

from .models import Choice, Question, Survey
from .results import answers_by_response
from .services import respondent_key


def research_tables(export):
    surveys = (
        Survey.objects.filter(project=export.project)
        .select_related("meeting")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.prefetch_related(
                    Prefetch("choices", queryset=Choice.objects.all())
                ),
            )
        )
        .order_by("pk")
    )
    people = list(User.objects.filter(pk__in=export.consenting).only("pk"))
    return [survey_table(export, survey, people) for survey in surveys]


def question_variables(number, question):
    name = f"q{number}"
    if question.is_scale:
        low, high = question.scale_range[0], question.scale_range[-1]
        values = f"{low}–{high}"
        if question.low_label or question.high_label:
            values += f" ({low} = {question.low_label}, {high} = {question.high_label})"
        return [Variable(name, "integer", _("Scale answer"), values, question.text)]
    choices = list(question.choices.all())
    if question.kind == Question.Kind.SINGLE:
        values = "; ".join(f"{i} = {c.text}" for i, c in enumerate(choices, start=1))
        return [Variable(name, "integer", _("One choice, by its number"), values, question.text)]
    if question.kind == Question.Kind.MULTIPLE:
        return [
            Variable(
                f"{name}_{i}",
                "boolean",
                _("Several choices: was this one chosen"),
                "1 = chosen, 0 = not chosen",
                f"{question.text} — {choice.text}",
            )
            for i, choice in enumerate(choices, start=1)
        ]
    return [Variable(name, "text", _("Open answer (names removed)"), "", question.text)]


def survey_table(export, survey, people):
    questions = list(survey.questions.all())
    variables = [
        Variable("response", "integer", _("Number of the response in this table")),
        Variable(
            "person",
            "string",
            _("Pseudonym of the respondent; empty in an anonymous survey"),
        ),
        Variable("country", "string", _("Country of the respondent's organisation (ISO)")),
        Variable("answered_on", "date", _("Day of the last change to the answers")),
    ]
    for number, question in enumerate(questions, start=1):
        variables += question_variables(number, question)
    responses = survey.responses.order_by("pk")
    if survey.anonymous:
        keys = {respondent_key(survey, person) for person in people}
        responses = responses.filter(respondent_key__in=keys)
    else:
        responses = responses.filter(user_id__in=export.consenting)
    responses = list(responses)
    answers = answers_by_response(survey, responses)
    rows = []
    for index, response in enumerate(responses, start=1):
        row = {"response": index, "answered_on": response.submitted_on.isoformat()}
        if not survey.anonymous:
            row["person"] = export.pseudonym(response.user_id)
            row["country"] = export.country_of(response.user_id)
        given = answers.get(response.pk, {})
        for number, question in enumerate(questions, start=1):
            answer = given.get(question.pk)
            choices = list(question.choices.all())
            if question.kind == Question.Kind.MULTIPLE:
                for i, choice in enumerate(choices, start=1):
                    row[f"q{number}_{i}"] = (
                        (1 if choice.pk in answer.choice_ids else 0) if answer else ""
                    )
            elif answer is None:
                row[f"q{number}"] = ""
            elif question.is_scale:
                row[f"q{number}"] = answer.number
            elif question.kind == Question.Kind.SINGLE:
                row[f"q{number}"] = next(
                    (i for i, c in enumerate(choices, start=1) if c.pk in answer.choice_ids), ""
                )
            else:
                row[f"q{number}"] = export.redact(answer.text)
        rows.append(row)
    kind = (
        _("feedback on %(meeting)s") % {"meeting": survey.meeting}
        if survey.meeting
        else _("follow-up of the project")
    )
    return Table(
        f"survey_{survey.pk}",
        _("Survey “%(title)s” (%(kind)s)") % {"title": survey.title, "kind": kind},
        variables,
        rows,
    )
