"""The demo of reflections: the finished reflection round of the Tampere seminar, linked to
its agenda item, and a finished quick poll. Written in our own words. Idempotent: a round or
poll that exists already is left as it is. Needs the meetings demo (it seeds first)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from jointlearn.models import Guest, LiveActivity
from meetings.models import AgendaItem, Meeting

from .models import Answer, Poll, Presence, Vote
from .polls import create_poll
from .rounds import create_round

TAMPERE = "Seminar in Tampere: recognising skills on the way into work"
ROUND_ITEM = "Reflection round: what did I gain?"
POLL_TITLE = "Tampere: what do we want more of in Brussels?"

# (name, country, organisation, [(prompt, answer, formats)])
SPEAKERS = [
    (
        "Lotte Peeters",
        "BE",
        "EVA bxl",
        [
            (
                0,
                "Seeing the skills demonstrations at TAKK: a person shows what they can do "
                "in a workshop instead of proving it with papers. We want to try that in "
                "Brussels with our cooks.",
                ["study_visit"],
            ),
            (1, "Walking through the workshops and asking the teachers directly.", ["study_visit"]),
        ],
    ),
    (
        "Samira Haddad",
        "FI",
        "Silta-Valmennusyhdistys",
        [
            (
                0,
                "Courage. Hearing that the Swedish partners struggle with the same waiting "
                "times made me feel we are not alone.",
                ["peer_discussion"],
            ),
            (
                1,
                "The learning café: small tables, and I could speak slowly in English and "
                "nobody hurried me.",
                ["learning_cafe", "peer_discussion"],
            ),
        ],
    ),
    (
        "Erik Lindström",
        "SE",
        "Piteå kommun",
        [
            (
                0,
                "A clear idea for our tutors: pay them and train them, as TSL does. Volunteer "
                "tutors leave after a few months.",
                ["pitch", "lecture"],
            ),
            (
                1,
                "The pitches, because each one was short and I could ask questions after.",
                ["pitch"],
            ),
        ],
    ),
    (
        "Aino Virtanen",
        "FI",
        "TSL",
        [
            (
                0,
                "How differently our countries count a 'result'. We should agree on a few "
                "shared measures before Brussels.",
                ["workshop", "peer_discussion"],
            ),
            (
                1,
                "Dinner at Plevna. The best conversations about transfer happened at the table.",
                ["informal"],
            ),
        ],
    ),
    (
        "Jonas Vermeulen",
        "BE",
        "EVA bxl",
        [
            (0, "Contacts in Tampere I can call when we start our own peer groups.", ["informal"]),
            (
                1,
                "The walking tour: seeing the old factories helped me understand why "
                "vocational training is so strong here.",
                ["city_tour"],
            ),
        ],
    ),
    (
        "Maria Öberg",
        "SE",
        "Piteå kommun",
        [
            (
                0,
                "That recognition of skills can start on the first day, before the "
                "language is perfect.",
                ["lecture", "study_visit"],
            ),
            (
                1,
                "Reading the practices in the library before we came. I arrived with "
                "questions, not only curiosity.",
                ["online_work"],
            ),
        ],
    ),
]

POLL_OPTIONS = ["Study visits", "Learning café", "Pitches of practices", "Time to talk informally"]
# Each guest's choices (indexes into POLL_OPTIONS).
ONLINE = "Webinar: trade unions and diversity at work"
ONLINE_ROUND = "Online check-out: what did you gain?"
# (prompt, answer, formats) of an anonymous round: nobody is named.
ONLINE_ANSWERS = [
    (0, "The union representative's story about a first job interview.", ["lecture"]),
    (0, "That unions in Sweden have newcomer ambassadors.", ["lecture", "peer_discussion"]),
    (1, "The breakout rooms of three: short and everyone spoke.", ["online_work"]),
    (1, "Reading the shared workspace before the session.", ["online_work"]),
    (1, "Talking with a Belgian colleague in the breakout room.", ["peer_discussion"]),
    (0, "A contact in Piteå for our employer visits.", ["peer_discussion", "online_work"]),
]

POLL_VOTES = [[0, 1], [1], [0, 3], [1, 3], [0], [1, 2], [0, 1, 3], [3], [0, 1], [2, 3]]


def seed(project, stdout):
    tampere = project.meetings.filter(title=TAMPERE).first()
    if tampere is None:
        stdout.write("Reflections: no Tampere seminar in the demo, nothing added.")
        return
    added = seed_round(project, tampere) + seed_poll(project, tampere)
    online = project.meetings.filter(title=ONLINE).first()
    if online is not None:
        added += seed_online_round(project, online)
    stdout.write(
        f"Reflections: {added} added (Tampere reflection round and poll, online check-out)."
    )


def at(meeting, day_offset, hour, minute=0):
    zone = ZoneInfo(meeting.time_zone)
    day = meeting.starts_on + timedelta(days=day_offset)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


@transaction.atomic
def seed_round(project, tampere: Meeting):
    item = AgendaItem.objects.filter(day__meeting=tampere, title=ROUND_ITEM).first()
    if item is None or item.live_activity_id is not None:
        return 0
    activity = create_round(
        project=project,
        created_by=None,
        title=ROUND_ITEM,
        meeting=tampere,
        state=LiveActivity.State.ENDED,
    )

    when = at(tampere, 2, 11, 5)
    for position, (name, country, organisation, answers) in enumerate(SPEAKERS):
        Presence.objects.create(
            activity=activity,
            name=name,
            country=country,
            organisation=organisation,
            position=position,
            spoken=True,
        )
        for prompt, text, formats in answers:
            when += timedelta(minutes=1)
            Answer.objects.create(
                activity=activity,
                prompt=prompt,
                text=text,
                formats=formats,
                author_name=name,
                captured=True,
                created_at=when,
            )
    item.live_activity = activity
    item.save(update_fields=["live_activity"])
    return 1


@transaction.atomic
def seed_online_round(project, online):
    if project.live_activities.filter(title=ONLINE_ROUND).exists():
        return 0
    activity = create_round(
        project=project,
        created_by=None,
        title=ONLINE_ROUND,
        meeting=online,
        anonymous=True,
        state=LiveActivity.State.ENDED,
    )
    for prompt, text, formats in ONLINE_ANSWERS:
        Answer.objects.create(activity=activity, prompt=prompt, text=text, formats=formats)
    return 1


@transaction.atomic
def seed_poll(project, tampere):
    if project.live_activities.filter(kind=LiveActivity.Kind.POLL, title=POLL_TITLE).exists():
        return 0
    activity = create_poll(
        project=project,
        created_by=None,
        title=POLL_TITLE,
        question="What would you like more of at the seminar in Brussels?",
        type=Poll.Type.MULTIPLE,
        options=POLL_OPTIONS,
        state=LiveActivity.State.ENDED,
    )
    for number, choices in enumerate(POLL_VOTES, start=1):
        # People in the room voted from their phones as guests with the poll's code.
        guest = Guest.objects.create(
            project=project, join_code=activity.join_code, display_name=f"Tampere {number}"
        )
        guest.admitted_with.add(activity.join_code)
        Vote.objects.create(activity=activity, guest=guest, choices=choices)
    return 1
