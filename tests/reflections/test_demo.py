"""The reflections demo: the Tampere round on its agenda item, a finished poll, idempotent."""

from io import StringIO

from django.core.management import call_command

from jointlearn.models import LiveActivity, Project
from meetings.models import AgendaItem
from reflections.models import Answer, LearningFormat, Presence, Vote
from reflections.polls import results
from reflections.rounds import format_chart


def counts():
    return {
        model.__name__: model.objects.count() for model in [LiveActivity, Answer, Presence, Vote]
    }


def test_the_demo_has_a_finished_round_and_poll_and_loads_once(db):
    call_command("seed_demo", stdout=StringIO())
    first = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first
    eme = Project.objects.get(slug="eme")
    item = AgendaItem.objects.get(
        day__meeting__project=eme, title="Reflection round: what did I gain?"
    )
    activity = item.live_activity
    assert activity.kind == "reflection" and activity.state == "ended"
    assert activity.reflection_round.meeting == item.day.meeting
    answers = list(activity.answers.all())
    assert len(answers) >= 10
    assert {answer.prompt for answer in answers} == {0, 1}
    assert all(answer.formats for answer in answers)
    assert all(set(answer.formats) <= set(LearningFormat.values) for answer in answers)
    named = [row for row in format_chart(activity) if row["count"]]
    assert len(named) >= 5
    poll = eme.live_activities.get(kind="poll")
    assert poll.state == "ended"
    tally = results(poll, poll.poll)
    assert tally["voters"] == 10 and sum(row["count"] for row in tally["rows"]) > 10
