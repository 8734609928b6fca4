"""The radar chart's geometry (practices/charts.py): plain arithmetic, no Django."""

import pytest

from practices.charts import radar, wrap


def test_radar_puts_the_first_axis_up_and_scales_values_to_the_radius():
    chart = radar([1.0, 0.5, 0.0, 0.25], ["A", "B", "C", "D"], size=200, radius=100)
    assert chart["axes"] == [
        {"x": 100.0, "y": 0.0},
        {"x": 200.0, "y": 100.0},
        {"x": 100.0, "y": 200.0},
        {"x": 0.0, "y": 100.0},
    ]
    assert chart["area"] == "100.0,0.0 150.0,100.0 100.0,100.0 75.0,100.0"
    assert len(chart["rings"]) == 4
    assert chart["view_box"] == "-100 0 400 200"
    assert [label["anchor"] for label in chart["labels"]] == ["middle", "start", "middle", "end"]


def test_radar_keeps_values_inside_the_chart_and_needs_three_axes():
    chart = radar([1.5, -1, 0.5], ["A", "B", "C"], size=200, radius=100)
    assert chart["points"][0] == {"x": 100.0, "y": 0.0}
    assert chart["points"][1] == {"x": 100.0, "y": 100.0}
    with pytest.raises(ValueError):
        radar([0.5, 0.5], ["A", "B"])


def test_long_labels_wrap_into_two_lines_and_are_shortened():
    assert wrap("Involvement of the target group") == ["Involvement of the", "target group"]
    assert wrap("Relevance") == ["Relevance"]
    lines = wrap("A very long criterion name that goes on and on and on")
    assert len(lines) == 2 and lines[1].endswith("…") and len(lines[1]) <= 18
