"""Helpers shared by every download: formula-safe CSV, Markdown tables, a live activity's
results as files (from its kind's `protocol.Kind.export`) and ZIPs of files. Meeting packs
and the research export put their files together from these."""

import csv
import io
import zipfile

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


def zip_of(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in files.items():
            archive.writestr(path, content)
    return buffer.getvalue()
