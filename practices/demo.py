"""Demo practices for the EME project, written in our own words from the source documents.

Called by `seed_demo` with the EME project; running it again changes nothing. Practices are
loaded always; evaluations by reviewers from other countries and an open evaluation round
only when the demo accounts exist (DEBUG or --accounts).
"""

from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from jointlearn import services as core_services
from jointlearn.live import protocol
from jointlearn.management.commands.seed_demo import DEMO_PASSWORD
from jointlearn.models import LiveActivity, Membership, Organisation, Role, User

from . import pitch, services
from .models import Evaluation, EvaluationRound, Practice

SEED_000 = "EME recommendations for transnational joint learning (Tampere University, 2020)"
SEED_001 = "EME project website, “About the project” (in Finnish)"
SEED_002 = "MigrationWork CIC, “Innovative ideas: Employment” (MiFriendly Cities briefing)"
SEED_003 = (
    "Policy Learning Platform webinar “Labour market integration of third country "
    "nationals: key learnings”"
)

# (organisation short name, title, summary, description, evidence, key figures, themes,
#  target groups, source)
PRACTICES = [
    (
        "TSL",
        "Peer groups guided by working-life tutors",
        "Job-seekers with a migrant background meet in small peer groups guided by a trained "
        "working-life tutor who has been through the same path, together with a professional "
        "counsellor.",
        "The groups combine individual guidance with group guidance. Members share what they "
        "learn about job-seeking, training and the language, and nobody has to face it "
        "alone.\n\n"
        "## How it works\n\n"
        "- Tutors with a migrant background are trained for the role and paid for it.\n"
        "- Each group is led by a tutor and a professional counsellor together, so the "
        "information about adult education and services stays up to date.\n"
        "- Groups meet weekly and add work trials in workplaces or rehabilitative workshops.",
        "Developed in the ESF project *Ote työhön* (Helsinki and Tampere, 2017–2019) and "
        "continued in EME with what partners learned from each other.",
        ["Tutors trained in Helsinki and Tampere", "Weekly groups of 6 to 10 people"],
        ["peer groups", "guidance", "mentoring"],
        ["Long-term unemployed", "Women"],
        SEED_000,
    ),
    (
        "Silta",
        "Person-centred counselling from one low-threshold office",
        "Long-term, one-to-one guidance that starts early and follows the person's own "
        "goals, given in one accessible office instead of many.",
        "Counsellors take time to learn what each person already knows and can do, and build "
        "the path to work or training from there. The person visits one office that brings "
        "the guidance together, instead of being sent between services.",
        "Participants said the steady contact with one counsellor made them confident enough "
        "to apply for vocational training.",
        [],
        ["guidance", "counselling", "one-stop"],
        ["Long-term unemployed", "Refugees"],
        SEED_000,
    ),
    (
        "TAKK",
        "Recognising competences before vocational training",
        "Before someone starts vocational training, their informal experience and prior "
        "learning are mapped and valued, so training starts from what they can already do.",
        "A skills interview and practical demonstrations in the workshop show what the "
        "person has learned at work or at home. The results shorten the training and are "
        "used again during it, which builds self-confidence.",
        "Shorter training paths for participants with prior experience in the trade.",
        [],
        ["validation", "vocational training"],
        ["Refugees", "Women"],
        SEED_000,
    ),
    (
        "HAO",
        "Ohjaamo one-stop guidance centres",
        "Young people get advice on work, study, housing and health under one roof, from "
        "staff of several public services who work as one team.",
        "Ohjaamo centres in Finland show that putting services in the same place is only the "
        "start: the staff of different organisations need a shared way of working and a "
        "shared focus on the person in front of them.",
        "Cited in the MiFriendly Cities briefing as a model of integrated services that made "
        "collaboration across organisational cultures work.",
        [],
        ["one-stop", "integrated services", "guidance"],
        ["Young people"],
        SEED_002,
    ),
    (
        "TAU",
        "Follow-up and evaluation research inside the project",
        "A research partner follows the project from the start, with surveys, pitch "
        "evaluations, observation and focus groups, so the partners can show what was "
        "learned and transferred.",
        "Researchers observed the transnational meetings, ran short surveys after each "
        "seminar, collected the peer evaluations of practices and held focus groups at the "
        "end. Their report fed the project's recommendations.",
        "The evaluation report of EME was written with the Vrije Universiteit Brussel.",
        ["5 transnational meetings followed"],
        ["evaluation", "joint learning"],
        ["Employers"],
        SEED_001,
    ),
    (
        "EVA bxl",
        "Culturally sensitive care ambassadors",
        "Unemployed migrants with informal care experience train as care ambassadors who "
        "connect older people in deprived Brussels neighbourhoods with the care they need.",
        "The training values the care that many women already give in their families and "
        "communities, and adds knowledge of the care system. Ambassadors bridge the gap "
        "between the care on offer and the older people who do not reach it.",
        "Run in the ESF project *Culturally sensitive care ambassadors – valorizing "
        "talents+* (2018–2021) with VUB-Belgian Ageing Studies, Kenniscentrum WWZ and "
        "Groep INTRO.",
        [],
        ["care", "validation", "elderly care"],
        ["Women", "Long-term unemployed"],
        SEED_001,
    ),
    (
        "INTRO",
        "Duo for a Job: mentors aged 50 and over",
        "Young newcomers are matched with volunteer mentors over fifty who have professional "
        "experience, for six months of meetings on the way to work.",
        "The duos meet every week. Mentors open their networks and explain the unwritten "
        "rules of the job market; they also carry a more positive picture of newcomers back "
        "into their own circles.",
        "About 25 new volunteer mentors join every month and most mentors sign up again.",
        [
            "53% in work after 12 months",
            "About 1,400 duos so far",
            "94% of mentors enrol again",
        ],
        ["mentoring", "volunteers", "intergenerational"],
        ["Young people", "Refugees"],
        SEED_002,
    ),
    (
        "WWZ",
        "Start from what the employer needs, not from what is missing",
        "Instead of listing what a job-seeker lacks, counsellors and employers talk about "
        "what every employee of a given workplace needs to know and do.",
        "Framing the conversation around the workplace keeps it from becoming a judgement "
        "of the person. Employers take part in introducing the newcomer to the work and to "
        "society, and learn about cultural differences themselves.",
        "",
        [],
        ["employers", "workplace", "inclusion"],
        ["Employers"],
        SEED_000,
    ),
    (
        "Utrecht",
        "Plan Einstein: living, learning and working together",
        "In Utrecht, asylum seekers and young local residents lived in the same building and "
        "followed courses together, from languages to entrepreneurship.",
        "Courses were open to both groups, which built friendships and networks from the "
        "first weeks after arrival. The study by VUB looked at what a Belgian city could "
        "take from it.",
        "Presented as a good practice from the Netherlands in the Policy Learning Platform "
        "webinar.",
        [],
        ["housing", "social bonds", "entrepreneurship"],
        ["Refugees", "Young people"],
        SEED_003,
    ),
    (
        "ABF",
        "Trade unions that open their doors to newcomers",
        "Trade-union actors invite employees with a migrant background into the union and "
        "offer diversity training to workplaces and union branches.",
        "New employees learn what a union does and how it can help them; union branches "
        "learn to include them in workplace networks. Diversity training covers respectful "
        "communication and learning from each other.",
        "",
        [],
        ["trade unions", "workplace", "inclusion"],
        ["Employers", "Refugees"],
        SEED_000,
    ),
    (
        "ABF",
        "Exchange for empowerment: an online handbook of methods",
        "Methods for involving and empowering newly arrived migrants, collected in an online "
        "handbook for professionals and volunteers across Europe.",
        "Each method has instructions, the group size, the time it takes and tips from those "
        "who tried it. The handbook was tested in areas with high unemployment.",
        "Produced in the ESF project *Exchange for empowerment* (2017–2019).",
        [],
        ["empowerment", "volunteers", "methods"],
        ["Refugees", "Women"],
        SEED_001,
    ),
    (
        "Piteå",
        "Introduction to work in elderly care",
        "Newly arrived migrants are introduced to jobs in municipal elderly care with "
        "language and culture training at the workplace and validation of what they know.",
        "Supervisors in the care homes are trained to support new colleagues. Language "
        "lessons use the words of the daily work, and earlier experience is validated.",
        "Part of the ESF project *Employment for migrants* (2018–2021) in Piteå, a "
        "municipality of about 42,000 people in northern Sweden.",
        [],
        ["elderly care", "language", "validation"],
        ["Refugees", "Women"],
        SEED_001,
    ),
    (
        "Piteå",
        "Fast track into shortage occupations",
        "Newcomers with education and experience in an occupation that lacks workers get a "
        "quicker path into it: language training and early work practice side by side.",
        "Employers, the public employment service and training providers agree on the steps "
        "for each occupation, so the path is the same for everyone who qualifies.",
        "Described in the MiFriendly Cities briefing as a Swedish example of fast-track "
        "approaches.",
        [],
        ["fast track", "employers", "language"],
        ["Refugees"],
        SEED_002,
    ),
    (
        "Evonik",
        "Start into a Job at Evonik (Germany)",
        "A chemicals company prepares unemployed young people for its three-year vocational "
        "training and, since 2015, trains refugees side by side with them.",
        "The company's foundation pays for the places and works with local NGOs and "
        "training providers. Refugees gain work experience and German colleagues; everyone "
        "on the course gains intercultural skills. Mapped by WWZ as an example of an "
        "employer taking the lead.",
        "Around 80% of participants go on to vocational training.",
        ["80% move on to vocational training"],
        ["employers", "vocational training"],
        ["Young people", "Refugees", "Employers"],
        SEED_002,
    ),
    (
        "SMWA",
        "Labour market mentors in Saxony (Germany)",
        "Mentors help third-country nationals and the companies that hire them through the "
        "first months of work, from paperwork to the team.",
        "The Saxon labour ministry funds mentors who support both sides. They advise "
        "employers on how to bring newcomers into the company as well as the newcomers "
        "themselves. Mapped by TAKK for the Tampere region.",
        "Presented in the Policy Learning Platform webinar as the MILEstone project's good "
        "practice.",
        [],
        ["mentoring", "employers"],
        ["Employers", "Refugees"],
        SEED_003,
    ),
    (
        "HAO",
        "Coding schools for refugees",
        "Volunteer-run schools teach refugees software development, where employers value "
        "demonstrated skills more than certificates.",
        "Schools such as ReDI School, CodeDoor and Devugees in Germany began with volunteers "
        "and grew into social enterprises. They also teach self-directed learning and "
        "workplace culture. Mapped by Helsingin aikuisopisto as an idea for adult education.",
        "ReDI School reports more than 350 graduates.",
        ["350+ graduates at ReDI School"],
        ["digital skills", "volunteers"],
        ["Young people", "Refugees"],
        SEED_002,
    ),
]

# The organisations the practices from Germany and the Netherlands come from, so each is
# shown with its own country (partners mapped them; the description says who).
# (short name, name, country, city, website)
SOURCE_ORGANISATIONS = [
    ("Evonik", "Evonik Industries", "DE", "Essen", "https://www.evonik.com/"),
    (
        "SMWA",
        "Saxon State Ministry for Economic Affairs, Labour and Transport",
        "DE",
        "Dresden",
        "https://www.smwa.sachsen.de/",
    ),
    ("Utrecht", "City of Utrecht (Plan Einstein)", "NL", "Utrecht", "https://www.utrecht.nl/"),
]

# The finished pitch session of the Tampere seminar: one practice from each partner
# country, rated by the room on three criteria and one word.
PITCH_SESSION_TITLE = "Pitches: one good practice from each country"
PITCH_PRACTICES = [
    "Peer groups guided by working-life tutors",
    "Duo for a Job: mentors aged 50 and over",
    "Introduction to work in elderly care",
]
PITCH_WORDS = ["inspiring", "practical", "brave", "clear", "human", "inspiring", "doable", ""]
PITCH_GUESTS = ["Amira", "Jonas", "Leila", "Pekka"]

# Extra demo reviewers so that every practice is rated from two other countries.
# (email, display name, language, time zone, organisation short name)
REVIEWERS = [
    ("mikko@example.org", "Mikko Laine", "fi", "Europe/Helsinki", "TAKK"),
    ("hanna@example.org", "Hanna Korhonen", "fi", "Europe/Helsinki", "HAO"),
    ("sofie@example.org", "Sofie Janssens", "nl", "Europe/Brussels", "INTRO"),
    ("youssef@example.org", "Youssef El Amrani", "fr", "Europe/Brussels", "WWZ"),
    ("karin@example.org", "Karin Nyström", "sv", "Europe/Stockholm", "ABF"),
    ("anders@example.org", "Anders Berg", "sv", "Europe/Stockholm", "Piteå"),
]
STRENGTHS = [
    "Clear steps that another organisation could follow.",
    "Builds on what people already know.",
    "Employers are part of it from the start.",
    "",
]
CHANGES = [
    "Our employment service would have to agree to count it as activation.",
    "We would need volunteers who speak the participants' languages.",
    "Funding after the project ends.",
    "",
]


@transaction.atomic
def seed(project, stdout):
    for short, name, country, city, website in SOURCE_ORGANISATIONS:
        Organisation.objects.get_or_create(
            project=project,
            name=name,
            defaults={"short_name": short, "country": country, "city": city, "website": website},
        )
    organisations = {o.short_name: o for o in project.organisations.all()}
    services.ensure_rubric(project=project)
    groups = {g.name: g for g in services.ensure_target_groups(project=project)}
    added = 0
    for short, title, summary, description, evidence, figures, themes, targets, source in PRACTICES:
        if Practice.objects.filter(project=project, title=title).exists():
            continue
        services.save_practice(
            project=project,
            author=None,
            title=title,
            organisation=organisations[short],
            summary=summary,
            description=description,
            evidence=evidence,
            key_figures=figures,
            themes=themes,
            target_groups=[groups[name] for name in targets if name in groups],
            source=source,
            status=Practice.Status.PUBLISHED,
        )
        added += 1
    if User.objects.filter(email="coordinator@example.org").exists():
        reviewers = seed_reviewers(project, organisations)
        seed_evaluations(project, reviewers)
        seed_round(project)
        seed_pitch_session(project)
        seed_transfers(project)
    stdout.write(f"Practices: {added} added, {project.practices.count()} in the library.")


def seed_reviewers(project, organisations):
    people = []
    for email, name, language, zone, short in REVIEWERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, DEMO_PASSWORD, display_name=name, preferred_language=language, time_zone=zone
            )
        Membership.objects.get_or_create(
            user=user,
            project=project,
            defaults={"organisation": organisations[short], "role": Role.PARTNER},
        )
        people.append(user)
    return people


def seed_evaluations(project, reviewers):
    """Three or four evaluations per practice from other countries, except the last two."""
    practices = list(project.practices.select_related("organisation").order_by("pk"))
    for index, practice in enumerate(practices[:-2]):
        others = [
            person
            for person in reviewers
            if person.memberships.get(project=project).organisation.country
            != practice.organisation.country
        ]
        for offset, person in enumerate(others[: 3 + index % 2]):
            if Evaluation.objects.filter(practice=practice, evaluator=person).exists():
                continue
            base = 3 + (index + offset) % 3
            scores = {
                criterion.pk: max(1, min(5, base + (position % 3) - 1))
                for position, criterion in enumerate(project.criteria.all())
            }
            services.submit_evaluation(
                practice=practice,
                evaluator=person,
                scores=scores,
                transferability=max(1, min(5, base + offset % 2 - 1)),
                strengths=STRENGTHS[(index + offset) % len(STRENGTHS)],
                transfer_changes=CHANGES[(index + offset) % len(CHANGES)],
            )


# "We applied this": organisations of other countries that took a practice home.
TRANSFERS = [
    (
        "Duo for a Job: mentors aged 50 and over",
        "mikko@example.org",
        "Mentors are retired members of our adult education network, paired with young "
        "people from the Ohjaamo queue; six months instead of four.",
        "Eleven pairs in the first year; seven of the young people in work or training.",
        120,
    ),
    (
        "Ohjaamo one-stop guidance centres",
        "sofie@example.org",
        "A weekly desk at the youth centre with a job coach, a social worker and an "
        "education adviser in one room, without appointment.",
        "",
        60,
    ),
    (
        "Trade unions that open their doors to newcomers",
        "hanna@example.org",
        "Union introductions in plain Finnish as part of the integration course.",
        "Three course groups so far; the union now runs it without us.",
        200,
    ),
]


def seed_transfers(project):
    for title, email, adapted, outcome, days_ago in TRANSFERS:
        practice = project.practices.filter(title=title).first()
        user = User.objects.filter(email=email).first()
        if practice is None or user is None or practice.transfers.filter(created_by=user).exists():
            continue
        services.record_transfer(
            practice=practice,
            created_by=user,
            adapted=adapted,
            outcome=outcome,
            applied_on=timezone.localdate() - timedelta(days=days_ago),
        )


def seed_round(project):
    if EvaluationRound.objects.filter(project=project, name="Spring peer review").exists():
        return
    waiting = list(project.practices.filter(evaluation_count=0).order_by("pk"))
    coordinator = project.memberships.filter(role=Role.COORDINATOR).first()
    services.open_round(
        project=project,
        name="Spring peer review",
        practices=waiting,
        deadline=timezone.now() + timedelta(days=21),
        reviewers_per_practice=3,
        created_by=coordinator.user if coordinator else None,
    )


def seed_pitch_session(project):
    """The Tampere seminar's pitch session, run to its end through the live protocol: the
    members and four guests rate each pitch, the facilitator moves on and ends it."""
    if LiveActivity.objects.filter(
        project=project, kind=LiveActivity.Kind.PITCH, title=PITCH_SESSION_TITLE
    ).exists():
        return
    host = project.memberships.filter(user__email="facilitator@example.org").first()
    if host is None:
        return
    practices = [project.practices.get(title=title) for title in PITCH_PRACTICES]
    session = pitch.create_pitch_session(
        project=project,
        created_by=host.user,
        title=PITCH_SESSION_TITLE,
        practices=practices,
        criteria=services.ensure_rubric(project=project)[:3],
    )
    criteria = pitch.session_criteria(session)
    raters = [
        protocol.Actor(membership=membership)
        for membership in project.memberships.select_related("user").order_by("pk")
    ] + [
        protocol.Actor(
            guest=core_services.join_as_guest(join_code=session.join_code, display_name=name)
        )
        for name in PITCH_GUESTS
    ]
    facilitator = protocol.Actor(membership=host)
    for position, practice in enumerate(practices):
        if position:
            protocol.apply_op(
                activity_id=session.pk,
                actor=facilitator,
                op_id=f"demo-next-{position}",
                op="pitch.next",
                data={"expected": position - 1},
            )
        for number, rater in enumerate(raters):
            base = 3 + (number + position) % 3
            data = {
                f"c{entry['id']}": max(1, min(entry["scale_max"], base - index % 2))
                for index, entry in enumerate(criteria)
            }
            protocol.apply_op(
                activity_id=session.pk,
                actor=rater,
                op_id=f"demo-rate-{position}",
                op="pitch.rate",
                data={
                    "practice": practice.pk,
                    "word": PITCH_WORDS[(number + position) % len(PITCH_WORDS)],
                    **data,
                },
            )
    protocol.apply_op(
        activity_id=session.pk,
        actor=facilitator,
        op_id="demo-end",
        op="state.set",
        data={"state": LiveActivity.State.ENDED},
    )
    # It ran on the seminar's first afternoon (22 October 2019, 15:15 in Tampere).
    held = datetime(2019, 10, 22, 12, 15, tzinfo=UTC)
    LiveActivity.objects.filter(pk=session.pk).update(created_at=held)
    session.pitch_ratings.update(created_at=held, updated_at=held)
