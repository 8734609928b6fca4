"""The learning dashboard of a project: what its meetings, practices, cafés, reflections and
surveys add up to, across meetings, filtered by country or organisation.

The core draws the page; each module adds its sections through `<app>/dashboard.py` with
`sections(project, scope) -> list[Section]` (found by jointlearn.modules.hooks), so the core
never imports a module. A section has headline figures, charts (jointlearn.charts, each with
its table of numbers) and tables.
"""

from dataclasses import dataclass, field

from django import forms
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .charts import bar_chart
from .models import LiveActivity, Organisation
from .modules import hooks


@dataclass(frozen=True)
class Scope:
    """Whose numbers: everyone, one country's organisations, or one organisation."""

    country: str = ""
    organisation: Organisation | None = None

    @property
    def is_filtered(self):
        return bool(self.country or self.organisation)

    def organisations(self, project):
        """The project's organisations in scope, as a queryset (for __in lookups)."""
        organisations = project.organisations.all()
        if self.organisation is not None:
            organisations = organisations.filter(pk=self.organisation.pk)
        if self.country:
            organisations = organisations.filter(country=self.country)
        return organisations


@dataclass
class Table:
    caption: str
    columns: list
    rows: list


@dataclass
class Section:
    title: str
    figures: list = field(default_factory=list)  # (label, value) pairs
    charts: list = field(default_factory=list)  # jointlearn.charts.Chart
    tables: list = field(default_factory=list)
    note: str = ""
    empty: str = ""  # said instead when the section has nothing to show yet


class ScopeForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All organisations"),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = list(project.organisations.order_by("country", "name"))
        countries = {
            organisation.country.code: organisation.country.name for organisation in organisations
        }
        ordered = sorted(countries.items(), key=lambda item: str(item[1]))
        self.fields["country"].choices = [("", _("All countries")), *ordered]
        self.fields["organisation"].queryset = project.organisations.order_by("name")

    def scope(self):
        if not self.is_valid():
            return Scope()
        return Scope(
            country=self.cleaned_data["country"] or "",
            organisation=self.cleaned_data["organisation"],
        )


def short_title(title):
    """A meeting's title as an axis label: what comes before its colon ("Seminar in Tampere:
    recognising skills" becomes "Seminar in Tampere"); the tables keep the whole title."""
    head = title.split(":", 1)[0].strip()
    return head or title


def collect(project, scope):
    """Every module's sections, the core's first (this module is the core's hook too)."""
    found = []
    for module in hooks("dashboard"):
        found.extend(module.sections(project, scope))
    return found


def sections(project, scope):
    """The core's own section: who takes part, and the live activities run."""
    members = project.memberships.all()
    organisations = project.organisations.all()
    if scope.is_filtered:
        organisations = scope.organisations(project)
        members = members.filter(organisation__in=organisations)
    kinds = dict(LiveActivity.Kind.choices)
    run = (
        project.live_activities.exclude(state=LiveActivity.State.PREPARED)
        .values("kind")
        .annotate(count=Count("pk"))
        .order_by("kind")
    )
    section = Section(
        title=_("Partnership"),
        figures=[
            (_("Organisations"), organisations.count()),
            (_("Countries"), organisations.values("country").distinct().count()),
            (_("Members"), members.count()),
        ],
    )
    rows = [(kinds.get(row["kind"], row["kind"]), row["count"]) for row in run]
    if rows and not scope.is_filtered:
        section.charts.append(
            bar_chart(_("Live activities run"), rows, value_label=_("Activities"))
        )
    return [section]
