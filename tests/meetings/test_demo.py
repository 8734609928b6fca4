"""The meetings of the demo: loaded by seed_demo, complete, and loaded only once."""

from io import StringIO

from django.core.management import call_command

from jointlearn.models import Project
from meetings import services
from meetings.models import (
    AgendaItem,
    Assignment,
    Icebreaker,
    Material,
    Meeting,
    Registration,
    Submission,
    Task,
)

MODELS = [Meeting, AgendaItem, Icebreaker, Material, Assignment, Submission, Registration, Task]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_meetings_are_complete_and_idempotent(db):
    call_command("seed_demo", "--accounts", stdout=StringIO())
    first = counts()
    call_command("seed_demo", "--accounts", stdout=StringIO())
    assert counts() == first
    eme = Project.objects.get(slug="eme")
    tampere = eme.meetings.get(title__startswith="Seminar in Tampere")
    assert tampere.days.count() == 3
    kinds = set(AgendaItem.objects.filter(day__meeting=tampere).values_list("kind", flat=True))
    assert {
        "lecture",
        "study_visit",
        "city_tour",
        "meal",
        "icebreaker",
        "pitch_session",
        "learning_cafe",
        "reflection_round",
    } <= kinds
    assert {m.kind for m in eme.meetings.all()} == {"face_to_face", "online", "hybrid"}
    assert Icebreaker.objects.filter(project=None).count() >= 12
    assert tampere.registrations.filter(checked_in_at__isnull=False).exists()
    assert Submission.objects.filter(is_late=True).exists()
    assert first["Task"] >= 4


def test_demo_agendas_have_no_timing_warnings(db):
    call_command("seed_demo", "--accounts", stdout=StringIO())
    for meeting in Meeting.objects.all():
        for day in meeting.days.all():
            items = list(day.items.order_by("position"))
            plan = services.schedule_for(day, items)
            assert all(not timed.warnings for timed in plan), (meeting, day)
