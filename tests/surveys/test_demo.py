"""The surveys of the demo: loaded by seed_demo, complete, and loaded only once."""

from io import StringIO

from django.core.management import call_command

from jointlearn import consent
from jointlearn.models import ConsentDecision, Project
from jointlearn.research import build_export
from surveys.models import Answer, Response, Survey


def counts():
    return {m.__name__: m.objects.count() for m in (Survey, Response, Answer, ConsentDecision)}


def test_demo_surveys_and_consent_are_complete_and_idempotent(db):
    call_command("seed_demo", "--accounts", stdout=StringIO())
    first = counts()
    call_command("seed_demo", "--accounts", stdout=StringIO())
    assert counts() == first
    eme = Project.objects.get(slug="eme")
    feedback = eme.surveys.get(meeting__title__startswith="Seminar in Tampere")
    assert feedback.anonymous and feedback.state() == Survey.State.CLOSED
    assert feedback.responses.count() >= 5
    assert {q.kind for q in feedback.questions.all()} == {
        "scale5",
        "scale10",
        "single",
        "multiple",
        "text",
    }
    assert feedback.translated("title", "fi") == "Palaute Tampereen seminaarista"
    follow_up = eme.surveys.get(meeting=None)
    assert follow_up.is_open and follow_up.responses.exclude(user=None).exists()
    members = eme.memberships.count()
    agreed = consent.consenting_user_ids(eme)
    assert members / 2 < len(agreed) < members
    export = build_export(project=eme)
    assert export.people == len(agreed)
