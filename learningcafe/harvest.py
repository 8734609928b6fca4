"""What a café produced, per theme: every note of every round with its votes, the top-voted,
and the hosts' summaries; filtered by round and country, exported as Markdown, CSV and JSON.
Also the café's snapshot arranged for the first paint of its live pages."""

from django.utils.translation import gettext as _

from jointlearn.models import shown_name

from .models import Cafe, CafeTable, Note, TableSummary

TOP_NOTES = 3


def present(state):
    """The snapshot's café arranged by table, for templates: who sits where now and next."""
    people = {person["id"]: person for person in state["people"]}
    tables = []
    by_id = {}
    for table in state["tables"]:
        entry = {**table, "people": [], "coming": [], "host_person": people.get(table["host"])}
        by_id[table["id"]] = entry
        if not table["removed"]:
            tables.append(entry)
    for person_id, (now, after) in state["seating"].items():
        person = people.get(int(person_id))
        if person is None or not person["present"]:
            continue
        if now in by_id:
            by_id[now]["people"].append(person)
        if after in by_id:
            by_id[after]["coming"].append(person)
    me = state["me"]
    my_seats = state["seating"].get(str(me), [None, None]) if me else [None, None]
    return {
        **state,
        "table_list": tables,
        "my_table": by_id.get(my_seats[0]),
        "next_table": by_id.get(my_seats[1]),
        "round_number": state["round"] + 1,
        "present_count": sum(1 for person in state["people"] if person["present"]),
        "earlier_count": sum(1 for note in state["notes"] if note["round"] < state["round"]),
        "offline": [
            person
            for person in state["people"]
            if person["present"] and person.get("online") is False
        ],
    }


def notes_of(cafe, *, round_index=None, country=""):
    notes = Note.objects.filter(cafe=cafe, hidden=False).select_related("practice")
    if round_index is not None:
        notes = notes.filter(round_index=round_index)
    if country:
        notes = notes.filter(author_country=country)
    return notes.order_by("-votes", "created_at", "pk")


def themes(cafe, *, round_index=None, country=""):
    """[{table, notes, top, summary, summary_versions}] in table order."""
    tables = list(CafeTable.objects.filter(cafe=cafe).order_by("number"))
    notes = {}
    for note in notes_of(cafe, round_index=round_index, country=country):
        notes.setdefault(note.table_id, []).append(note)
    summaries = {}
    for summary in TableSummary.objects.filter(table__cafe=cafe).order_by("table", "-version"):
        summaries.setdefault(summary.table_id, []).append(summary)
    return [
        {
            "table": table,
            "notes": notes.get(table.pk, []),
            "top": [note for note in notes.get(table.pk, []) if note.votes > 0][:TOP_NOTES],
            "summary": (summaries.get(table.pk) or [None])[0],
            "summary_versions": len(summaries.get(table.pk, [])),
        }
        for table in tables
    ]


def note_row(note, table):
    return {
        "table": table.number,
        "theme": table.theme,
        "round": note.round_index + 1,
        "note": note.text,
        "votes": note.votes,
        "written_by": shown_name(note.author_name),
        "country": note.author_country.code if note.author_country else "",
        "practice": note.practice.title if note.practice_id else "",
        "written_at": note.created_at.isoformat(),
    }


CSV_FIELDS = [
    "table",
    "theme",
    "round",
    "note",
    "votes",
    "written_by",
    "country",
    "practice",
    "written_at",
]


def rows(harvest):
    return [note_row(note, entry["table"]) for entry in harvest for note in entry["notes"]]


def as_json(cafe, harvest):
    return {
        "themes": [
            {
                "table": entry["table"].number,
                "theme": entry["table"].theme,
                "question": entry["table"].question,
                "summary": entry["summary"].text if entry["summary"] else "",
                "summary_version": entry["summary"].version if entry["summary"] else 0,
                "top": [note.pk for note in entry["top"]],
                "notes": [
                    {"id": note.pk, **note_row(note, entry["table"])} for note in entry["notes"]
                ],
            }
            for entry in harvest
        ],
    }


def as_markdown(cafe, harvest):
    lines = [f"# {cafe.activity.title}", ""]
    for entry in harvest:
        table = entry["table"]
        lines += [f"## {table.number}. {table.theme}", ""]
        if table.question:
            lines += [f"*{table.question}*", ""]
        if entry["summary"]:
            lines += [f"### {_('Summary')}", "", entry["summary"].text, ""]
        if entry["top"]:
            lines += [f"### {_('Top-voted')}", ""]
            lines += [f"- {note.text} ({note.votes})" for note in entry["top"]]
            lines.append("")
        lines += [f"### {_('All notes')}", ""]
        for note in entry["notes"]:
            extra = f" — {note.practice.title}" if note.practice_id else ""
            lines.append(
                f"- {note.text} ({_('round %(n)d') % {'n': note.round_index + 1}}, "
                f"{shown_name(note.author_name)}, {note.votes}){extra}"
            )
        if not entry["notes"]:
            lines.append(_("No notes."))
        lines.append("")
    return "\n".join(lines)


def export(activity):
    """The shared export's part (live_export_csv / live_export_json): the whole harvest."""
    cafe = Cafe.objects.select_related("activity").get(activity=activity)
    harvest = themes(cafe)
    return {
        "activity": {"rounds": cafe.rounds, "mode": cafe.mode},
        "json": as_json(cafe, harvest),
        "csv_fields": CSV_FIELDS,
        "csv_rows": rows(harvest),
    }
