"""The meeting pack: everything a meeting produced, to take away as one ZIP.

The agenda (Markdown and PDF), the attendance summary by country and organisation (CSV and
Markdown), every live activity prepared for its agenda (CSV, JSON and Markdown, from the
kind's own export), and one combined PDF with page numbers. Private notes never come in:
each kind's export is what a facilitator may take away.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from weasyprint import HTML

from jointlearn import outputs
from jointlearn.exports import csv_text, markdown_table, zip_of
from jointlearn.models import LiveActivity

from .agenda import agenda_days
from .models import Registration
from .printing import StaticFilesOnly


def activities_of(meeting):
    """The live activities of the meeting's agenda that have started, in agenda order."""
    return list(
        LiveActivity.objects.filter(agenda_item__day__meeting=meeting)
        .exclude(state=LiveActivity.State.PREPARED)
        .order_by("agenda_item__day__date", "agenda_item__position", "pk")
    )


def attendance(meeting):
    registrations = list(
        meeting.registrations.filter(status=Registration.Status.CONFIRMED).select_related(
            "organisation"
        )
    )
    nobody = _("No organisation")

    def table(caption, label, key):
        counts = {}
        for registration in registrations:
            name = key(registration)
            registered, present = counts.get(name, (0, 0))
            counts[name] = (registered + 1, present + bool(registration.checked_in_at))
        return {
            "caption": caption,
            "columns": [label, _("Registered"), _("Present")],
            "rows": [[name, *counts[name]] for name in sorted(counts, key=str)],
        }

    return {
        "registered": len(registrations),
        "present": sum(1 for registration in registrations if registration.checked_in_at),
        "tables": [
            table(
                _("By country"),
                _("Country"),
                lambda r: str(r.organisation.country.name) if r.organisation else nobody,
            ),
            table(
                _("By organisation"),
                _("Organisation"),
                lambda r: r.organisation.name if r.organisation else nobody,
            ),
        ],
    }


def agenda_markdown(meeting, days):
    lines = [f"# {meeting.title}", "", _("Times are in %(zone)s.") % {"zone": meeting.time_zone}]
    for row in days:
        lines += [
            "",
            f"## {row.day.date.isoformat()}" + (f": {row.day.title}" if row.day.title else ""),
        ]
        for entry in row.items:
            item = entry.item
            where = f" ({item.place})" if item.place else ""
            lines.append(
                f"- {entry.start:%H:%M}–{entry.end:%H:%M} **{item.title}** · "
                f"{item.get_kind_display()}{where}"
            )
    return "\n".join(lines) + "\n"


def attendance_files(summary):
    files = {}
    for table, stem in zip(summary["tables"], ["by-country", "by-organisation"], strict=True):
        rows = [dict(zip(table["columns"], row, strict=True)) for row in table["rows"]]
        files[f"attendance/{stem}.csv"] = csv_text(table["columns"], rows).encode()
        files[f"attendance/{stem}.md"] = (
            f"# {table['caption']}\n\n" + markdown_table(table["columns"], rows)
        ).encode()
    return files


def activity_outputs(activities, audience):
    """[(activity, its output for the audience)] (jointlearn/outputs.py), kinds that export
    nothing left out."""
    found = [(a, outputs.activity_output(a, audience=audience)) for a in activities]
    return [(activity, output) for activity, output in found if output is not None]


def combined_pdf(request, meeting, days, summary, activity_outputs, *, shared=False):
    html = render_to_string(
        "meetings/pack_print.html",
        {
            "project": meeting.project,
            "meeting": meeting,
            "days": days,
            "attendance": summary,
            "activities": [outputs.printed(output) for _activity, output in activity_outputs],
            "shared": shared,
            "printed_at": timezone.localtime(timezone.now(), meeting.zone),
        },
        request=request,
    )
    return HTML(
        string=html, base_url=request.build_absolute_uri("/"), url_fetcher=StaticFilesOnly()
    ).write_pdf()


def readme(meeting, activities):
    lines = [
        f"# {meeting.title}",
        "",
        _("Everything this meeting produced, exported from JointLearn on %(date)s.")
        % {"date": timezone.localdate().isoformat()},
        "",
        "- meeting-pack.pdf: " + _("the agenda, the attendance and every activity, printed"),
        "- agenda.md: " + _("the agenda"),
        "- attendance/: " + _("attendance by country and by organisation (CSV and Markdown)"),
    ]
    for activity in activities:
        lines.append(
            f"- activities/{slugify(activity.title)[:50] or activity.kind}-{activity.pk}.*: "
            f"{activity.title} ({activity.get_kind_display()})"
        )
    lines += ["", _("CSV files open in spreadsheets; JSON files keep every detail.")]
    return "\n".join(lines) + "\n"


def build(request, meeting, *, audience=outputs.FACILITATORS):
    """(file name, ZIP bytes) of the meeting pack; a pack shared with the participants
    (audience SHARED) has each activity's shared output (jointlearn/outputs.py)."""
    days = agenda_days(meeting, viewer_zone=meeting.zone)
    summary = attendance(meeting)
    activities = activities_of(meeting)
    produced = activity_outputs(activities, audience)
    shared = audience == outputs.SHARED
    files = {
        "README.md": readme(meeting, activities).encode(),
        "meeting-pack.pdf": combined_pdf(request, meeting, days, summary, produced, shared=shared),
        "agenda.md": agenda_markdown(meeting, days).encode(),
        **attendance_files(summary),
    }
    for activity, output in produced:
        files.update(outputs.files_of(output, f"activities/{output.stem}-{activity.pk}"))
    suffix = "-shared" if shared else ""
    name = (
        f"{slugify(meeting.title)[:60] or 'meeting'}-{meeting.starts_on.isoformat()}"
        f"-pack{suffix}.zip"
    )
    return name, zip_of(files)
