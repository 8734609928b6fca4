"""A survey's results for the shared output formats (jointlearn/outputs.py): one row per
response, one column per question, and a chart per question with answers to count."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from jointlearn import outputs
from jointlearn.models import Membership

from .models import Choice
from .results import answers_by_response, survey_results


def questions_of(survey):
    return list(
        survey.questions.prefetch_related(Prefetch("choices", queryset=Choice.objects.all()))
    )


def export(survey, questions):
    """The results in the shape of `protocol.Kind.export`."""
    responses = list(survey.responses.select_related("user"))
    answers = answers_by_response(survey)
    choice_texts = {c.pk: c.text for q in questions for c in q.choices.all()}
    columns = [f"Q{number}: {q.text}" for number, q in enumerate(questions, start=1)]
    organisations = {}
    if not survey.anonymous:
        organisations = {
            m.user_id: str(m.organisation or "")
            for m in Membership.objects.filter(project=survey.project).select_related(
                "organisation"
            )
        }
    rows = []
    for number, item in enumerate(responses, start=1):
        row = {"response": number, "answered_on": item.submitted_on.isoformat()}
        if not survey.anonymous:
            row["name"] = str(item.user or "")
            row["organisation"] = organisations.get(item.user_id, "")
        by_question = answers.get(item.pk, {})
        for column, question in zip(columns, questions, strict=True):
            answer = by_question.get(question.pk)
            if answer is None:
                row[column] = ""
            elif answer.number is not None:
                row[column] = answer.number
            elif question.has_choices:
                row[column] = "; ".join(choice_texts[pk] for pk in answer.choice_ids)
            else:
                row[column] = answer.text
        rows.append(row)
    people = [] if survey.anonymous else ["name", "organisation"]
    return {
        "activity": {
            "anonymous": survey.anonymous,
            "meeting": str(survey.meeting or ""),
            "questions": [
                {"number": n, "text": q.text, "kind": q.kind}
                for n, q in enumerate(questions, start=1)
            ],
        },
        "json": {"responses": rows},
        "csv_fields": ["response", "answered_on", *people, *columns],
        "csv_rows": rows,
    }


def survey_output(survey, *, language=None):
    questions = questions_of(survey)
    charts = [
        outputs.bars(result.text, [(bar.label, bar.count) for bar in result.bars])
        for result in survey_results(survey, questions, language=language)
        if result.bars and result.answered
    ]
    return outputs.from_results(
        project=survey.project,
        title=survey.title,
        kind="survey",
        kind_label=_("Survey"),
        results=export(survey, questions),
        audience=outputs.FACILITATORS,
        charts=charts,
    )
