"""Demo surveys of the EME project: feedback on the Tampere seminar with its answers, a
follow-up of the project that is open now, and consent decisions of most demo members.
Idempotent: what exists already is left as it is."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from jointlearn.models import ConsentDecision, Membership, User
from meetings.models import Meeting

from . import services
from .models import Response, Survey

TAMPERE = "Seminar in Tampere: recognising skills on the way into work"
FEEDBACK_TITLE = "Feedback on the Tampere seminar"
FOLLOW_UP_TITLE = "Six months on: what has changed in your work?"

FEEDBACK_QUESTIONS = [
    # (kind, text, required, low, high, choices, {language: (text, low, high, choices)})
    (
        "scale5",
        "How useful was the seminar for your work?",
        True,
        "not useful",
        "very useful",
        [],
        {
            "fi": ("Kuinka hyödyllinen seminaari oli työllesi?", "ei hyödyllinen", "erittäin"),
            "sv": ("Hur användbart var seminariet för ditt arbete?", "inte alls", "mycket"),
            "nl": ("Hoe nuttig was het seminarie voor je werk?", "niet nuttig", "heel nuttig"),
        },
    ),
    (
        "single",
        "Which day did you learn the most on?",
        False,
        "",
        "",
        ["Day 1: study visits", "Day 2: pitches", "Day 3: learning café"],
        {"fi": ("Minä päivänä opit eniten?",), "sv": ("Vilken dag lärde du dig mest?",)},
    ),
    (
        "multiple",
        "Which ways of learning worked for you?",
        False,
        "",
        "",
        ["Lecture", "Study visit", "Pitches", "Learning café", "City tour", "Peer discussion"],
        {"fi": ("Mitkä oppimisen tavat toimivat sinulle?",)},
    ),
    (
        "scale10",
        "How likely are you to recommend the next seminar to a colleague?",
        True,
        "not at all likely",
        "extremely likely",
        [],
        {
            "sv": (
                "Hur troligt är det att du rekommenderar nästa seminarium?",
                "inte alls",
                "mycket",
            )
        },
    ),
    (
        "text",
        "What will you take home to your organisation?",
        False,
        "",
        "",
        [],
        {"fi": ("Mitä viet kotiin omaan organisaatioosi?",), "nl": ("Wat neem je mee naar huis?",)},
    ),
]

TAKE_HOME = [
    "The step-by-step recognition of prior learning at TAKK: we will try it with our cooks.",
    "Mikko Laine's study visit showed how employers can test skills at the workplace.",
    "Pitches in pairs from different countries: much easier to ask questions.",
    "",
    "A checklist for the first week of a job-seeker in our service.",
    "Language cafés before working-life Finnish courses.",
]

ONLINE = "Webinar: trade unions and diversity at work"
ONLINE_FEEDBACK_TITLE = "Feedback on the online session"
# The Tampere survey's two scale questions asked again, word for word: the dashboard follows
# them over time.
ONLINE_FEEDBACK_QUESTIONS = [FEEDBACK_QUESTIONS[0], FEEDBACK_QUESTIONS[3]]
ONLINE_SCALES = [(4, 7), (3, 6), (4, 8), (3, 7), (5, 9), (3, 6), (4, 7)]

FOLLOW_UP_QUESTIONS = [
    (
        "single",
        "Have you applied a practice you met in EME?",
        True,
        "",
        "",
        ["Yes, already", "We are planning to", "Not yet"],
        {"fi": ("Oletko ottanut käyttöön EME:ssä tutuksi tulleen käytännön?",)},
    ),
    (
        "scale10",
        "How much has the project changed your way of working?",
        False,
        "not at all",
        "completely",
        [],
        {},
    ),
    (
        "text",
        "What has changed in your work since the project?",
        False,
        "",
        "",
        [],
        {"sv": ("Vad har förändrats i ditt arbete sedan projektet?",)},
    ),
]


def seed(project, stdout):
    meeting = Meeting.objects.filter(project=project, title=TAMPERE).first()
    members = list(
        Membership.objects.filter(project=project).select_related("user").order_by("user__email")
    )
    coordinator = User.objects.filter(email="coordinator@example.org").first()
    feedback = seed_feedback(project, meeting, members, coordinator)
    follow_up = seed_follow_up(project, members, coordinator)
    seed_online_feedback(project, members, coordinator)
    decided = seed_consent(project, members)
    stdout.write(
        f"Surveys: {feedback.title} ({feedback.responses.count()} responses), "
        f"{follow_up.title}; {decided} consent decisions."
    )


def build(survey, questions):
    for kind, text, required, low, high, choices, translations in questions:
        question = services.save_question(
            survey=survey,
            kind=kind,
            text=text,
            required=required,
            low_label=low,
            high_label=high,
            choices=choices,
        )
        for language, texts in translations.items():
            values = dict(zip(["text", "low_label", "high_label"], texts, strict=False))
            question.translations[language] = values
        question.save(update_fields=["translations"])


def answers_of(survey, index):
    answers = {}
    for question in survey.questions.prefetch_related("choices"):
        choices = list(question.choices.all())
        if question.kind == "scale5":
            answers[question.pk] = 3 + index % 3
        elif question.kind == "scale10":
            answers[question.pk] = 6 + index % 5
        elif question.kind == "single":
            answers[question.pk] = choices[index % len(choices)].pk
        elif question.kind == "multiple":
            answers[question.pk] = [choices[1].pk, choices[(index * 2) % len(choices)].pk]
        else:
            answers[question.pk] = TAKE_HOME[index % len(TAKE_HOME)]
    return answers


def seed_feedback(project, meeting, members, coordinator):
    survey = Survey.objects.filter(project=project, title=FEEDBACK_TITLE).first()
    if survey is not None:
        return survey
    survey = services.save_survey(
        project=project,
        meeting=meeting,
        title=FEEDBACK_TITLE,
        intro="Five short questions about the three days in Tampere. Your answers are "
        "anonymous and help us plan the seminar in Brussels.",
        language="en",
        anonymous=True,
        created_by=coordinator,
    )
    survey.translations = {
        "fi": {"title": "Palaute Tampereen seminaarista"},
        "sv": {"title": "Återkoppling om seminariet i Tammerfors"},
        "nl": {"title": "Feedback over het seminarie in Tampere"},
    }
    survey.save(update_fields=["translations"])
    build(survey, FEEDBACK_QUESTIONS)
    services.set_survey_open(survey=survey, is_open=True)
    registered = set()
    if meeting is not None:
        registered = set(meeting.registrations.values_list("user_id", flat=True))
    respondents = [m for m in members if m.user_id in registered] or members
    for index, membership in enumerate(respondents[:10]):
        services.submit_response(
            survey=survey, user=membership.user, answers=answers_of(survey, index)
        )
    # The history as it was: opened at the end of the last day, closed two weeks later.
    zone = meeting.zone if meeting else timezone.get_current_timezone()
    last_day = meeting.ends_on if meeting else date(2019, 10, 24)
    opened = datetime.combine(last_day, time(15), tzinfo=zone)
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=opened, closes_at=opened + timedelta(days=14)
    )
    Response.objects.filter(survey=survey).update(submitted_on=last_day)
    return survey


def seed_follow_up(project, members, coordinator):
    survey = Survey.objects.filter(project=project, title=FOLLOW_UP_TITLE).first()
    if survey is not None:
        return survey
    survey = services.save_survey(
        project=project,
        title=FOLLOW_UP_TITLE,
        intro="Half a year after the last seminar we ask every partner what stayed. "
        "Three questions, five minutes.",
        language="en",
        anonymous=False,
        created_by=coordinator,
    )
    survey.translations = {"fi": {"title": "Puoli vuotta myöhemmin: mikä työssäsi muuttui?"}}
    survey.save(update_fields=["translations"])
    build(survey, FOLLOW_UP_QUESTIONS)
    services.set_survey_open(survey=survey, is_open=True)
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() + timedelta(days=60))
    survey.refresh_from_db()
    for index, membership in enumerate(members[:3]):
        answers = answers_of(survey, index)
        services.submit_response(survey=survey, user=membership.user, answers=answers)
    return survey


def seed_online_feedback(project, members, coordinator):
    meeting = Meeting.objects.filter(project=project, title=ONLINE).first()
    survey = Survey.objects.filter(project=project, title=ONLINE_FEEDBACK_TITLE).first()
    if meeting is None or survey is not None:
        return survey
    survey = services.save_survey(
        project=project,
        meeting=meeting,
        title=ONLINE_FEEDBACK_TITLE,
        intro="Two questions, the same as after Tampere, so we can see how online compares.",
        language="en",
        anonymous=True,
        created_by=coordinator,
    )
    build(survey, ONLINE_FEEDBACK_QUESTIONS)
    services.set_survey_open(survey=survey, is_open=True)
    useful, recommend = survey.questions.order_by("position", "pk")
    for membership, (first, second) in zip(members, ONLINE_SCALES, strict=False):
        services.submit_response(
            survey=survey,
            user=membership.user,
            answers={useful.pk: first, recommend.pk: second},
        )
    opened = datetime.combine(meeting.ends_on, time(15), tzinfo=meeting.zone)
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=opened, closes_at=opened + timedelta(days=7)
    )
    Response.objects.filter(survey=survey).update(submitted_on=meeting.ends_on)
    return survey


def seed_consent(project, members):
    """Most members agreed when they joined; every fifth declined, the last has not answered."""
    if ConsentDecision.objects.filter(project=project).exists():
        return 0
    from jointlearn import consent

    decided = 0
    for index, membership in enumerate(members[:-1]):
        decision = consent.record_decision(
            project=project,
            user=membership.user,
            given=index % 5 != 4,
            context=ConsentDecision.Context.JOINING,
            language=membership.user.preferred_language,
        )
        ConsentDecision.objects.filter(pk=decision.pk).update(decided_at=membership.joined_at)
        decided += 1
    return decided
