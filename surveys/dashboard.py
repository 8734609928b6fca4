"""What surveys add to the learning dashboard: responses per survey, and the trend of a scale
question asked again in later surveys (the same text and scale), its mean over time."""

from collections import defaultdict

from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from jointlearn.charts import line_chart
from jointlearn.dashboard import Section, Table, short_title
from jointlearn.models import Membership

from .models import Answer, Question, Survey

SCALE_TOP = {Question.Kind.SCALE_5: 5, Question.Kind.SCALE_10: 10}
SCALE_TICKS = {Question.Kind.SCALE_5: range(0, 6), Question.Kind.SCALE_10: range(0, 11, 2)}


def sections(project, scope):
    return [survey_trends(project, scope)]


def same_question(text):
    """Two questions are the same when their words are, whatever the spacing and case."""
    return " ".join(text.split()).casefold()


def in_scope(project, scope, user_field):
    """A filter on responses (through `user_field`) to members of the organisations in scope.

    Responses to anonymous surveys belong to nobody known, so a filtered dashboard leaves
    them out."""
    return Exists(
        Membership.objects.filter(
            project=project,
            user_id=OuterRef(user_field),
            organisation__in=scope.organisations(project),
        )
    )


def survey_label(survey):
    return short_title(survey.meeting.title if survey.meeting else survey.title)


def survey_date(survey):
    if survey.meeting:
        return survey.meeting.starts_on
    return (survey.opens_at or survey.created_at).date()


def survey_trends(project, scope):
    section = Section(title=_("Survey trends"))
    responses = Q(responses__isnull=False)
    if scope.is_filtered:
        responses = Q(
            responses__user__memberships__project=project,
            responses__user__memberships__organisation__in=scope.organisations(project),
        )
    surveys = sorted(
        Survey.objects.filter(project=project, opens_at__isnull=False)
        .select_related("meeting")
        .annotate(responded=Count("responses", filter=responses, distinct=True)),
        key=lambda survey: (survey_date(survey), survey.pk),
    )
    if not surveys:
        section.empty = _("No survey has been opened yet.")
        return section
    answers = Answer.objects.filter(
        question__survey__project=project,
        question__kind__in=list(SCALE_TOP),
        number__isnull=False,
    )
    if scope.is_filtered:
        answers = answers.filter(in_scope(project, scope, "response__user_id"))
    means = answers.values("question__survey_id", "question__text", "question__kind").annotate(
        mean=Avg("number"), count=Count("pk")
    )
    # (kind, question) -> survey id -> (mean, answers); the text as the earliest survey has it.
    asked = defaultdict(dict)
    texts = {}
    position = {survey.pk: index for index, survey in enumerate(surveys)}
    for row in sorted(
        means, key=lambda row: position.get(row["question__survey_id"], len(surveys))
    ):
        key = (row["question__kind"], same_question(row["question__text"]))
        texts.setdefault(key, row["question__text"])
        total, count = asked[key].get(row["question__survey_id"], (0.0, 0))
        asked[key][row["question__survey_id"]] = (
            total + row["mean"] * row["count"],
            count + row["count"],
        )
    section.figures = [
        (_("Surveys opened"), len(surveys)),
        (_("Responses"), sum(survey.responded for survey in surveys)),
    ]
    for kind, top in SCALE_TOP.items():
        repeated = {
            key: by_survey
            for key, by_survey in asked.items()
            if key[0] == kind and len(by_survey) > 1
        }
        if not repeated:
            continue
        shown = [survey for survey in surveys if any(survey.pk in r for r in repeated.values())]
        series = {}
        for key, by_survey in sorted(repeated.items(), key=lambda item: texts[item[0]]):
            values = []
            for survey in shown:
                total, count = by_survey.get(survey.pk, (0.0, 0))
                values.append(round(total / count, 2) if count else None)
            series[texts[key]] = values
        title = (
            _("Mean answer over time (scale from 1 to 5)")
            if kind == Question.Kind.SCALE_5
            else _("Mean answer over time (scale from 0 to 10)")
        )
        section.charts.append(
            line_chart(
                title,
                [survey_label(survey) for survey in shown],
                series,
                maximum=top,
                ticks=SCALE_TICKS[kind],
            )
        )
    if not section.charts:
        section.note = _(
            "A trend appears when a scale question is asked again, with the same words, "
            "in a later survey."
        )
    else:
        section.note = _(
            "Scale questions asked with the same words in several surveys, their mean per "
            "survey. Anonymous answers are counted only when no country or organisation "
            "is chosen."
        )
    section.tables.append(
        Table(
            caption=_("Responses per survey"),
            columns=[_("Survey"), _("Meeting"), _("Responses")],
            rows=[
                [
                    survey.title,
                    survey.meeting.title if survey.meeting else _("Follow-up of the project"),
                    survey.responded,
                ]
                for survey in surveys
            ],
        )
    )
    return section
