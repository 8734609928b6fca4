"""The research export: a ZIP of pseudonymised tables and a codebook, only of consenting people.

Each module adds its tables through a hook, `<app>/research.py` with
`research_tables(export) -> list[Table]` (see docs/architecture.md). The core decides who is
in (`export.includes(user_id)`), names them (`export.pseudonym(user_id)`) and cleans their
free text (`export.redact(text)`); a module only reads its own rows.
"""

import csv
import hashlib
import hmac
import io
import json
import re
import secrets
import zipfile
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .consent import consenting_user_ids
from .exports import safe_row
from .models import Guest, Membership
from .modules import hooks

REMOVED_NAME = "[name]"
# Name parts shorter than this ("Li", "de") would blot out ordinary words.
SHORTEST_NAME_PART = 3


@dataclass
class Variable:
    """One column of a table, as the codebook describes it."""

    name: str
    type: str  # "string", "text", "integer", "date", "boolean"
    description: str
    values: str = ""
    question: str = ""


@dataclass
class Table:
    name: str
    source: str
    variables: list
    rows: list = field(default_factory=list)


class Redactor:
    """Removes members' names and email addresses from free text.

    A consenting person's full name or address becomes their pseudonym; anybody else's, and
    every part of any member's name on its own ("as Lotte said"), becomes "[name]".
    """

    def __init__(self, people, pseudonyms):
        replacements = {}
        parts = set()
        for user_id, name, email in people:
            stand_in = pseudonyms.get(user_id, REMOVED_NAME)
            for text in (name, email):
                if text and text.strip():
                    replacements[text.strip().casefold()] = stand_in
            for part in re.split(r"[\s._\-]+", name or ""):
                if len(part) >= SHORTEST_NAME_PART:
                    parts.add(part.casefold())
        for part in parts:
            replacements.setdefault(part, REMOVED_NAME)
        self.replacements = replacements
        # Longest first, so "Lotte Peeters" goes before "Lotte"; addresses match whole.
        alternatives = sorted(replacements, key=len, reverse=True)
        self.pattern = (
            re.compile(
                r"(?<!\w)(" + "|".join(re.escape(a) for a in alternatives) + r")(?!\w)",
                re.IGNORECASE,
            )
            if alternatives
            else None
        )
        self.emails = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")

    def __call__(self, text):
        if not text:
            return text or ""
        if self.pattern is not None:
            text = self.pattern.sub(lambda m: self.replacements[m.group(0).casefold()], text)
        # Any other address (someone outside the project) goes too.
        return self.emails.sub(REMOVED_NAME, text)


class Export:
    """What a hook gets: who is in, their pseudonyms, the redactor, and the project."""

    def __init__(self, project, *, salt=None):
        self.project = project
        # A new random salt per export, never stored: pseudonyms stay stable inside one
        # export and cannot be traced back or matched across exports without it.
        self._salt = salt or secrets.token_bytes(32)
        self.consenting = consenting_user_ids(project)
        members = list(
            Membership.objects.filter(project=project).select_related("user", "organisation")
        )
        self.memberships = {m.user_id: m for m in members}
        self._pseudonyms = {user_id: self._pseudonym(user_id) for user_id in self.consenting}
        # Guests' display names go too: people quote a guest by name as readily as a member
        # (not a name as short as "Jo", which would blot out ordinary words).
        guests = Guest.objects.filter(project=project).values_list("display_name", flat=True)
        self.redact = Redactor(
            [(m.user_id, m.user.display_name, m.user.email) for m in members]
            + [(None, name, "") for name in guests if len(name.strip()) >= SHORTEST_NAME_PART],
            self._pseudonyms,
        )

    def _pseudonym(self, user_id):
        digest = hmac.new(self._salt, str(user_id).encode(), hashlib.sha256).hexdigest()
        return f"P-{digest[:12]}"

    def includes(self, user_id):
        return user_id in self.consenting

    def pseudonym(self, user_id):
        return self._pseudonyms[user_id]

    def organisation_of(self, user_id):
        membership = self.memberships.get(user_id)
        return membership.organisation if membership else None

    def country_of(self, user_id):
        organisation = self.organisation_of(user_id)
        return organisation.country.code if organisation else ""


def research_tables(export):
    """The core's own table: one row per consenting member."""
    variables = [
        Variable("person", "string", _("Pseudonym of the member")),
        Variable("country", "string", _("Country of the member's organisation (ISO code)")),
        Variable("organisation", "string", _("The member's partner organisation")),
        Variable(
            "role",
            "string",
            _("Role in the project"),
            "coordinator, partner, facilitator, participant",
        ),
        Variable("joined_on", "date", _("Day the member joined the project")),
    ]
    rows = [
        {
            "person": export.pseudonym(user_id),
            "country": export.country_of(user_id),
            "organisation": str(membership.organisation or ""),
            "role": membership.role,
            "joined_on": membership.joined_at.date().isoformat(),
        }
        for user_id, membership in sorted(export.memberships.items())
        if export.includes(user_id)
    ]
    return [
        Table("participants", _("Project: members who agreed to research use"), variables, rows)
    ]


def build_tables(export):
    tables = []
    for module in hooks("research"):
        tables.extend(module.research_tables(export))
    return tables


def codebook_rows(tables):
    return [
        {
            "table": table.name,
            "variable": variable.name,
            "type": variable.type,
            "description": variable.description,
            "values": variable.values,
            "question": variable.question,
            "source": table.source,
        }
        for table in tables
        for variable in table.variables
    ]


def _csv(fieldnames, rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(safe_row({key: row.get(key, "") for key in fieldnames}) for row in rows)
    return buffer.getvalue()


README = """JointLearn research export
Project: {project}
Made: {made}
Consenting participants: {people}

Only people whose latest decision was yes to research use are included. Each person
appears under a pseudonym (P-…) made with a random salt that was used for this export
only and never stored: pseudonyms are the same across the tables of this export, and
differ from those of any other export. Names and email addresses of the project's members
are removed from free text: a consenting person's become their pseudonym, anyone else's
become "[name]". Answers to anonymous surveys carry no pseudonym. The words of anonymous
reflection rounds and of guests are left out, since nobody can tell whether their authors
agreed; only the learning formats named in anonymous rounds are counted.

codebook.csv and codebook.json describe every variable of every table.
{empty}"""

EMPTY_NOTE = (
    "\nNobody in the project has agreed to research use, so every table is empty: this is a\n"
    "complete export of nobody's data, not an error.\n"
)


@dataclass
class ResearchExport:
    filename: str
    content: bytes
    people: int
    tables: list


def build_export(*, project, salt=None):
    """The ZIP of the project's research data set, built in memory."""
    export = Export(project, salt=salt)
    tables = build_tables(export)
    made = timezone.now()
    codebook = codebook_rows(tables)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            README.format(
                project=project.name,
                made=made.isoformat(timespec="seconds"),
                people=len(export.consenting),
                empty=EMPTY_NOTE if not export.consenting else "",
            ),
        )
        archive.writestr(
            "codebook.csv",
            _csv(
                ["table", "variable", "type", "description", "values", "question", "source"],
                codebook,
            ),
        )
        archive.writestr("codebook.json", json.dumps(codebook, ensure_ascii=False, indent=2))
        for table in tables:
            archive.writestr(
                f"{table.name}.csv", _csv([v.name for v in table.variables], table.rows)
            )
    return ResearchExport(
        filename=f"{project.slug}-research-{made:%Y%m%d-%H%M}.zip",
        content=buffer.getvalue(),
        people=len(export.consenting),
        tables=tables,
    )
