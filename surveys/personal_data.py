"""What surveys keep about a member: their answers to named surveys and their personal links.

Answers to anonymous surveys are stored without the person, so they are not part of it.
"""

from jointlearn.personal_data import when

from .models import Response, SurveyLink
from .results import answers_by_response


def export(user):
    responses = []
    for response in Response.objects.filter(user=user).select_related("survey__project"):
        survey = response.survey
        stored = answers_by_response(survey, [response]).get(response.pk, {})
        answers = []
        for question in survey.questions.prefetch_related("choices"):
            answer = stored.get(question.pk)
            if answer is None:
                continue
            choices = {c.pk: c.text for c in question.choices.all()}
            answers.append(
                {
                    "question": question.text,
                    "number": answer.number,
                    "text": answer.text,
                    "choices": [choices[pk] for pk in answer.choice_ids],
                }
            )
        responses.append(
            {
                "survey": survey.title,
                "project": survey.project.name,
                "answered_on": response.submitted_on.isoformat(),
                "answers": answers,
            }
        )
    return {
        "survey_responses": responses,
        "survey_links": [
            {
                "survey": link.survey.title,
                "sent": when(link.sent_at),
                "expires": when(link.expires_at),
            }
            for link in SurveyLink.objects.filter(user=user).select_related("survey")
        ],
    }
