"""What reflection rounds add to the learning dashboard: the learning formats people named in
their answers, counted per meeting."""

from collections import Counter

from django.db.models import BigIntegerField, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from jointlearn.charts import bar_chart, line_chart
from jointlearn.dashboard import Section, Table, short_title
from jointlearn.models import LiveActivity, Membership
from meetings.models import AgendaItem, Meeting

from .models import Answer, LearningFormat

# Lines beyond this many would share colours; the table behind the chart has every format.
CHART_FORMATS = 6


def sections(project, scope):
    return [formats_per_meeting(project, scope)]


def answers_in(project, scope):
    """The answers of the project's reflection rounds whose author is in scope.

    A member counts for their organisation in this project. Answers of anonymous rounds and
    of guests belong to nobody known, so they count only when the dashboard is unfiltered.
    """
    answers = Answer.objects.filter(
        activity__project=project, activity__kind=LiveActivity.Kind.REFLECTION
    )
    if scope.is_filtered:
        answers = answers.filter(
            Exists(
                Membership.objects.filter(
                    project=project,
                    user_id=OuterRef("user_id"),
                    organisation__in=scope.organisations(project),
                )
            )
        )
    # The round's meeting: chosen when it was opened, else the meeting of its agenda item.
    from_agenda = AgendaItem.objects.filter(live_activity_id=OuterRef("activity_id")).values(
        "day__meeting_id"
    )[:1]
    return answers.annotate(
        meeting_id=Coalesce(
            F("activity__reflection_round__meeting_id"),
            Subquery(from_agenda),
            output_field=BigIntegerField(),
        )
    ).values_list("meeting_id", "activity__title", "activity__created_at", "formats")


def formats_per_meeting(project, scope):
    section = Section(title=_("Learning formats named in reflection rounds"))
    counts = {}  # meeting id, or the round's title when it has no meeting -> Counter
    answered, tagged = Counter(), Counter()
    first_seen = {}
    for meeting_id, round_title, created_at, formats in answers_in(project, scope):
        key = meeting_id or round_title
        known = [value for value in formats or [] if value in LearningFormat.values]
        counts.setdefault(key, Counter()).update(known)
        answered[key] += 1
        tagged[key] += bool(known)
        first_seen[key] = min(first_seen.get(key, created_at), created_at)
    if not answered:
        section.empty = _("No reflection round has answers yet.")
        return section
    meetings = {
        meeting.pk: meeting
        for meeting in Meeting.objects.filter(
            pk__in=[key for key in counts if isinstance(key, int)]
        ).only("title", "starts_on")
    }

    def when(key):
        meeting = meetings.get(key)
        return (meeting.starts_on if meeting else first_seen[key].date(), str(key))

    order = sorted(counts, key=when)
    labels = [meetings[key].title if key in meetings else key for key in order]
    totals = Counter()
    for counter in counts.values():
        totals.update(counter)
    named = [value for value, _label in LearningFormat.choices if totals[value]]
    names = dict(LearningFormat.choices)
    section.figures = [
        (_("Meetings with a reflection round"), sum(1 for key in order if key in meetings)),
        (_("Answers"), sum(answered.values())),
        (_("Answers naming a format"), sum(tagged.values())),
    ]
    if not named:
        section.note = _("No answer has been tagged with a learning format yet.")
        return section
    ranked = sorted(named, key=lambda value: (-totals[value], named.index(value)))
    title = _("Learning formats named, per meeting")
    if len(order) == 1:
        section.charts.append(
            bar_chart(
                title,
                [(str(names[value]), totals[value]) for value in ranked],
                value_label=short_title(labels[0]),
            )
        )
    else:
        top = max(counter[value] for counter in counts.values() for value in named)
        step = max(1, -(-top // 5))
        section.charts.append(
            line_chart(
                title,
                [short_title(label) for label in labels],
                {
                    str(names[value]): [counts[key][value] for key in order]
                    for value in ranked[:CHART_FORMATS]
                },
                maximum=step * 5,
                ticks=range(0, step * 5 + 1, step),
            )
        )
    section.tables.append(
        Table(
            caption=_("Learning formats named in reflection rounds, per meeting"),
            columns=[_("Meeting"), *(str(names[value]) for value in ranked), _("Answers")],
            rows=[
                [label, *(counts[key][value] for value in ranked), answered[key]]
                for key, label in zip(order, labels, strict=True)
            ],
        )
    )
    section.note = _(
        "An answer can name several formats. Answers of anonymous rounds and of guests "
        "are counted only when no country or organisation is chosen."
    )
    return section
