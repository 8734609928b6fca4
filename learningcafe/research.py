"""The learning cafés' part of the research export: the notes of consenting members and the
hosts' table summaries, with members' names removed from the text.

Guests are never asked for consent, so their notes are left out. A table summary is a text
several people may have saved versions of: its newest version is in the export only when
everyone who saved a version of it agreed, under the pseudonym of the newest version's author.
"""

from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext as _

from jointlearn.models import LiveActivity
from jointlearn.research import Table, Variable

from .models import Cafe, CafeTable, Note, TableSummary


def research_tables(export):
    cafes = list(
        Cafe.objects.filter(activity__project=export.project)
        .exclude(activity__state=LiveActivity.State.PREPARED)
        .select_related("activity")
        .annotate(people=Count("participants"))
        .order_by("activity__created_at", "pk")
    )
    numbers = {cafe.pk: number for number, cafe in enumerate(cafes, start=1)}
    return [
        cafes_table(export, cafes, numbers),
        notes_table(export, numbers),
        summaries_table(export, numbers),
    ]


def cafes_table(export, cafes, numbers):
    variables = [
        Variable("cafe", "integer", _("Number of the learning café in this export")),
        Variable("title", "string", _("Title of the café (names removed)")),
        Variable("held_on", "date", _("Day the café was set up")),
        Variable("mode", "string", _("Where people met"), "room, online, hybrid"),
        Variable("rounds", "integer", _("Rounds planned")),
        Variable("participants", "integer", _("People checked in, members and guests")),
    ]
    rows = [
        {
            "cafe": numbers[cafe.pk],
            "title": export.redact(cafe.activity.title),
            "held_on": cafe.activity.created_at.date().isoformat(),
            "mode": cafe.mode,
            "rounds": cafe.rounds,
            "participants": cafe.people,
        }
        for cafe in cafes
    ]
    return Table("cafes", _("Learning cafés"), variables, rows)


def table_variables():
    return [
        Variable("cafe", "integer", _("The learning café (see cafes)")),
        Variable("table", "integer", _("Number of the table in its café")),
        Variable("theme", "string", _("The table's theme (names removed)")),
    ]


def notes_table(export, numbers):
    variables = [
        Variable("note", "integer", _("Number of the note in this table")),
        *table_variables(),
        Variable("round", "integer", _("The round the note was written in, from 1")),
        Variable("person", "string", _("Pseudonym of the member who wrote the note")),
        Variable("country", "string", _("Country of the member's organisation (ISO)")),
        Variable("votes", "integer", _("Dot votes the note received")),
        Variable(
            "hidden",
            "boolean",
            _("Hidden by the host or facilitator"),
            "1 = hidden, 0 = shown",
        ),
        Variable("written_on", "date", _("Day the note was written")),
        Variable("text", "text", _("The note (names removed)")),
    ]
    notes = (
        Note.objects.filter(cafe_id__in=list(numbers), author__user_id__in=export.consenting)
        .select_related("table", "author")
        .order_by("cafe_id", "table__number", "round_index", "pk")
    )
    rows = [
        {
            "note": index,
            "cafe": numbers[note.cafe_id],
            "table": note.table.number,
            "theme": export.redact(note.table.theme),
            "round": note.round_index + 1,
            "person": export.pseudonym(note.author.user_id),
            "country": export.country_of(note.author.user_id),
            "votes": note.votes,
            "hidden": 1 if note.hidden else 0,
            "written_on": note.created_at.date().isoformat(),
            "text": export.redact(note.text),
        }
        for index, note in enumerate(notes, start=1)
    ]
    return Table(
        "cafe_notes",
        _("Learning cafés: notes of members who agreed (guests' notes are left out)"),
        variables,
        rows,
    )


def summaries_table(export, numbers):
    variables = [
        *table_variables(),
        Variable("version", "integer", _("Version of the summary (the newest is exported)")),
        Variable("person", "string", _("Pseudonym of the member who saved this version")),
        Variable("saved_on", "date", _("Day this version was saved")),
        Variable("text", "text", _("The host's summary of the table (names removed)")),
    ]
    authors = defaultdict(set)
    newest = {}
    for summary in TableSummary.objects.filter(table__cafe_id__in=list(numbers)).order_by(
        "table_id", "version"
    ):
        authors[summary.table_id].add(summary.author_id)
        newest[summary.table_id] = summary
    tables = {table.pk: table for table in CafeTable.objects.filter(pk__in=list(newest)).order_by()}
    rows = []
    for table_id, summary in sorted(
        newest.items(), key=lambda item: (tables[item[0]].cafe_id, tables[item[0]].number)
    ):
        # A version saved by someone unknown (or not agreeing) could be anyone's words.
        if not all(export.includes(author) for author in authors[table_id]):
            continue
        table = tables[table_id]
        rows.append(
            {
                "cafe": numbers[table.cafe_id],
                "table": table.number,
                "theme": export.redact(table.theme),
                "version": summary.version,
                "person": export.pseudonym(summary.author_id),
                "saved_on": summary.created_at.date().isoformat(),
                "text": export.redact(summary.text),
            }
        )
    return Table(
        "cafe_summaries",
        _(
            "Learning cafés: the hosts' table summaries, when everyone who wrote a version "
            "of one agreed"
        ),
        variables,
        rows,
    )
