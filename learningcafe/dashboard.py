"""What learning cafés add to the learning dashboard: cafés held, their notes, who took part by
country, and the most-voted note of each theme."""

from collections import Counter

from django.db.models import Count, Exists, OuterRef
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django_countries import countries

from jointlearn.charts import bar_chart
from jointlearn.dashboard import Section, Table
from jointlearn.models import Membership

from .models import Cafe, CafeParticipant, Note

# A dashboard shows a glimpse: the whole note is on the café's harvest page.
NOTE_GLIMPSE = 120


def sections(project, scope):
    return [cafes(project, scope)]


def member_in_scope(project, scope, user_field):
    """Members of the organisations in scope; guests belong to no known organisation, so a
    filtered dashboard leaves them out."""
    return Exists(
        Membership.objects.filter(
            project=project,
            user_id=OuterRef(user_field),
            organisation__in=scope.organisations(project),
        )
    )


def cafes(project, scope):
    section = Section(title=_("Learning cafés"))
    held = Cafe.objects.filter(activity__project=project).exclude(phase=Cafe.Phase.WAITING).count()
    if not held:
        section.empty = _("No learning café has started yet.")
        return section
    participants = CafeParticipant.objects.filter(cafe__activity__project=project).exclude(
        cafe__phase=Cafe.Phase.WAITING
    )
    notes = Note.objects.filter(cafe__activity__project=project, hidden=False)
    if scope.is_filtered:
        participants = participants.filter(member_in_scope(project, scope, "user_id"))
        notes = notes.filter(member_in_scope(project, scope, "author__user_id"))
    by_country = Counter(
        {
            row["country"]: row["count"]
            for row in participants.values("country").annotate(count=Count("pk"))
        }
    )
    top = {}  # theme -> (votes, text), the first most-voted note
    written = 0
    for theme, text, votes in notes.order_by("-votes", "created_at", "pk").values_list(
        "table__theme", "text", "votes"
    ):
        written += 1
        top.setdefault(theme, (votes, text))
    section.figures = [
        (_("Cafés held"), held),
        (_("Participants"), sum(by_country.values())),
        (_("Notes"), written),
    ]
    if by_country:
        section.charts.append(
            bar_chart(
                _("Café participants by country"),
                sorted(
                    (
                        (countries.name(code) if code else _("Unknown"), count)
                        for code, count in by_country.items()
                    ),
                    key=lambda item: (-item[1], str(item[0])),
                ),
                value_label=_("Participants"),
            )
        )
    if top:
        section.tables.append(
            Table(
                caption=_("Most-voted note per theme"),
                columns=[_("Theme"), _("Note"), _("Votes")],
                rows=[
                    [theme, Truncator(text).chars(NOTE_GLIMPSE), votes]
                    for theme, (votes, text) in sorted(top.items(), key=lambda item: item[0])
                ],
            )
        )
    section.note = _(
        "Counted over every café that has started. Guests are counted only when no country "
        "or organisation is chosen."
    )
    return section
