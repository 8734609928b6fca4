"""Server-drawn charts for the practice page: the geometry of a radar chart, as plain data.

No Django here: the functions take numbers and labels and return coordinates that the
template writes into an SVG, so the chart needs no JavaScript and is tested as arithmetic.
"""

import math

LABEL_LINE = 18


def wrap(text, width=LABEL_LINE, lines=2):
    """A label in at most `lines` lines of about `width` characters; the rest shortened."""
    words, result, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            result.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        result.append(line)
    if len(result) > lines:
        result = [*result[: lines - 1], " ".join(result[lines - 1 :])]
        if len(result[-1]) > width:
            result[-1] = result[-1][: width - 1].rstrip() + "…"
    return result


def radar(fractions, labels, *, size=360, radius=110, rings=4, label_room=100):
    """Coordinates of a radar chart with one axis per value, the first pointing up.

    fractions: each value as a share of its axis (0 to 1). Returns the rings and axes of
    the grid, the polygon of the values, the points and the labels placed outside the
    largest ring with their text anchor.
    """
    count = len(fractions)
    if count < 3:
        raise ValueError("A radar chart needs at least three axes.")
    centre = size / 2

    def point(index, share):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        return (
            round(centre + share * radius * math.cos(angle), 1),
            round(centre + share * radius * math.sin(angle), 1),
        )

    def polygon(points):
        return " ".join(f"{x},{y}" for x, y in points)

    values = [point(i, max(0.0, min(1.0, share))) for i, share in enumerate(fractions)]
    placed = []
    for index, text in enumerate(labels):
        x, y = point(index, 1.18)
        anchor = "middle" if abs(x - centre) < 1 else ("start" if x > centre else "end")
        lines = wrap(text)
        # Labels above the chart grow upwards, so their last line stays next to the axis.
        top = y - 12 * (len(lines) - 1) if y < centre - 1 else y
        placed.append(
            {
                "x": x,
                "y": round(top + 4, 1),
                "anchor": anchor,
                "lines": [
                    {"text": line, "dy": 0 if n == 0 else 12} for n, line in enumerate(lines)
                ],
            }
        )
    return {
        "size": size,
        # Room on both sides for labels written outwards from the left and right axes.
        "view_box": f"{-label_room} 0 {size + 2 * label_room} {size}",
        "rings": [
            polygon(point(i, ring / rings) for i in range(count)) for ring in range(1, rings + 1)
        ],
        "axes": [{"x": x, "y": y} for x, y in (point(i, 1) for i in range(count))],
        "centre": centre,
        "area": polygon(values),
        "points": [{"x": x, "y": y} for x, y in values],
        "labels": placed,
    }
