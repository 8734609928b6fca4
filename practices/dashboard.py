"""What the practice library adds to the learning dashboard: practices submitted, evaluated
and applied elsewhere, and the mean evaluation per criterion over time."""

from collections import defaultdict

from django.db.models import Avg, Count, Exists, Min, OuterRef
from django.db.models.functions import TruncQuarter
from django.utils.translation import gettext as _
from django_countries import countries

from jointlearn.charts import bar_chart, line_chart
from jointlearn.dashboard import Section

from .models import Criterion, Practice, Score, Transfer


def sections(project, scope):
    return [library(project, scope), evaluation_over_time(project, scope)]


def practices_in(project, scope):
    practices = Practice.objects.filter(project=project, status=Practice.Status.PUBLISHED)
    if scope.is_filtered:
        practices = practices.filter(organisation__in=scope.organisations(project))
    return practices


def library(project, scope):
    applied_elsewhere = Transfer.objects.filter(practice=OuterRef("pk")).exclude(
        organisation=OuterRef("organisation")
    )
    rows = list(
        practices_in(project, scope)
        .annotate(
            evaluations_count=Count("evaluations", distinct=True),
            applied=Exists(applied_elsewhere),
        )
        .values("organisation__country", "evaluations_count", "applied")
    )
    section = Section(title=_("Practices"))
    if not rows:
        section.empty = _("No practice has been published yet.")
        return section
    section.figures = [
        (_("Published"), len(rows)),
        (_("Evaluated"), sum(1 for row in rows if row["evaluations_count"])),
        (_("Evaluations"), sum(row["evaluations_count"] for row in rows)),
        (_("Applied elsewhere"), sum(1 for row in rows if row["applied"])),
    ]
    by_country = defaultdict(int)
    for row in rows:
        by_country[row["organisation__country"]] += 1
    section.charts.append(
        bar_chart(
            _("Practices by country"),
            sorted(
                ((countries.name(code), count) for code, count in by_country.items()),
                key=lambda item: (-item[1], str(item[0])),
            ),
            value_label=_("Practices"),
        )
    )
    return section


def period_of(score):
    """Evaluations in a round belong to the round; the others to their quarter."""
    if score["evaluation__round__name"]:
        return score["evaluation__round__name"]
    quarter = score["quarter"]
    return _("%(year)s, quarter %(quarter)s") % {
        "year": quarter.year,
        "quarter": (quarter.month - 1) // 3 + 1,
    }


def evaluation_over_time(project, scope):
    scores = (
        Score.objects.filter(evaluation__practice__in=practices_in(project, scope))
        .values(
            "criterion_id",
            "evaluation__round__name",
            quarter=TruncQuarter("evaluation__created_at"),
        )
        .annotate(mean=Avg("value"), count=Count("pk"), first=Min("evaluation__created_at"))
    )
    section = Section(title=_("Mean evaluation per criterion over time"))
    sums = defaultdict(lambda: [0.0, 0])
    started = {}
    for score in scores:
        period = period_of(score)
        started[period] = min(started.get(period, score["first"]), score["first"])
        total = sums[(score["criterion_id"], period)]
        total[0] += score["mean"] * score["count"]
        total[1] += score["count"]
    if not sums:
        section.empty = _("No evaluation yet.")
        return section
    criteria = list(Criterion.objects.filter(project=project).order_by("position", "pk"))
    periods = sorted(started, key=started.get)
    series = {}
    for criterion in criteria:
        values = []
        for period in periods:
            total, count = sums.get((criterion.pk, period), (0, 0))
            values.append(round(total / count, 2) if count else None)
        if any(value is not None for value in values):
            series[criterion.label] = values
    top = max((criterion.scale_max for criterion in criteria), default=5)
    if len(periods) == 1:
        # One period so far: nothing to follow over time yet, so bars say it more plainly.
        chart = bar_chart(
            _("Mean score per criterion"),
            [(name, values[0]) for name, values in series.items()],
            maximum=top,
            value_label=periods[0],
        )
    else:
        chart = line_chart(_("Mean score per criterion"), periods, series, maximum=top)
    section.charts.append(chart)
    section.note = _(
        "Means of every evaluation of the practices shown, by round (or by quarter outside rounds)."
    )
    return section
