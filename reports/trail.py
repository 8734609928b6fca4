"""The learning trail: what became of a practice, and what a meeting led to, across modules.

A practice's trail: the pitch sessions it was pitched in and how the room rated it, the café
tables where it came up (notes linked to it, and notes naming it) and what was said, the
reflection answers that name it, where it was applied, and the tasks that name it. A
meeting's trail: what it produced (its activities and their key results, the practices
pitched, the café's most-voted notes, the learning formats named, feedback answers) and what
happened after it (transfers of the practices it showed, its tasks, follow-up surveys).

Each trail reads a fixed number of queries however much there is. Hidden notes never
appear and the authors of answers in anonymous rounds are never named.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import ngettext

from jointlearn.models import LiveActivity, WordWallEntry
from learningcafe.models import Note
from meetings.models import AgendaItem, Task
from meetings.permissions import can_see_meeting
from practices import pitch
from practices.models import PitchRating, Practice, Transfer
from practices.permissions import can_view_practice
from reflections.models import Answer, LearningFormat, ReflectionRound, Vote
from surveys.models import Survey

TOP_NOTES = 3


def meetings_of(activity_ids):
    """{activity id: meeting}: the meeting of the agenda item an activity was prepared for, or
    the meeting a reflection round was opened for. Two queries."""
    found = {}
    for item in AgendaItem.objects.filter(live_activity_id__in=activity_ids).select_related(
        "day__meeting"
    ):
        found[item.live_activity_id] = item.day.meeting
    for reflection in ReflectionRound.objects.filter(
        activity_id__in=activity_ids, meeting__isnull=False
    ).select_related("meeting"):
        found.setdefault(reflection.activity_id, reflection.meeting)
    return found


def visible_meeting(membership, meeting):
    return meeting if meeting is not None and can_see_meeting(membership, meeting) else None


def names(text, title):
    return title.casefold() in text.casefold()


@dataclass
class PracticeTrail:
    practice: Practice
    pitches: list = field(default_factory=list)
    cafes: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    transfers: list = field(default_factory=list)
    tasks: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not (self.pitches or self.cafes or self.answers or self.transfers or self.tasks)


def practice_trail(practice, membership):
    """Everything that followed the practice, in nine queries."""
    project = practice.project
    title = practice.title
    sessions = [
        activity
        for activity in LiveActivity.objects.filter(project=project, kind=LiveActivity.Kind.PITCH)
        .exclude(state=LiveActivity.State.PREPARED)
        .order_by("created_at", "pk")
        if practice.pk in pitch.practice_ids(activity)
    ]
    rated = {entry["activity"].pk: entry for entry in pitch.practice_pitch_results(practice)}
    notes = list(
        Note.objects.filter(cafe__activity__project=project, hidden=False)
        .filter(Q(practice=practice) | Q(text__icontains=title))
        .select_related("table", "cafe__activity")
        .order_by("cafe__activity__created_at", "table__number", "round_index", "created_at")
    )
    # SQLite compares only ASCII letters without case: the match is checked again here.
    notes = [note for note in notes if note.practice_id == practice.pk or names(note.text, title)]
    answers = [
        answer
        for answer in Answer.objects.filter(activity__project=project, text__icontains=title)
        .select_related("activity__reflection_round")
        .order_by("created_at", "pk")
        if names(answer.text, title)
    ]
    activity_ids = (
        [activity.pk for activity in sessions]
        + [note.cafe.activity_id for note in notes]
        + [answer.activity_id for answer in answers]
    )
    meetings = meetings_of(set(activity_ids))
    trail = PracticeTrail(practice=practice)
    for activity in sessions:
        entry = rated.get(activity.pk)
        trail.pitches.append(
            {
                "activity": activity,
                "meeting": visible_meeting(membership, meetings.get(activity.pk)),
                "summary": entry["summary"] if entry else None,
                "rows": entry["rows"] if entry else [],
            }
        )
    cafes = {}
    for note in notes:
        activity = note.cafe.activity
        cafe = cafes.setdefault(
            activity.pk,
            {
                "activity": activity,
                "meeting": visible_meeting(membership, meetings.get(activity.pk)),
                "tables": {},
            },
        )
        cafe["tables"].setdefault(note.table_id, {"table": note.table, "notes": []})[
            "notes"
        ].append(note)
    trail.cafes = [dict(cafe, tables=list(cafe["tables"].values())) for cafe in cafes.values()]
    for answer in answers:
        reflection = getattr(answer.activity, "reflection_round", None)
        anonymous = reflection is None or reflection.anonymous
        trail.answers.append(
            {
                "answer": answer,
                "activity": answer.activity,
                "meeting": visible_meeting(membership, meetings.get(answer.activity_id)),
                "author": "" if anonymous else answer.author_name,
                "formats": format_labels(answer.formats),
            }
        )
    trail.transfers = list(
        Transfer.objects.filter(practice=practice)
        .select_related("organisation")
        .order_by("applied_on", "pk")
    )
    trail.tasks = [
        {"task": task, "meeting": visible_meeting(membership, task.meeting)}
        for task in Task.objects.filter(project=project, title__icontains=title).select_related(
            "meeting", "assignee_organisation", "assignee_user"
        )
        if names(task.title, title)
    ]
    return trail


def format_labels(values):
    labels = dict(LearningFormat.choices)
    return [str(labels.get(value, value)) for value in values]


@dataclass
class MeetingTrail:
    meeting: object
    activities: list = field(default_factory=list)
    practices: list = field(default_factory=list)
    formats: list = field(default_factory=list)
    answer_count: int = 0
    surveys: list = field(default_factory=list)
    transfers: list = field(default_factory=list)
    tasks: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)

    @property
    def produced_nothing(self):
        return not (self.activities or self.surveys)

    @property
    def nothing_after(self):
        return not (self.transfers or self.tasks or self.follow_ups)


def meeting_trail(meeting, membership):
    """What the meeting produced and what followed, in eleven queries."""
    project = meeting.project
    activities = list(
        LiveActivity.objects.filter(
            Q(agenda_item__day__meeting=meeting) | Q(reflection_round__meeting=meeting)
        )
        .exclude(state=LiveActivity.State.PREPARED)
        .distinct()
        .order_by("created_at", "pk")
    )
    ids = [activity.pk for activity in activities]
    kinds = {activity.pk: activity.kind for activity in activities}
    # Key results of every kind, each read for all activities at once.
    words = dict(
        WordWallEntry.objects.filter(activity_id__in=ids, hidden=False)
        .values("activity_id")
        .annotate(count=Count("pk"))
        .values_list("activity_id", "count")
    )
    votes = dict(
        Vote.objects.filter(activity_id__in=ids)
        .values("activity_id")
        .annotate(count=Count("pk"))
        .values_list("activity_id", "count")
    )
    ratings = {}
    for activity_id, practice_id, count in (
        PitchRating.objects.filter(activity_id__in=ids)
        .values("activity_id", "practice_id")
        .annotate(count=Count("pk"))
        .values_list("activity_id", "practice_id", "count")
    ):
        ratings[(activity_id, practice_id)] = count
    pitched_ids = []
    for activity in activities:
        if activity.kind == LiveActivity.Kind.PITCH:
            pitched_ids += [pk for pk in pitch.practice_ids(activity) if pk not in pitched_ids]
    notes = {}
    noted_practices = set()
    for note in (
        Note.objects.filter(cafe__activity_id__in=ids, hidden=False)
        .select_related("table", "cafe")
        .order_by("-votes", "created_at", "pk")
    ):
        notes.setdefault(note.cafe.activity_id, []).append(note)
        if note.practice_id:
            noted_practices.add(note.practice_id)
    formats = Counter()
    answers = Counter()
    for activity_id, values in Answer.objects.filter(activity_id__in=ids).values_list(
        "activity_id", "formats"
    ):
        formats.update(values)
        answers[activity_id] += 1
    shown_ids = pitched_ids + [pk for pk in noted_practices if pk not in pitched_ids]
    practices = {
        practice.pk: practice
        for practice in Practice.objects.filter(pk__in=shown_ids, project=project).select_related(
            "organisation"
        )
        if can_view_practice(membership, practice)
    }
    trail = MeetingTrail(meeting=meeting)
    for activity in activities:
        entry = {"activity": activity, "figures": [], "top_notes": []}
        kind = kinds[activity.pk]
        if kind == LiveActivity.Kind.WORD_WALL:
            count = words.get(activity.pk, 0)
            entry["figures"].append(ngettext("%(n)s word", "%(n)s words", count) % {"n": count})
        elif kind == LiveActivity.Kind.POLL:
            count = votes.get(activity.pk, 0)
            entry["figures"].append(ngettext("%(n)s vote", "%(n)s votes", count) % {"n": count})
        elif kind == LiveActivity.Kind.PITCH:
            session = pitch.practice_ids(activity)
            entry["figures"].append(
                ngettext("%(n)s practice pitched", "%(n)s practices pitched", len(session))
                % {"n": len(session)}
            )
            count = sum(ratings.get((activity.pk, pk), 0) for pk in session)
            entry["figures"].append(ngettext("%(n)s rating", "%(n)s ratings", count) % {"n": count})
        elif kind == LiveActivity.Kind.CAFE:
            found = notes.get(activity.pk, [])
            entry["figures"].append(
                ngettext("%(n)s note", "%(n)s notes", len(found)) % {"n": len(found)}
            )
            entry["top_notes"] = [note for note in found if note.votes > 0][:TOP_NOTES]
        elif kind == LiveActivity.Kind.REFLECTION:
            count = answers.get(activity.pk, 0)
            entry["figures"].append(ngettext("%(n)s answer", "%(n)s answers", count) % {"n": count})
        trail.activities.append(entry)
    pitched_in = {}
    for activity in activities:
        if activity.kind == LiveActivity.Kind.PITCH:
            for pk in pitch.practice_ids(activity):
                pitched_in[pk] = pitched_in.get(pk, 0) + ratings.get((activity.pk, pk), 0)
    trail.practices = [
        {
            "practice": practices[pk],
            "pitched": pk in pitched_in,
            "ratings": pitched_in.get(pk, 0),
            "noted": pk in noted_practices,
        }
        for pk in shown_ids
        if pk in practices
    ]
    trail.answer_count = sum(answers.values())
    labels = dict(LearningFormat.choices)
    trail.formats = [
        {"label": str(labels.get(value, value)), "count": count}
        for value, count in formats.most_common()
    ]
    surveys = list(
        Survey.objects.filter(
            Q(meeting=meeting)
            | Q(project=project, meeting__isnull=True, opens_at__date__gt=meeting.ends_on)
        )
        .annotate(response_count=Count("responses"))
        .order_by("opens_at", "pk")
    )
    trail.surveys = [survey for survey in surveys if survey.meeting_id == meeting.pk]
    trail.follow_ups = [survey for survey in surveys if survey.meeting_id is None]
    trail.transfers = list(
        Transfer.objects.filter(practice_id__in=list(practices), applied_on__gt=meeting.ends_on)
        .select_related("practice", "organisation")
        .order_by("applied_on", "pk")
    )
    trail.tasks = [
        {"task": task, "meeting": None}
        for task in meeting.tasks.select_related("assignee_organisation", "assignee_user")
    ]
    return trail
