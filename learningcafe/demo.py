"""Demo cafés of the EME project: the finished learning café of the Tampere seminar (five
themes from the recommendations, hosts, three rounds, notes, votes and summaries) and a
ready-to-start café for Brussels. Idempotent: an agenda item that has its café keeps it."""

from datetime import timedelta

from django.db import transaction

from jointlearn.models import LiveActivity
from meetings.models import AgendaItem

from . import rotation, services
from .models import Cafe, CafeParticipant, Note, TableSummary, Vote

TAMPERE_ITEM = "Learning café: what works on the path into work"
BRUSSELS_ITEM = "Learning café with employers"

THEMES = [
    (
        "Person-centred counselling",
        "How do we start from the person's own goals, not from the service we happen to offer?",
    ),
    ("Peer tutoring", "What makes a peer group or a working-life tutor really help?"),
    (
        "The employer's perspective",
        "What does an employer need to know, and to do, when hiring a migrant for the first time?",
    ),
    ("Trade unions", "How can trade unions reach new employees with a migrant background?"),
    (
        "Follow-up and evaluation",
        "How do we show what a practice achieved, and what was transferred?",
    ),
]

# People at the seminar without an account in the demo: (name, organisation, country).
ROOM = [
    ("Mikko Lehtonen", "TAKK", "FI"),
    ("Hanna Korhonen", "Silta", "FI"),
    ("Jussi Mäkelä", "TSL", "FI"),
    ("Leena Salo", "HAO", "FI"),
    ("Riikka Nieminen", "TAU", "FI"),
    ("Pieter Janssens", "EVA bxl", "BE"),
    ("Nadia El Amrani", "Groep INTRO", "BE"),
    ("An Claes", "Kenniscentrum WWZ", "BE"),
    ("Dries Maes", "VUB-BAS", "BE"),
    ("Karin Öberg", "Piteå kommun", "SE"),
    ("Johan Nilsson", "ABF", "SE"),
    ("Sara Lindqvist", "Piteå kommun", "SE"),
    ("Ahmed Yusuf", "ABF", "SE"),
]

# Notes by theme, a few per round: what the tables wrote in Tampere.
NOTES = {
    "Person-centred counselling": [
        "Ask first what the person wants to do in five years, then plan the course.",
        "One counsellor who follows the whole path, not a new face at every step.",
        "Time matters: 20-minute appointments do not leave room for the person's story.",
        "Interpreters in the first meetings, even when the person 'manages' in Finnish.",
        "Write the plan together and give the person their own copy in plain language.",
        "Skills from the home country count: map them before choosing training.",
    ],
    "Peer tutoring": [
        "A tutor who came the same way is believed more than any official.",
        "Peer groups work best when they meet at the workplace, not at the office.",
        "Tutors need training and a small fee, otherwise they burn out.",
        "Mix newcomers with people who have worked two or three years.",
        "In Piteå the peer group cooks together: the language comes by itself.",
        "Agree on confidentiality at the first meeting.",
    ],
    "The employer's perspective": [
        "Employers want one contact person, not five projects calling them.",
        "A short work trial lowers the threshold for small companies.",
        "Explain the unwritten rules of the workplace: breaks, sick leave, small talk.",
        "Managers need tools for inclusive communication, not only the newcomer.",
        "Show the employer the skills, not the diploma that is not recognised yet.",
        "Mentoring by a colleague in the first weeks keeps people in the job.",
    ],
    "Trade unions": [
        "Many newcomers have never heard of a union or think it is political.",
        "Union reps could visit language courses and explain rights at work.",
        "Material in several languages about pay, contracts and working hours.",
        "In Belgium the union also pays unemployment benefits: a natural first contact.",
        "Invite migrant members to be shop stewards: representation matters.",
        "Unions can tell schools what the workplaces need.",
    ],
    "Follow-up and evaluation": [
        "Agree on a few indicators at the start, not at the final report.",
        "Ask participants again after six months: did they keep the job?",
        "Pitch evaluations give quick feedback, focus groups explain why.",
        "Record when a partner applies a practice at home, with what changes.",
        "Evaluation should also show what did not work.",
        "Use the same survey in every country so results can be compared.",
    ],
}

SUMMARIES = {
    "Person-centred counselling": (
        "All three rounds came back to time and continuity: one counsellor who follows the "
        "person, longer first meetings with an interpreter, and a plan written together. "
        "Mapping the skills from the home country before choosing training was the idea most "
        "people wanted to take home."
    ),
    "Peer tutoring": (
        "Peers are trusted because they walked the same path. Tutors need training, support and "
        "a small fee. Groups that meet at work or around a shared activity (cooking in Piteå) "
        "build language and confidence at the same time."
    ),
    "The employer's perspective": (
        "Employers ask for one contact person and short, low-risk work trials. The workplace "
        "needs preparation too: unwritten rules explained, a colleague as mentor, and managers "
        "who communicate inclusively."
    ),
    "Trade unions": (
        "Few newcomers know what a union does. Visits to language courses, material in several "
        "languages and migrant shop stewards would change that. The Belgian system, where the "
        "union pays benefits, shows a natural first contact."
    ),
    "Follow-up and evaluation": (
        "Decide the indicators at the start and follow up after six months. Combine quick pitch "
        "evaluations with focus groups, record transfers with their changes, and report what "
        "did not work as honestly as what did."
    ),
}

BRUSSELS_THEMES = [
    ("What employers need from a new employee", "Which skills matter most in the first month?"),
    ("Work trials and internships", "How long, paid or unpaid, and who follows them up?"),
    ("Language at work", "How much Dutch or French is enough to start?"),
    ("Keeping the first job", "What happens in the first three months that decides it?"),
]


def seed(project, stdout):
    items = AgendaItem.objects.filter(day__meeting__project=project, kind="learning_cafe")
    tampere = items.filter(title=TAMPERE_ITEM).first()
    brussels = items.filter(title=BRUSSELS_ITEM).first()
    made = []
    if tampere is not None and tampere.live_activity_id is None:
        made.append(seed_tampere(project, tampere))
    if brussels is not None and brussels.live_activity_id is None:
        made.append(seed_brussels(project, brussels))
    if made:
        stdout.write(f"Learning cafés: {', '.join(str(activity) for activity in made)}.")


def hosts_for(project):
    """Members who host the Tampere tables, when the demo accounts exist."""
    members = list(project.memberships.select_related("user", "organisation").order_by("pk"))
    return [membership.user for membership in members[:2]]


@transaction.atomic
def seed_tampere(project, item):
    coordinator = project.memberships.filter(role="coordinator").first()
    created_by = coordinator.user if coordinator else None
    hosts = hosts_for(project)
    tables = [
        {"theme": theme, "question": question, "host": hosts[n] if n < len(hosts) else None}
        for n, (theme, question) in enumerate(THEMES)
    ]
    activity = services.create_cafe(
        project=project,
        created_by=created_by,
        title="Learning café: what works on the path into work",
        tables=tables,
        rounds=3,
        round_minutes=20,
        table_capacity=4,
        votes_per_round=3,
        state=LiveActivity.State.ENDED,
    )
    cafe = Cafe.objects.get(activity=activity)
    for name, organisation, country in ROOM:
        CafeParticipant.objects.create(
            cafe=cafe, name=name, organisation=organisation, country=country
        )
    participants = services.present_participants(cafe)
    plan = rotation.make_plan(
        services.planner_people(cafe, participants),
        services.planner_tables(cafe),
        cafe.rounds,
        seed=2019,
    )
    services.store_plan(cafe, plan)
    cafe.phase, cafe.current_round = Cafe.Phase.FINISHED, cafe.rounds - 1
    cafe.announcement = "Thank you! The harvest is on the project's page."
    cafe.save()
    item.live_activity = activity
    item.save(update_fields=["live_activity"])
    started = item.start
    write_notes(cafe, plan, participants, started)
    return activity


def write_notes(cafe, plan, participants, started):
    by_id = {participant.pk: participant for participant in participants}
    tables = {table.pk: table for table in cafe.tables.all()}
    for round_index in range(cafe.rounds):
        for table_id, seated in plan.at(round_index).items():
            table = tables[table_id]
            texts = NOTES[table.theme][round_index * 2 : round_index * 2 + 2]
            people = [by_id[person] for person in seated]
            notes = []
            for n, text in enumerate(texts):
                author = people[n % len(people)]
                note = Note.objects.create(
                    cafe=cafe,
                    table=table,
                    round_index=round_index,
                    author=author,
                    author_name=author.name,
                    author_country=author.country,
                    text=text,
                )
                moment = started + timedelta(minutes=20 * round_index + 5 + 6 * n)
                Note.objects.filter(pk=note.pk).update(created_at=moment)
                notes.append(note)
            for n, voter in enumerate(people):
                note = notes[n % len(notes)] if notes else None
                if note is not None and note.author_id != voter.pk:
                    Vote.objects.create(note=note, voter=voter, round_index=round_index)
                    Note.objects.filter(pk=note.pk).update(votes=note.dot_votes.count())
    for table in tables.values():
        host = by_id.get(next((p.pk for p in participants if p.user_id == table.host_id), None))
        TableSummary.objects.create(
            table=table,
            version=1,
            text=SUMMARIES[table.theme],
            written_by=host.name if host else "Facilitator",
            author_id=table.host_id,
        )


@transaction.atomic
def seed_brussels(project, item):
    coordinator = project.memberships.filter(role="coordinator").first()
    activity = services.create_cafe(
        project=project,
        created_by=coordinator.user if coordinator else None,
        title=item.title,
        mode=Cafe.Mode.HYBRID,
        tables=[
            {
                "theme": theme,
                "question": question,
                "video_url": f"https://meet.example.org/eme-brussels-table-{n}",
            }
            for n, (theme, question) in enumerate(BRUSSELS_THEMES, start=1)
        ],
        rounds=3,
        round_minutes=20,
        table_capacity=7,
        state=LiveActivity.State.PREPARED,
    )
    item.live_activity = activity
    item.save(update_fields=["live_activity"])
    return activity
