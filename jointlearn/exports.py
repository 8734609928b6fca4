"""Helpers shared by every download a person opens in a spreadsheet (CSV exports)."""

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
