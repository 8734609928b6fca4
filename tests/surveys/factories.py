"""Surveys for tests, built through the services."""

from surveys import services


def make_survey(project, *, questions=True, open_now=True, **fields):
    fields.setdefault("title", "Feedback on the seminar")
    survey = services.save_survey(project=project, **fields)
    if questions:
        services.save_question(
            survey=survey,
            kind="scale5",
            text="How useful was the seminar?",
            required=True,
            low_label="not at all",
            high_label="very",
        )
        services.save_question(
            survey=survey, kind="scale10", text="Would you recommend it?", required=False
        )
        services.save_question(
            survey=survey,
            kind="single",
            text="Which day was best?",
            required=False,
            choices=["Day 1", "Day 2", "Day 3"],
        )
        services.save_question(
            survey=survey,
            kind="multiple",
            text="What helped you learn?",
            required=False,
            choices=["Study visit", "Pitches", "Learning café"],
        )
        services.save_question(
            survey=survey, kind="text", text="What did you gain?", required=False
        )
    if open_now:
        services.set_survey_open(survey=survey, is_open=True)
    survey.refresh_from_db()
    return survey


def questions_of(survey):
    return {q.kind: q for q in survey.questions.prefetch_related("choices")}


def answers_for(survey, *, scale=4, text="Much about validation.", picks=(0,)):
    q = questions_of(survey)
    multiple = list(q["multiple"].choices.all())
    return {
        q["scale5"].pk: scale,
        q["scale10"].pk: 9,
        q["single"].pk: q["single"].choices.first().pk,
        q["multiple"].pk: [multiple[i].pk for i in picks],
        q["text"].pk: text,
    }


def post_data(survey, *, scale="4", text="Much about validation.", picks=(0,)):
    q = questions_of(survey)
    multiple = list(q["multiple"].choices.all())
    return {
        f"q{q['scale5'].pk}": scale,
        f"q{q['scale10'].pk}": "9",
        f"q{q['single'].pk}": str(q["single"].choices.first().pk),
        f"q{q['multiple'].pk}": [str(multiple[i].pk) for i in picks],
        f"q{q['text'].pk}": text,
    }
