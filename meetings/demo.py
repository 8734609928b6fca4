"""Demo meetings of the EME project: the Tampere seminar, an online session, Brussels, and the
shared icebreaker library. Idempotent: what exists already is left as it is."""

from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from jointlearn.models import LiveActivity, Role

from . import services
from .models import AgendaItem, Assignment, Icebreaker, Meeting, Registration, Submission

ICEBREAKERS = [
    # (name, purpose, setting, language demand, minutes, smallest, largest, materials, tags,
    #  instructions)
    (
        "Check-in word wall",
        "check_in",
        "both",
        "low",
        10,
        2,
        None,
        "Sticky notes or a shared board",
        ["check-in", "words"],
        "Everyone writes **one word** that says how they arrive today, in any language, and "
        "puts it on the wall. The facilitator reads a few aloud and asks two or three people "
        "what their word means. Words in other languages are welcome: ask for a translation.",
    ),
    (
        "Map of where we come from",
        "get_to_know",
        "room",
        "low",
        20,
        6,
        80,
        "A large map on the floor or the wall, pins or stickers",
        ["map", "movement", "countries"],
        "Lay a big map on the floor. Ask people to stand where they were born, then where they "
        "work now, then where they would like to travel next. At each step, let a few people "
        "say one sentence about their spot. The room sees at once how many journeys are in it.",
    ),
    (
        "Cross-country speed pairs",
        "mixing",
        "both",
        "medium",
        20,
        2,
        2,
        "A bell or a timer; online: breakout rooms of two",
        ["pairs", "countries", "timer"],
        "Pairs of people **from different countries** talk for three minutes about one "
        "question, then the bell rings and everyone finds a new partner. Questions: What did you "
        "do at work yesterday? Which service for job-seekers are you proud of? What would you "
        "like to learn here? Four rounds are usually enough.",
    ),
    (
        "One object that tells about your work",
        "get_to_know",
        "both",
        "medium",
        25,
        4,
        8,
        "Each person brings one object (or a photo of it online)",
        ["objects", "work"],
        "Ask everyone beforehand to bring an everyday object that says something about their "
        "work. In groups of four to eight, each person shows the object and tells in a minute "
        "why they chose it. Objects make it easy to speak even with little shared language.",
    ),
    (
        "Two truths and a lie",
        "get_to_know",
        "both",
        "high",
        20,
        4,
        10,
        "",
        ["guessing", "stories"],
        "Each person says three short statements about themselves: two are true, one is not. "
        "The group guesses which is the lie. It needs quite a lot of talking, so it suits "
        "groups who share a language well.",
    ),
    (
        "Line-up by years in the field",
        "mixing",
        "room",
        "low",
        10,
        8,
        80,
        "",
        ["line-up", "movement", "no materials"],
        "Everyone lines up along one wall by how many years they have worked with job-seekers "
        "or migrants, from the newest to the most experienced, using gestures and numbers on "
        "fingers if needed. Then fold the line in the middle: the newest talks with the most "
        "experienced for five minutes.",
    ),
    (
        "Greetings of the world",
        "energise",
        "both",
        "low",
        10,
        4,
        None,
        "",
        ["languages", "energy"],
        "Each person teaches the group how to say *hello* and *thank you* in a language they "
        "speak. The group repeats it together. End by greeting each other in a language that "
        "is not your own.",
    ),
    (
        "Common ground",
        "mixing",
        "both",
        "medium",
        15,
        3,
        5,
        "Paper and a pen per group",
        ["groups", "countries"],
        "Mixed groups of three to five, each from at least two countries, have ten minutes to "
        "find three things they all have in common that are not obvious (not 'we all work with "
        "migrants'). Each group shares its most surprising one.",
    ),
    (
        "Weather report",
        "check_in",
        "online",
        "low",
        5,
        2,
        None,
        "",
        ["check-in", "online", "symbols"],
        "Everyone types or shows a weather symbol that describes their day so far: sun, clouds, "
        "rain, storm, rainbow. No explanation is needed; those who want can add a sentence.",
    ),
    (
        "A photo from my workplace",
        "get_to_know",
        "online",
        "medium",
        15,
        3,
        30,
        "A phone with a camera",
        ["photos", "online", "work"],
        "Everyone takes or picks a photo from their workplace (no faces without consent) and "
        "shares it on the board. In turn, people say in one or two sentences what the photo "
        "shows. Good for online sessions before a study visit.",
    ),
    (
        "Human bingo",
        "mixing",
        "room",
        "medium",
        20,
        10,
        80,
        "A bingo sheet per person with facts such as 'speaks three languages'",
        ["bingo", "movement"],
        "Give everyone a sheet of squares with facts ('has worked abroad', 'speaks three "
        "languages', 'came by train'). People walk around and find someone for each square, "
        "one name per person. The first with a full row shouts *bingo*.",
    ),
    (
        "Name and gesture",
        "energise",
        "room",
        "low",
        10,
        6,
        25,
        "",
        ["names", "movement", "no materials"],
        "Standing in a circle, each person says their name with a gesture. The whole circle "
        "repeats the name and the gesture. A quick way to learn names across languages.",
    ),
    (
        "Postcards of expectations",
        "check_in",
        "room",
        "low",
        15,
        4,
        40,
        "A pile of picture postcards",
        ["pictures", "expectations"],
        "Spread picture postcards on a table. Each person picks one that shows what they hope "
        "to take home from the meeting and says why in a sentence. Keep the cards for the "
        "reflection round at the end and ask whether the hope came true.",
    ),
]


def seed(project, stdout):
    icebreakers = seed_icebreakers()
    organisations = {o.short_name: o for o in project.organisations.all()}
    members = list(project.memberships.select_related("user", "organisation"))
    tampere = seed_tampere(project, organisations, members)
    link_pitch_session(tampere)
    online = seed_online_session(project, organisations, members)
    brussels = seed_brussels(project, organisations, members)
    seed_tasks(project, organisations, members, tampere, brussels)
    stdout.write(
        f"Meetings: {tampere.title}, {online.title}, {brussels.title}; "
        f"{len(icebreakers)} icebreakers in the shared library."
    )


def link_pitch_session(meeting):
    """Link the Tampere pitch slot to the finished pitch session the practices demo ran
    (practices seed before meetings); found by its kind and its title, the slot's own."""
    item = AgendaItem.objects.filter(day__meeting=meeting, kind="pitch_session").first()
    if item is None or item.live_activity_id is not None:
        return
    activity = LiveActivity.objects.filter(
        project=meeting.project,
        kind=LiveActivity.Kind.PITCH,
        title=item.title,
        agenda_item__isnull=True,
    ).first()
    if activity is not None:
        item.live_activity = activity
        item.save(update_fields=["live_activity"])


def seed_icebreakers():
    icebreakers = []
    for entry in ICEBREAKERS:
        name, purpose, setting, language, minutes, smallest, largest, materials, tags, text = entry
        icebreaker, created = Icebreaker.objects.get_or_create(
            project=None,
            name=name,
            defaults={
                "purpose": purpose,
                "setting": setting,
                "language_demand": language,
                "duration": minutes,
                "group_min": smallest,
                "group_max": largest,
                "materials": materials,
                "instructions": text,
            },
        )
        if created:
            icebreaker.tags.set(tags)
        icebreakers.append(icebreaker)
    return icebreakers


def agenda(meeting, days):
    """Fill each day with (kind, title, minutes, extra fields) items, in order."""
    for day, (theme, starts, ends, items) in zip(meeting.days.order_by("date"), days, strict=True):
        services.save_day(day=day, title=theme, starts_at=starts, ends_at=ends)
        for kind, title, minutes, extra in items:
            services.add_item(day=day, kind=kind, title=title, duration=minutes, **extra)


def existing(project, title):
    return project.meetings.filter(title=title).first()


def record_history(meeting, members, *, checked_in_share):
    """Registrations and attendance of a meeting that has already taken place.

    The services refuse to register for a past meeting, as they should; the demo writes the
    history straight into the table, with the times it would have had.
    """
    start = timezone.make_aware(datetime.combine(meeting.starts_on, time(9)), meeting.zone)
    for index, membership in enumerate(members):
        Registration.objects.get_or_create(
            meeting=meeting,
            user=membership.user,
            defaults={
                "organisation": membership.organisation,
                "status": Registration.Status.CONFIRMED,
                "registered_at": start - timedelta(days=30 - index),
                "checked_in_at": start + timedelta(minutes=index)
                if index < len(members) * checked_in_share
                else None,
                "dietary_needs": "Vegetarian" if index % 3 == 0 else "",
            },
        )


def seed_tampere(project, organisations, members):
    title = "Seminar in Tampere: recognising skills on the way into work"
    meeting = existing(project, title)
    if meeting:
        return meeting
    takk, tau, silta, tsl = (organisations.get(n) for n in ("TAKK", "TAU", "Silta", "TSL"))
    meeting = services.create_meeting(
        project=project,
        title=title,
        kind=Meeting.Kind.FACE_TO_FACE,
        status=Meeting.Status.PUBLISHED,
        host=takk,
        venue_name="TAKK Hervanta",
        venue_address="Hepolamminkatu 10, 33720 Tampere, Finland",
        map_url="https://www.openstreetmap.org/search?query=Hepolamminkatu%2010%20Tampere",
        time_zone="Europe/Helsinki",
        starts_on=date(2019, 10, 22),
        ends_on=date(2019, 10, 24),
        capacity=40,
        description=(
            "Three days in Tampere on the **recognition and validation of migrants' skills** "
            "and the path from training into work.\n\n"
            "- study visits to TAKK and to the city's employment services\n"
            "- pitches of good practices from Belgium, Finland and Sweden\n"
            "- a learning café and a reflection round to close\n\n"
            "Bring your country's context in five slides (see the assignment below)."
        ),
    )
    agenda(
        meeting,
        [
            (
                "Recognition of skills",
                time(9),
                time(21),
                [
                    ("break", "Arrival and coffee", 30, {"place": "Lobby"}),
                    ("lecture", "Welcome to TAKK", 20, {"responsible_organisation": takk}),
                    (
                        "icebreaker",
                        "Map of where we come from",
                        30,
                        {"place": "Auditorium", "materials": "Floor map of Europe"},
                    ),
                    (
                        "lecture",
                        "Validating competences in Finnish vocational education",
                        60,
                        {
                            "responsible_organisation": takk,
                            "responsible_person": "Leena Koskinen",
                            "place": "Auditorium",
                        },
                    ),
                    (
                        "meal",
                        "Lunch",
                        60,
                        {"fixed_start": time(12, 0), "place": "TAKK restaurant"},
                    ),
                    (
                        "study_visit",
                        "Study visit: integration training and skills demonstrations",
                        120,
                        {"responsible_organisation": takk, "place": "Workshops, building B"},
                    ),
                    ("break", "Coffee", 15, {}),
                    (
                        "pitch_session",
                        "Pitches: one good practice from each country",
                        75,
                        {"place": "Auditorium", "responsible_organisation": tsl},
                    ),
                    (
                        "meal",
                        "Dinner together",
                        120,
                        {"fixed_start": time(18, 30), "place": "Restaurant Plevna, Finlayson"},
                    ),
                ],
            ),
            (
                "Working-life tutors and peer groups",
                time(9),
                time(18),
                [
                    ("icebreaker", "Check-in word wall", 15, {}),
                    (
                        "lecture",
                        "Peer groups led by working-life tutors",
                        60,
                        {"responsible_organisation": silta},
                    ),
                    ("break", "Coffee", 15, {}),
                    (
                        "study_visit",
                        "Study visit: Tampere employment services for immigrants",
                        90,
                        {"place": "Tampere city centre"},
                    ),
                    ("meal", "Lunch", 60, {"fixed_start": time(12, 0)}),
                    (
                        "learning_cafe",
                        "Learning café: what works on the path into work",
                        90,
                        {"place": "Auditorium, five tables"},
                    ),
                    ("break", "Coffee", 15, {}),
                    (
                        "workshop",
                        "Workshop: which practice would we take home?",
                        60,
                        {"responsible_organisation": tsl},
                    ),
                    (
                        "city_tour",
                        "Walking tour of Tampere's industrial heritage",
                        90,
                        {"place": "Meeting point: Tammerkoski bridge"},
                    ),
                ],
            ),
            (
                "Reflection and next steps",
                time(9),
                time(13),
                [
                    ("icebreaker", "Cross-country speed pairs", 20, {}),
                    (
                        "lecture",
                        "Follow-up and evaluation research: first findings",
                        45,
                        {"responsible_organisation": tau},
                    ),
                    ("workshop", "Planning the seminar in Brussels", 60, {}),
                    ("reflection_round", "Reflection round: what did I gain?", 45, {}),
                    ("meal", "Lunch and goodbyes", 60, {}),
                ],
            ),
        ],
    )
    services.add_material(
        meeting=meeting,
        added_by=None,
        title="Practical information for Tampere",
        notes=(
            "Hotels near the railway station; tram line 3 to Hervanta (25 minutes).\n\n"
            "October in Tampere: bring a warm coat and shoes for the walking tour."
        ),
        url="https://visittampere.fi/en/",
    )
    services.add_material(
        meeting=meeting,
        added_by=None,
        title="Reading: recognition of prior learning",
        notes="A two-page summary to read before the first day.",
        upload=ContentFile(
            b"Recognition of prior learning (RPL) in short\n\n"
            b"1. Map what the person can already do.\n"
            b"2. Show it in real work tasks.\n"
            b"3. Record it so employers and schools can trust it.\n",
            name="rpl-summary.txt",
        ),
    )
    assignment = services.save_assignment(
        meeting=meeting,
        title="Our country's context in five slides",
        per=Assignment.Per.ORGANISATION,
        due_at=timezone.make_aware(datetime(2019, 10, 15, 16), meeting.zone),
        instructions=(
            "Each partner brings **its country's context in five slides**: the labour market, "
            "the services for migrant job-seekers, and the practice you will pitch."
        ),
    )
    record_history(meeting, members, checked_in_share=0.75)
    # One hand-in per organisation (the assignment is per organisation), whoever else the
    # other modules' demos added to the project.
    submitters = {}
    for membership in sorted(members, key=lambda m: m.pk):
        if membership.organisation_id:
            submitters.setdefault(membership.organisation_id, membership)
    for index, membership in enumerate(submitters.values()):
        submission = services.submit(
            assignment=assignment,
            membership=membership,
            text=f"Slides of {membership.organisation.name}: context and our practice.",
        )
        # Handed in back then: one a day after the deadline, to show a late one.
        handed_in = assignment.due_at + timedelta(days=1 if index == 1 else -2)
        Submission.objects.filter(pk=submission.pk).update(
            submitted_at=handed_in, is_late=handed_in > assignment.due_at
        )
    return meeting


def seed_online_session(project, organisations, members):
    title = "Webinar: trade unions and diversity at work"
    meeting = existing(project, title)
    if meeting:
        return meeting
    meeting = services.create_meeting(
        project=project,
        title=title,
        kind=Meeting.Kind.ONLINE,
        status=Meeting.Status.PUBLISHED,
        host=organisations.get("ABF"),
        online_url="https://meet.example.org/eme-trade-unions",
        time_zone="Europe/Stockholm",
        starts_on=date(2019, 12, 10),
        ends_on=date(2019, 12, 10),
        day_starts_at=time(13),
        day_ends_at=time(15),
        description=(
            "Two hours online between the seminars. Before the session, post in the shared "
            "workspace one question you would ask a trade union about newcomers at work."
        ),
    )
    agenda(
        meeting,
        [
            (
                "",
                time(13),
                time(15),
                [
                    ("icebreaker", "Weather report", 5, {}),
                    (
                        "online_session",
                        "How trade unions welcome newcomers: ABF and TSL",
                        35,
                        {"responsible_organisation": organisations.get("ABF")},
                    ),
                    ("workshop", "Breakout rooms: answers to your questions", 40, {}),
                    ("break", "Short break", 10, {}),
                    ("reflection_round", "Reflection round", 20, {}),
                ],
            )
        ],
    )
    services.add_material(
        meeting=meeting,
        added_by=None,
        title="Preparatory work in the shared workspace",
        notes=(
            "1. Read the two-page introduction to diversity training.\n"
            "2. Post **one question** for the trade unions.\n"
            "3. Comment on two questions from partners in other countries."
        ),
        url="https://workspace.example.org/eme/trade-unions",
    )
    assignment = services.save_assignment(
        meeting=meeting,
        title="One question for the trade unions",
        per=Assignment.Per.PERSON,
        due_at=timezone.make_aware(datetime(2019, 12, 6, 12), meeting.zone),
        instructions="Write one question you would ask a trade union about newcomers at work.",
    )
    record_history(meeting, members, checked_in_share=1)
    for membership in members[:2]:
        submission = services.submit(
            assignment=assignment,
            membership=membership,
            text="How do you reach members who do not yet speak the local language?",
        )
        Submission.objects.filter(pk=submission.pk).update(
            submitted_at=assignment.due_at - timedelta(days=1), is_late=False
        )
    return meeting


def seed_brussels(project, organisations, members):
    title = "Seminar in Brussels: employers and the first job"
    meeting = existing(project, title)
    if meeting:
        return meeting
    eva, vub = organisations.get("EVA bxl"), organisations.get("VUB-BAS")
    # The one meeting still ahead, so the demo can show registration and the waiting list.
    starts_on = timezone.localdate() + timedelta(days=45)
    meeting = services.create_meeting(
        project=project,
        title=title,
        kind=Meeting.Kind.HYBRID,
        status=Meeting.Status.PUBLISHED,
        host=eva,
        venue_name="EVA bxl",
        venue_address="Rue de la Loi 42, 1040 Brussels, Belgium",
        online_url="https://meet.example.org/eme-brussels",
        time_zone="Europe/Brussels",
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=1),
        capacity=25,
        description=(
            "Two days with employers in Brussels: what they need from a new employee, and how "
            "partners prepare job-seekers for the first job. Those who cannot travel join online."
        ),
    )
    agenda(
        meeting,
        [
            (
                "Employers' view",
                time(9, 30),
                time(17),
                [
                    ("icebreaker", "One object that tells about your work", 25, {}),
                    (
                        "lecture",
                        "What employers need from a new employee",
                        60,
                        {"responsible_organisation": eva},
                    ),
                    ("break", "Coffee", 15, {}),
                    (
                        "study_visit",
                        "Study visit: a social enterprise in Molenbeek",
                        105,
                        {"place": "Molenbeek"},
                    ),
                    ("meal", "Lunch", 60, {"fixed_start": time(13)}),
                    ("pitch_session", "Pitches: practices we applied at home", 60, {}),
                    ("learning_cafe", "Learning café with employers", 90, {}),
                ],
            ),
            (
                "Results and transfer",
                time(9, 30),
                time(13),
                [
                    ("icebreaker", "Line-up by years in the field", 10, {}),
                    (
                        "lecture",
                        "Evaluation: what the project changed",
                        45,
                        {"responsible_organisation": vub},
                    ),
                    ("reflection_round", "Reflection round", 45, {}),
                    ("meal", "Lunch", 60, {}),
                ],
            ),
        ],
    )
    services.save_assignment(
        meeting=meeting,
        title="A practice we applied at home",
        per=Assignment.Per.ORGANISATION,
        due_at=timezone.make_aware(
            datetime.combine(starts_on - timedelta(days=7), time(17)), meeting.zone
        ),
        instructions="Describe in half a page one practice from a partner that you tried at home.",
    )
    for membership in members:
        if membership.role != Role.FACILITATOR:
            services.register(
                meeting=meeting,
                membership=membership,
                accessibility_needs="Step-free access" if membership.role == Role.PARTNER else "",
            )
    return meeting


def seed_tasks(project, organisations, members, tampere, brussels):
    if project.tasks.exists():
        return
    coordinator = next((m.user for m in members if m.role == Role.COORDINATOR), None)
    tasks = [
        ("Send the flip-chart photos of the learning café to TAU", None, "TAU", tampere, True),
        ("Translate the Tampere summary into Swedish", None, "Piteå", tampere, False),
        ("Book the venue and lunch in Brussels", None, "EVA bxl", brussels, False),
        ("Share the peer-group handbook with the partners", None, "Silta", tampere, False),
        ("Collect the reflection-round notes", coordinator, None, tampere, True),
    ]
    for title, user, short_name, meeting, done in tasks:
        organisation = organisations.get(short_name) if short_name else None
        if user is None and organisation is None:
            continue
        task = services.save_task(
            project=project,
            title=title,
            assignee_user=user,
            assignee_organisation=organisation,
            due_on=meeting.starts_on + timedelta(days=30)
            if meeting == tampere
            else meeting.starts_on - timedelta(days=14),
            meeting=meeting,
        )
        if done:
            services.set_task_done(task=task, done=True)
