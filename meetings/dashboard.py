"""What meetings add to the learning dashboard: attendance by meeting, country and
organisation, and the tasks and assignments still open."""

from collections import Counter, defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_countries import countries

from jointlearn.charts import bar_chart
from jointlearn.dashboard import Section, Table

from .models import Assignment, Meeting, Registration, Task


def sections(project, scope):
    return [attendance(project, scope), open_work(project, scope)]


def attendance(project, scope):
    meetings = list(
        project.meetings.filter(
            status=Meeting.Status.PUBLISHED, starts_on__lte=timezone.localdate()
        ).order_by("starts_on")
    )
    registrations = Registration.objects.filter(
        meeting__in=[meeting.pk for meeting in meetings], status=Registration.Status.CONFIRMED
    )
    if scope.is_filtered:
        registrations = registrations.filter(organisation__in=scope.organisations(project))
    rows = registrations.values(
        "meeting_id", "organisation__name", "organisation__country"
    ).annotate(registered=Count("pk"), attended=Count("pk", filter=Q(checked_in_at__isnull=False)))
    by_meeting = defaultdict(Counter)
    by_country, by_organisation = Counter(), Counter()
    for row in rows:
        by_meeting[row["meeting_id"]].update(registered=row["registered"], attended=row["attended"])
        by_country[row["organisation__country"] or ""] += row["attended"]
        by_organisation[row["organisation__name"] or _("No organisation")] += row["attended"]
    section = Section(title=_("Meetings and attendance"))
    if not meetings:
        section.empty = _("No meeting has taken place yet.")
        return section
    attended = sum(by_country.values())
    section.figures = [
        (_("Meetings held"), len(meetings)),
        (_("Registered"), sum(counts["registered"] for counts in by_meeting.values())),
        (_("Attended"), attended),
    ]
    section.charts.append(
        bar_chart(
            _("Attendance by country"),
            [
                (countries.name(code) or _("Unknown"), count)
                for code, count in by_country.most_common()
            ],
            value_label=_("Attended"),
        )
    )
    section.tables.append(
        Table(
            caption=_("Attendance by meeting"),
            columns=[_("Meeting"), _("Registered"), _("Attended")],
            rows=[
                [
                    meeting.title,
                    by_meeting[meeting.pk]["registered"],
                    by_meeting[meeting.pk]["attended"],
                ]
                for meeting in meetings
            ],
        )
    )
    section.tables.append(
        Table(
            caption=_("Attendance by organisation"),
            columns=[_("Organisation"), _("Attended")],
            rows=[[name, count] for name, count in sorted(by_organisation.items())],
        )
    )
    if attended == 0:
        section.note = _("Nobody has been checked in yet.")
    return section


def open_work(project, scope):
    today = timezone.localdate()
    tasks = Task.objects.filter(project=project, done_at__isnull=True)
    if scope.is_filtered:
        organisations = scope.organisations(project)
        tasks = tasks.filter(
            Q(assignee_organisation__in=organisations)
            | Q(
                assignee_user__memberships__project=project,
                assignee_user__memberships__organisation__in=organisations,
            )
        )
    task_counts = tasks.aggregate(
        open=Count("pk", distinct=True),
        overdue=Count("pk", filter=Q(due_on__lt=today), distinct=True),
    )
    assignments = list(
        Assignment.objects.filter(meeting__project=project, due_at__gte=timezone.now())
        .select_related("meeting")
        .annotate(handed_in=Count("submissions", distinct=True))
        .order_by("due_at")
    )
    section = Section(
        title=_("Tasks and assignments"),
        figures=[
            (_("Open tasks"), task_counts["open"]),
            (_("Overdue tasks"), task_counts["overdue"]),
            (_("Assignments still open"), len(assignments)),
        ],
    )
    if assignments:
        section.tables.append(
            Table(
                caption=_("Assignments still open"),
                columns=[_("Assignment"), _("Meeting"), _("Due"), _("Handed in")],
                rows=[
                    [
                        assignment.title,
                        assignment.meeting.title,
                        date_format(timezone.localtime(assignment.due_at), "SHORT_DATETIME_FORMAT"),
                        assignment.handed_in,
                    ]
                    for assignment in assignments
                ],
            )
        )
    return section
