"""Charts drawn on the server as SVG: bars and lines, sized by the numbers alone.

Every chart is an image with a title for screen readers; the pages that show one also show
the numbers behind it as a table (templates/includes/chart.html), so nothing is only
visible. No JavaScript, so charts print and export as they are.
"""

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Colour-blind-safe series colours (Okabe-Ito), darkened where text sits on white.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8a6d00", "#56B4E9", "#555555"]
WIDTH = 640
# Bars are drawn narrow, so their words stay readable when a phone shrinks the chart.
BAR_WIDTH = 320
BAR_ROW = 42


@dataclass
class Chart:
    """A chart and its numbers: `rows` are the table's rows, `columns` its header."""

    title: str
    svg: str
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)


def number(value):
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))


def shorten(text, limit=32):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(title, rows, *, maximum=None, value_label=""):
    """Horizontal bars, each under its label: rows are (label, value) pairs.

    Labels sit above the bars rather than beside them, so the chart stays narrow and its
    words readable when a phone shrinks it.
    """
    rows = list(rows)
    top = maximum or max((value or 0 for _label, value in rows), default=0) or 1
    height = BAR_ROW * max(len(rows), 1) + 4
    span = BAR_WIDTH - 44
    parts = [
        f'<svg class="chart chart--bars" viewBox="0 0 {BAR_WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(rows):
        y = index * BAR_ROW
        length = 0 if not value else max(2, round(span * value / top))
        parts.append(
            f'<text x="0" y="{y + 14}" class="chart__label">{escape(shorten(label, 48))}</text>'
            f'<rect x="0" y="{y + 20}" width="{span}" height="14" rx="3" '
            f'class="chart__track"></rect>'
            f'<rect x="0" y="{y + 20}" width="{length}" height="14" rx="3" '
            f'fill="{PALETTE[0]}"></rect>'
            f'<text x="{span + 6}" y="{y + 32}" class="chart__value">{number(value)}</text>'
        )
    parts.append("</svg>")
    return Chart(
        title=title,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text above is escaped
        columns=["", value_label],
        rows=[[label, number(value)] for label, value in rows],
    )


def line_chart(title, x_labels, series, *, maximum, ticks=None):
    """Lines over time: series maps a name to one value (or None) per x label.

    The grid has a line at every whole number up to `maximum` unless `ticks` names them
    (counts that run into the dozens need fewer lines).
    """
    x_labels = list(x_labels)
    height, left, right, top, bottom = 260, 40, 20, 16, 40
    # One legend entry a line, so names stay readable when a phone enlarges the words.
    legend_row = 28
    total = height + 12 + len(series) * legend_row
    plot_width, plot_height = WIDTH - left - right, height - top - bottom
    steps = max(len(x_labels) - 1, 1)

    def x(index):
        return left + (plot_width * index / steps if len(x_labels) > 1 else plot_width / 2)

    def y(value):
        return top + plot_height * (1 - value / maximum)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {total}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in ticks if ticks is not None else range(0, int(maximum) + 1):
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'class="chart__grid"></line><text x="{left - 8}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end" class="chart__value">{tick}</text>'
        )
    for index, label in enumerate(x_labels):
        # The first and last labels start and end at their point, so none runs off the edge.
        anchor = "middle"
        if len(x_labels) > 1 and index == 0:
            anchor = "start"
        elif len(x_labels) > 1 and index == len(x_labels) - 1:
            anchor = "end"
        parts.append(
            f'<text x="{x(index):.1f}" y="{height - bottom + 20}" text-anchor="{anchor}" '
            f'class="chart__label">{escape(shorten(label, 22))}</text>'
        )
    for number_, (name, values) in enumerate(series.items()):
        colour = PALETTE[number_ % len(PALETTE)]
        points = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="3">'
                "</polyline>"
            )
        for px, py in points:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}"></circle>')
        lx, ly = 10, height + 12 + number_ * legend_row
        parts.append(
            f'<rect x="{lx}" y="{ly - 12}" width="14" height="14" fill="{colour}"></rect>'
            f'<text x="{lx + 22}" y="{ly}" class="chart__label">{escape(shorten(name, 50))}'
            "</text>"
        )
    parts.append("</svg>")
    return Chart(
        title=title,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text above is escaped
        columns=["", *x_labels],
        rows=[[name, *(number(value) for value in values)] for name, values in series.items()],
    )
