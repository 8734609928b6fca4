"""The reflection rounds' part of the research export: the answers of consenting members, and
the learning formats named in anonymous rounds, counted.

An answer in an anonymous round keeps no link to its author (see models.Answer), so nobody
can tell whether the person who gave it agreed to research use. Its words are therefore left
out, as are the words of guests (who are never asked); only the formats such answers named
are exported, as counts per round. An answer of a named round is in the export when its
author agreed, under their pseudonym, with members' names removed from its text.
"""

from collections import Counter

from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext as _

from jointlearn.models import LiveActivity
from jointlearn.research import Table, Variable
from meetings.models import AgendaItem, Meeting

from .models import Answer, LearningFormat, ReflectionRound
from .rounds import prompts_of

FORMAT_VALUES = "; ".join(f"{value} = {label}" for value, label in LearningFormat.choices)


def research_tables(export):
    from_agenda = AgendaItem.objects.filter(live_activity_id=OuterRef("activity_id")).values(
        "day__meeting_id"
    )[:1]
    rounds = list(
        ReflectionRound.objects.filter(
            activity__project=export.project, activity__kind=LiveActivity.Kind.REFLECTION
        )
        .exclude(activity__state=LiveActivity.State.PREPARED)
        .annotate(agenda_meeting=Subquery(from_agenda), opened_at=F("activity__created_at"))
        .order_by("activity__created_at", "pk")
    )
    meeting_ids = {r.meeting_id or r.agenda_meeting for r in rounds} - {None}
    meetings = {m.pk: m for m in Meeting.objects.filter(pk__in=meeting_ids)}
    numbers = {r.activity_id: number for number, r in enumerate(rounds, start=1)}
    return [
        rounds_table(export, rounds, numbers, meetings),
        answers_table(export, rounds, numbers),
        anonymous_formats_table(rounds, numbers),
    ]


def rounds_table(export, rounds, numbers, meetings):
    variables = [
        Variable("round", "integer", _("Number of the reflection round in this export")),
        Variable("meeting", "string", _("The meeting the round ended; empty if none")),
        Variable("meeting_date", "date", _("First day of that meeting")),
        Variable("opened_on", "date", _("Day the round was opened")),
        Variable(
            "anonymous",
            "boolean",
            _("Whether the round was anonymous"),
            "1 = anonymous, 0 = named",
        ),
        Variable(
            "prompts",
            "text",
            _("The prompts of the round, in order, separated by | (names removed)"),
        ),
    ]
    rows = []
    for reflection in rounds:
        meeting = meetings.get(reflection.meeting_id or reflection.agenda_meeting)
        rows.append(
            {
                "round": numbers[reflection.activity_id],
                "meeting": meeting.title if meeting else "",
                "meeting_date": meeting.starts_on.isoformat() if meeting else "",
                "opened_on": reflection.opened_at.date().isoformat(),
                "anonymous": 1 if reflection.anonymous else 0,
                "prompts": export.redact(" | ".join(prompts_of(reflection))),
            }
        )
    return Table("reflection_rounds", _("Reflection rounds"), variables, rows)


def answers_table(export, rounds, numbers):
    variables = [
        Variable("answer", "integer", _("Number of the answer in this table")),
        Variable("round", "integer", _("The reflection round (see reflection_rounds)")),
        Variable("prompt", "integer", _("Number of the prompt answered, from 1")),
        Variable("person", "string", _("Pseudonym of the member who answered")),
        Variable("country", "string", _("Country of the member's organisation (ISO)")),
        Variable(
            "captured",
            "boolean",
            _("Written down by the facilitator while the person spoke"),
            "1 = written down by the facilitator, 0 = typed by the person",
        ),
        Variable(
            "formats",
            "string",
            _("Learning formats the answer names, separated by ;"),
            FORMAT_VALUES,
        ),
        Variable("answered_on", "date", _("Day of the answer")),
        Variable("text", "text", _("The answer (names removed)")),
    ]
    named = [r.activity_id for r in rounds if not r.anonymous]
    answers = Answer.objects.filter(activity_id__in=named, user_id__in=export.consenting).order_by(
        "activity_id", "pk"
    )
    rows = [
        {
            "answer": index,
            "round": numbers[answer.activity_id],
            "prompt": answer.prompt + 1,
            "person": export.pseudonym(answer.user_id),
            "country": export.country_of(answer.user_id),
            "captured": 1 if answer.captured else 0,
            "formats": ";".join(answer.formats or []),
            "answered_on": answer.created_at.date().isoformat() if answer.created_at else "",
            "text": export.redact(answer.text),
        }
        for index, answer in enumerate(answers, start=1)
    ]
    return Table(
        "reflection_answers",
        _(
            "Reflection rounds: answers of members who agreed, in named rounds only (the "
            "words of anonymous rounds cannot be checked against anyone's consent)"
        ),
        variables,
        rows,
    )


def anonymous_formats_table(rounds, numbers):
    variables = [
        Variable("round", "integer", _("The anonymous reflection round (see reflection_rounds)")),
        Variable("format", "string", _("A learning format"), FORMAT_VALUES),
        Variable("answers", "integer", _("How many answers of the round named it")),
    ]
    anonymous = [r.activity_id for r in rounds if r.anonymous]
    counts = Counter()
    for activity_id, formats in Answer.objects.filter(activity_id__in=anonymous).values_list(
        "activity_id", "formats"
    ):
        counts.update((activity_id, value) for value in formats or [])
    rows = [
        {"round": numbers[activity_id], "format": value, "answers": counts[(activity_id, value)]}
        for activity_id in anonymous
        for value in LearningFormat.values
        if counts[(activity_id, value)]
    ]
    return Table(
        "reflection_anonymous_formats",
        _(
            "Anonymous reflection rounds: the learning formats named, counted; no words and "
            "no person"
        ),
        variables,
        rows,
    )
