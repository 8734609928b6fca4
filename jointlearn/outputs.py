"""Outputs: what an activity or a survey produced, for an audience, in four formats.

An `Output` is built from the kind's own export (`protocol.Kind.export`, or a survey's
`surveys.exports.export`) for one of two audiences:
- FACILITATORS: everything the kind exports (who wrote what, hidden entries marked);
- SHARED: what may be published to participants and guests. Hidden entries are left out,
  every column that names a person is dropped, and the names and email addresses of the
  project's members and guests are removed from free text ("[name]"), by the research
  export's redactor (jointlearn/research.py). The JSON of a shared output carries only these
  rows, never the kind's own nested structures, so nothing private can ride along.

It is rendered as Markdown, CSV (formula-safe), JSON and PDF (WeasyPrint, charts as SVG, the
project's name, the activity, the date and page numbers): one path for every kind. The
formats and schemas are described in docs/exports.md.
"""

import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .charts import bar_chart, number
from .exports import activity_results, csv_text, markdown_table

FACILITATORS = "facilitators"
SHARED = "shared"

# Columns that name a person: never in a shared output.
IDENTITY_FIELDS = {"posted_by", "written_by", "said_by", "rated_by", "name"}
# ... and columns that name a person in one kind only (a pitch's organisation is the
# practice's, a pairing's the person's).
KIND_IDENTITY_FIELDS = {"pairing": {"organisation"}, "survey": {"organisation"}}
# Columns only facilitators need.
FACILITATOR_FIELDS = {"hidden"}
PDF_ROWS = 200  # rows printed in a PDF; the CSV and JSON have all of them
FORMATS = ("md", "csv", "json", "pdf")
CONTENT_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "pdf": "application/pdf",
}


@dataclass
class Output:
    project: object
    title: str
    kind: str
    kind_label: str
    audience: str
    fields: list
    rows: list
    about: dict = field(default_factory=dict)
    details: dict = field(default_factory=dict)
    charts: list = field(default_factory=list)
    made_at: object = None

    @property
    def is_empty(self):
        return not self.rows

    @property
    def stem(self):
        return slugify(self.title)[:50] or self.kind

    def header(self):
        return {
            "title": self.title,
            "kind": self.kind,
            "project": self.project.name,
            "audience": self.audience,
            "exported_at": self.made_at.isoformat(),
            "empty": self.is_empty,
            **self.about,
        }

    @property
    def labels(self):
        """Column names as printed: "said_by" reads "said by" and can wrap."""
        return [name.replace("_", " ") for name in self.fields]

    def printed_rows(self):
        """The rows as a reader sees them: times in the viewer's zone, no microseconds."""
        return [
            [readable(row.get(name, "")) for name in self.fields] for row in self.rows[:PDF_ROWS]
        ]


ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def readable(value):
    if isinstance(value, str) and ISO_TIME.match(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return f"{moment:%Y-%m-%d %H:%M}"
    if value is None:
        return ""
    return value


# Charts: drawn from the rows the audience gets, so a shared chart counts only shared rows.


@dataclass
class OutputChart:
    """Bars of (label, value) pairs: on pages as jointlearn/charts.py's SVG with its table;
    in PDFs as a label in HTML over an SVG bar, because WeasyPrint's SVG text does not join
    right-to-left scripts (an Arabic word came out as separate letters in reverse)."""

    title: str
    pairs: list
    maximum: float | None = None

    @property
    def chart(self):
        return bar_chart(self.title, self.pairs, maximum=self.maximum)

    @property
    def bars(self):
        top = self.maximum or max((value or 0 for _label, value in self.pairs), default=0) or 1
        return [
            {"label": label, "value": number(value), "percent": round(100 * (value or 0) / top)}
            for label, value in self.pairs
        ]


def bars(title, pairs, maximum=None):
    return OutputChart(title=str(title), pairs=list(pairs), maximum=maximum)


def top_counts(values, limit=12):
    return Counter(value for value in values if value not in (None, "")).most_common(limit)


def wordwall_charts(results, rows):
    return [bars(_("Most posted words"), top_counts(row["counted_as"] for row in rows))]


def poll_charts(results, rows):
    return [bars(_("Votes"), [(row["label"], row["count"]) for row in rows])]


def reflection_charts(results, rows):
    formats = [(row["label"], row["count"]) for row in results["json"]["formats"] if row["count"]]
    return [bars(_("Best ways to learn"), formats)] if formats else []


def pitch_charts(results, rows):
    scale = max((entry["scale_max"] for entry in results["activity"]["criteria"]), default=5)
    charts = []
    for pitch in results["json"]["pitches"]:
        means = [(name, mean) for name, mean in pitch["means"].items() if mean is not None]
        if means:
            charts.append(bars(pitch.get("title", ""), means, maximum=scale))
    return charts


def cafe_charts(results, rows):
    return [bars(_("Notes per theme"), top_counts(row["theme"] for row in rows))]


def pairing_charts(results, rows):
    return [bars(_("People per country"), top_counts(row["country"] for row in rows))]


CHARTS = {
    "wordwall": wordwall_charts,
    "poll": poll_charts,
    "reflection": reflection_charts,
    "pitch": pitch_charts,
    "cafe": cafe_charts,
    "pairing": pairing_charts,
}


def redactor_for(project):
    """The research export's redactor with no pseudonyms: every member's and guest's name
    (and any email address) in free text becomes "[name]"."""
    from .models import Guest, Membership
    from .research import Redactor

    people = [
        (m.user_id, m.user.display_name, m.user.email)
        for m in Membership.objects.filter(project=project).select_related("user")
    ]
    people += [
        (None, name, "")
        for name in Guest.objects.filter(project=project).values_list("display_name", flat=True)
    ]
    return Redactor(people, {})


def for_audience(project, kind, fields, rows, audience):
    """(fields, rows) as the audience may see them."""
    if audience != SHARED:
        return list(fields), [dict(row) for row in rows]
    redact = redactor_for(project)
    private = IDENTITY_FIELDS | FACILITATOR_FIELDS | KIND_IDENTITY_FIELDS.get(kind, set())
    kept = [name for name in fields if name not in private]
    shared = []
    for row in rows:
        if row.get("hidden"):
            continue
        shared.append(
            {
                name: redact(row.get(name)) if isinstance(row.get(name), str) else row.get(name)
                for name in kept
            }
        )
    return kept, shared


def from_results(*, project, title, kind, kind_label, results, audience, charts=None):
    fields, rows = for_audience(project, kind, results["csv_fields"], results["csv_rows"], audience)
    about = dict(results.get("activity", {}))
    details = {"rows": rows} if audience == SHARED else dict(results["json"])
    if charts is None:
        chart_of = CHARTS.get(kind)
        # Hidden entries count in no chart, not even the facilitators'.
        visible = [row for row in rows if not row.get("hidden")]
        charts = [c for c in chart_of(results, visible) if c.pairs] if chart_of and visible else []
    return Output(
        project=project,
        title=title,
        kind=kind,
        kind_label=kind_label,
        audience=audience,
        fields=fields,
        rows=rows,
        about=about,
        details=details,
        charts=charts,
        made_at=timezone.now(),
    )


def activity_output(activity, *, audience=FACILITATORS):
    """The activity's output for the audience, or None for a kind that exports nothing."""
    results = activity_results(activity)
    if results is None:
        return None
    return from_results(
        project=activity.project,
        title=activity.title,
        kind=activity.kind,
        kind_label=str(activity.get_kind_display()),
        results=results,
        audience=audience,
    )


# The four formats


def as_csv(output):
    return csv_text(output.fields, output.rows)


def as_json(output):
    payload = {"activity": output.header(), **output.details}
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str)


def as_markdown(output):
    lines = [
        f"# {output.title}",
        "",
        f"*{output.kind_label}* · {output.project.name} · "
        f"{timezone.localtime(output.made_at):%Y-%m-%d %H:%M}",
        "",
    ]
    if output.is_empty:
        lines.append(_("This activity is empty: nothing was recorded."))
        return "\n".join(lines) + "\n"
    return "\n".join(lines) + "\n" + markdown_table(output.fields, output.rows)


def as_pdf(output, request):
    """The output printed by WeasyPrint with the meeting pack's print styles."""
    from weasyprint import HTML

    from meetings.printing import StaticFilesOnly

    html = render_to_string(
        "jointlearn/output_print.html",
        {
            "output": output,
            "printed": printed(output),
            "printed_at": timezone.localtime(output.made_at),
        },
        request=request,
    )
    return HTML(
        string=html, base_url=request.build_absolute_uri("/"), url_fetcher=StaticFilesOnly()
    ).write_pdf()


def printed(output):
    """What templates/includes/print_output.html shows of an output."""
    rows = output.printed_rows()
    return {
        "title": output.title,
        "kind_label": output.kind_label,
        "fields": output.labels,
        "rows": rows,
        "charts": output.charts,
        "total": len(output.rows),
        "truncated": len(output.rows) > len(rows),
    }


def render(output, fmt, request):
    """The bytes of the output in the format."""
    if fmt == "pdf":
        return as_pdf(output, request)
    text = {"md": as_markdown, "csv": as_csv, "json": as_json}[fmt](output)
    return text.encode()


def download(output, fmt, request):
    """An HTTP download of the output; the time it took is in a Server-Timing header."""
    started = time.perf_counter()
    content = render(output, fmt, request)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localtime(output.made_at).strftime("%Y%m%d-%H%M")
    shared = "-shared" if output.audience == SHARED else ""
    name = f"{output.stem[:40]}{shared}-{stamp}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Server-Timing"] = f"render;dur={(time.perf_counter() - started) * 1000:.0f}"
    return response


def files_of(output, stem):
    """{path: bytes} of the output as CSV, JSON and Markdown (for ZIP packs)."""
    return {
        f"{stem}.csv": as_csv(output).encode(),
        f"{stem}.json": as_json(output).encode(),
        f"{stem}.md": as_markdown(output).encode(),
    }
