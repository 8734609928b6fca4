"""Load the demo: the EME project from the source documents, a second project, demo accounts."""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from jointlearn.models import JoinCode, Membership, Organisation, Project, Role, User
from jointlearn.modules import hooks

DEMO_PASSWORD = "jointlearn-demo"  # noqa: S105 - published in the README

EME_DESCRIPTION = """\
*Empowering Migrants for Employment* (EME, ESF 2018–2020) is about mutual learning.

Partners from Belgium, Finland and Sweden developed their expertise together by getting to
know each country's socially inclusive and empowering practices: the introduction of
migrants to work, and the recognition and validation of their skills. The project combined
transnational study visits and seminars with the documentation, exchange, evaluation and
application of good practices, innovative ways of working and expertise.

Tampere University, with the Vrije Universiteit Brussel, carried out the project's follow-up
and evaluation research.
"""

EME_ORGANISATIONS = [
    # (name, short name, country, city, website)
    ("Työväen Sivistysliitto TSL", "TSL", "FI", "Helsinki", "https://www.tsl.fi"),
    ("Silta-Valmennusyhdistys", "Silta", "FI", "Helsinki", ""),
    ("Tampereen aikuiskoulutuskeskus TAKK", "TAKK", "FI", "Tampere", ""),
    ("Helsingin aikuisopisto", "HAO", "FI", "Helsinki", ""),
    ("Tampere University", "TAU", "FI", "Tampere", "https://www.tuni.fi"),
    ("EVA bxl", "EVA bxl", "BE", "Brussels", ""),
    ("VUB – Belgian Ageing Studies", "VUB-BAS", "BE", "Brussels", ""),
    ("Kenniscentrum WWZ", "WWZ", "BE", "Brussels", ""),
    ("Groep INTRO", "INTRO", "BE", "Brussels", ""),
    ("Piteå kommun", "Piteå", "SE", "Piteå", ""),
    ("Arbetarnas Bildningsförbund ABF", "ABF", "SE", "", ""),
]

MENTORS_ORGANISATIONS = [
    (
        "Saxon State Ministry for Economic Affairs, Labour and Transport",
        "SMWA",
        "DE",
        "Dresden",
        "",
    ),
    ("Maramureș County Employment Agency", "AJOFM Maramureș", "RO", "Baia Mare", ""),
]

# (email, display name, language, time zone, project slug, organisation short name, role)
DEMO_ACCOUNTS = [
    (
        "coordinator@example.org",
        "Aino Virtanen",
        "fi",
        "Europe/Helsinki",
        "eme",
        "TSL",
        Role.COORDINATOR,
    ),
    (
        "partner@example.org",
        "Lotte Peeters",
        "nl",
        "Europe/Brussels",
        "eme",
        "EVA bxl",
        Role.PARTNER,
    ),
    (
        "facilitator@example.org",
        "Erik Lindström",
        "sv",
        "Europe/Stockholm",
        "eme",
        "Piteå",
        Role.FACILITATOR,
    ),
    (
        "participant@example.org",
        "Samira Haddad",
        "en",
        "Europe/Helsinki",
        "eme",
        "Silta",
        Role.PARTICIPANT,
    ),
    (
        "mentors@example.org",
        "Marcel Stumpf",
        "en",
        "Europe/Berlin",
        "mentors",
        "SMWA",
        Role.COORDINATOR,
    ),
]

DEMO_JOIN_CODES = [("eme", "EMEDEMO", "Seminar in Piteå")]


class Command(BaseCommand):
    help = "Load the demo projects (idempotent). Demo accounts only with DEBUG=1 or --accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--accounts",
            action="store_true",
            help="Create the demo accounts even when DEBUG is off (never on a public server).",
        )

    @transaction.atomic
    def handle(self, *args, accounts=False, **options):
        eme = self.project(
            slug="eme",
            name="Empowering Migrants for Employment (EME)",
            description=EME_DESCRIPTION,
            languages=["en", "fi", "sv", "nl"],
            time_zone="Europe/Helsinki",
            start_date=date(2018, 1, 1),
            end_date=date(2020, 12, 31),
            status=Project.Status.FINISHED,
            organisations=EME_ORGANISATIONS,
        )
        self.project(
            slug="mentors",
            name="Labour Market Mentors Exchange",
            description="Peer learning on labour-market mentoring for third-country nationals.",
            languages=["en"],
            time_zone="Europe/Berlin",
            start_date=date(2025, 1, 1),
            end_date=date(2026, 12, 31),
            status=Project.Status.ACTIVE,
            organisations=MENTORS_ORGANISATIONS,
        )
        for slug, code, label in DEMO_JOIN_CODES:
            JoinCode.objects.get_or_create(
                code=code, defaults={"project": Project.objects.get(slug=slug), "label": label}
            )
        if accounts or settings.DEBUG:
            self.accounts()
        for demo in hooks("demo"):
            # Each module adds its own demo in `<app>/demo.py`, with a `seed(project,
            # stdout)` that is idempotent like this command.
            demo.seed(eme, self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {eme.name} and its partners."))

    def project(self, *, slug, organisations, **fields):
        project, _created = Project.objects.get_or_create(slug=slug, defaults=fields)
        for name, short_name, country, city, website in organisations:
            Organisation.objects.get_or_create(
                project=project,
                name=name,
                defaults={
                    "short_name": short_name,
                    "country": country,
                    "city": city,
                    "website": website,
                },
            )
        return project

    def accounts(self):
        for email, name, language, zone, slug, short_name, role in DEMO_ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email,
                    DEMO_PASSWORD,
                    display_name=name,
                    preferred_language=language,
                    time_zone=zone,
                )
            project = Project.objects.get(slug=slug)
            Membership.objects.get_or_create(
                user=user,
                project=project,
                defaults={
                    "organisation": project.organisations.get(short_name=short_name),
                    "role": role,
                },
            )
        self.stdout.write(
            f"Demo accounts: {', '.join(a[0] for a in DEMO_ACCOUNTS)} (password {DEMO_PASSWORD})"
        )
