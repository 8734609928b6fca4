"""A survey's results: counts per answer, means and open answers (charts by jointlearn.charts)."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from jointlearn.charts import bar_chart

from .models import Answer, Choice, Question


@dataclass
class Bar:
    label: str
    count: int
    percent: float


@dataclass
class QuestionResult:
    question: Question
    text: str
    answered: int = 0
    mean: float | None = None
    bars: list = field(default_factory=list)
    texts: list = field(default_factory=list)

    @property
    def chart(self):
        """The bars drawn by jointlearn.charts, with the table of their numbers."""
        if not self.bars:
            return None
        return bar_chart(
            self.text, [(bar.label, bar.count) for bar in self.bars], value_label=_("People")
        )


def survey_results(survey, questions, *, language=None):
    """The results of every question, in a fixed number of queries."""
    ids = [q.pk for q in questions]
    numbers = {}
    for row in (
        Answer.objects.filter(question_id__in=ids, number__isnull=False)
        .values("question_id", "number")
        .annotate(count=Count("pk"))
    ):
        numbers.setdefault(row["question_id"], {})[row["number"]] = row["count"]
    choice_counts = dict(
        Choice.objects.filter(question_id__in=ids)
        .annotate(count=Count("answers"))
        .values_list("pk", "count")
    )
    answered = dict(
        Answer.objects.filter(question_id__in=ids)
        .values("question_id")
        .annotate(count=Count("pk"))
        .values_list("question_id", "count")
    )
    texts = {}
    for question_id, text in (
        Answer.objects.filter(question_id__in=ids)
        .exclude(text="")
        .order_by("question_id", "response_id")
        .values_list("question_id", "text")
    ):
        texts.setdefault(question_id, []).append(text)
    results = []
    for question in questions:
        result = QuestionResult(
            question=question,
            text=question.translated("text", language),
            answered=answered.get(question.pk, 0),
        )
        total = result.answered
        if question.is_scale:
            counts = numbers.get(question.pk, {})
            values = list(question.scale_range)
            low = question.translated("low_label", language)
            high = question.translated("high_label", language)
            for value in values:
                label = str(value)
                if value == values[0] and low:
                    label = f"{value} ({low})"
                elif value == values[-1] and high:
                    label = f"{value} ({high})"
                count = counts.get(value, 0)
                result.bars.append(Bar(label, count, percent(count, total)))
            if total:
                result.mean = sum(v * c for v, c in counts.items()) / total
        elif question.has_choices:
            for choice in question.choices.all():
                count = choice_counts.get(choice.pk, 0)
                result.bars.append(
                    Bar(choice.translated("text", language), count, percent(count, total))
                )
        else:
            result.texts = texts.get(question.pk, [])
        results.append(result)
    return results


def percent(count, total):
    return round(100 * count / total, 1) if total else 0.0


@dataclass
class StoredAnswer:
    number: int | None = None
    text: str = ""
    choice_ids: list = field(default_factory=list)


def answers_by_response(survey, responses=None):
    """{response id: {question id: StoredAnswer}} in two queries, for exports of many rows.

    Reading plain values instead of model instances and their many-to-many managers keeps an
    export of hundreds of responses fast.
    """
    answers = Answer.objects.filter(response__survey=survey)
    if responses is not None:
        answers = answers.filter(response__in=responses)
    table, by_answer = {}, {}
    for pk, response_id, question_id, number, text in answers.values_list(
        "pk", "response_id", "question_id", "number", "text"
    ):
        stored = StoredAnswer(number=number, text=text)
        table.setdefault(response_id, {})[question_id] = stored
        by_answer[pk] = stored
    picks = Answer.choices.through.objects.filter(answer__in=answers).order_by(
        "choice__position", "choice_id"
    )
    for answer_id, choice_id in picks.values_list("answer_id", "choice_id"):
        by_answer[answer_id].choice_ids.append(choice_id)
    return table
