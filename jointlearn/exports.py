"""Helpers shared by every download: formula-safe CSV, Markdown tables, a live activity's
results as files (from its kind's `protocol.Kind.export`) and ZIPs of files. Meeting packs
and the research export put their files together from these."""

import csv
import io
import json
import zipfile

from django.utils.text import slugify

from .live import protocol

# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = {"=", "+", "-", "@", "\t", "\r"}


def spreadsheet_safe(value):
    """A text like "=SUM(A1)" must stay text when the CSV is opened in a spreadsheet."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def safe_row(row):
    """The row (a dict or a list) with every cell made spreadsheet-safe."""
    if isinstance(row, dict):
        return {key: spreadsheet_safe(value) for key, value in row.items()}
    return [spreadsheet_safe(value) for value in row]


def csv_text(fields, rows):
    """CSV with a byte-order mark (so spreadsheets read UTF-8) and formula-safe cells."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def markdown_cell(value):
    if value is None:
        return ""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def markdown_table(fields, rows):
    lines = [
        "| " + " | ".join(markdown_cell(field) for field in fields) + " |",
        "|" + "---|" * len(fields),
    ]
    lines += [
        "| " + " | ".join(markdown_cell(row.get(field)) for field in fields) + " |" for row in rows
    ]
    return "\n".join(lines) + "\n"


def activity_results(activity):
    """The kind's results of the activity, or None for a kind that exports nothing."""
    definition = protocol.KINDS.get(activity.kind)
    if definition is None or definition.export is None:
        return None
    return definition.export(activity)


def activity_files(activity, folder=""):
    """{path: bytes} of the activity's results: CSV, JSON and Markdown."""
    results = activity_results(activity)
    if results is None:
        return {}
    stem = f"{folder}{slugify(activity.title)[:50] or activity.kind}-{activity.pk}"
    header = {"title": activity.title, "kind": activity.kind, **results.get("activity", {})}
    payload = {"activity": header, **results["json"]}
    title = f"# {activity.title}\n\n*{activity.get_kind_display()}*\n\n"
    return {
        f"{stem}.csv": csv_text(results["csv_fields"], results["csv_rows"]).encode(),
        f"{stem}.json": json.dumps(payload, ensure_ascii=False, indent=2, default=str).encode(),
        f"{stem}.md": (title + markdown_table(results["csv_fields"], results["csv_rows"])).encode(),
    }


def zip_of(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in files.items():
            archive.writestr(path, content)
    return buffer.getvalue()
