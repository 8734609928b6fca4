"""The cafés of the demo: loaded by seed_demo, linked to the agenda, and loaded only once."""

from io import StringIO

from django.core.management import call_command

from jointlearn.models import LiveActivity
from learningcafe.models import Cafe, CafeParticipant, Note, TableSummary, Vote
from meetings.models import AgendaItem

MODELS = [Cafe, CafeParticipant, Note, TableSummary, Vote, LiveActivity]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_cafes_are_complete_linked_and_idempotent(db):
    call_command("seed_demo", "--accounts", stdout=StringIO())
    first = counts()
    call_command("seed_demo", "--accounts", stdout=StringIO())
    assert counts() == first

    tampere = AgendaItem.objects.get(title="Learning café: what works on the path into work")
    cafe = Cafe.objects.get(activity=tampere.live_activity)
    assert cafe.phase == Cafe.Phase.FINISHED and cafe.activity.state == LiveActivity.State.ENDED
    assert cafe.rounds == 3
    themes = list(cafe.tables.values_list("theme", flat=True))
    assert themes == [
        "Person-centred counselling",
        "Peer tutoring",
        "The employer's perspective",
        "Trade unions",
        "Follow-up and evaluation",
    ]
    assert cafe.tables.exclude(host=None).count() == 2
    # Hosts stay at their table in every round.
    for table in cafe.tables.exclude(host=None):
        host = cafe.participants.get(user=table.host)
        assert cafe.plan["seats"][str(host.pk)] == [table.pk] * 3
    assert Note.objects.filter(cafe=cafe).count() == 5 * 3 * 2
    assert set(Note.objects.filter(cafe=cafe).values_list("round_index", flat=True)) == {0, 1, 2}
    assert TableSummary.objects.filter(table__cafe=cafe).count() == 5
    assert Vote.objects.filter(note__cafe=cafe).exists()

    brussels = AgendaItem.objects.get(title="Learning café with employers")
    ready = Cafe.objects.get(activity=brussels.live_activity)
    assert ready.activity.state == LiveActivity.State.PREPARED
    assert ready.phase == Cafe.Phase.WAITING and ready.tables.count() == 4
