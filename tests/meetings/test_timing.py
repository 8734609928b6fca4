"""The auto-timing of an agenda day: plain data in, plain data out."""

from hypothesis import given
from hypothesis import strategies as st

from meetings import timing
from meetings.timing import Slot, schedule

NINE, FIVE = 9 * 60, 17 * 60


def test_schedule_items_follow_one_another():
    timed = schedule([Slot(30), Slot(90), Slot(15)], day_start=NINE, day_end=FIVE)
    assert [(t.start, t.end) for t in timed] == [(540, 570), (570, 660), (660, 675)]
    assert all(not t.warnings for t in timed)


def test_schedule_fixed_item_stays_and_leaves_a_gap():
    timed = schedule(
        [Slot(30), Slot(60, fixed_start=12 * 60), Slot(30)], day_start=NINE, day_end=FIVE
    )
    assert [(t.start, t.end) for t in timed] == [(540, 570), (720, 780), (780, 810)]
    assert all(not t.warnings for t in timed)


def test_schedule_clash_with_fixed_item_warns_both():
    timed = schedule([Slot(200), Slot(60, fixed_start=12 * 60)], day_start=NINE, day_end=FIVE)
    assert timed[1].start == 720
    assert timed[0].warnings == [timing.TimingWarning(timing.CLASHES_WITH_FIXED, 20, 1)]
    assert timed[1].warnings == [timing.TimingWarning(timing.STARTS_BEFORE_PREVIOUS_ENDS, 20, 0)]


def test_schedule_overrun_past_the_end_of_the_day_warns():
    timed = schedule([Slot(400), Slot(100)], day_start=NINE, day_end=FIVE)
    assert timed[0].warnings == []
    assert timed[1].warnings == [timing.TimingWarning(timing.ENDS_AFTER_DAY, 20)]


def test_schedule_fixed_item_before_the_day_starts_warns():
    timed = schedule([Slot(30, fixed_start=8 * 60)], day_start=NINE, day_end=FIVE)
    assert timed[0].warnings == [timing.TimingWarning(timing.STARTS_BEFORE_DAY, 60)]


@given(st.lists(st.integers(min_value=1, max_value=240), max_size=30))
def test_schedule_without_fixed_items_has_no_gaps_or_overlaps(durations):
    timed = schedule([Slot(d) for d in durations], day_start=NINE, day_end=24 * 60 * 10)
    cursor = NINE
    for item, duration in zip(timed, durations, strict=True):
        assert item.start == cursor
        assert item.end - item.start == duration
        cursor = item.end


def test_move_keeps_within_the_list():
    assert timing.move([1, 2, 3], 0, -1) == [1, 2, 3]
    assert timing.move([1, 2, 3], 0, 1) == [2, 1, 3]
    assert timing.move([1, 2, 3], 2, -2) == [3, 1, 2]
    assert timing.move([1, 2, 3], 1, 10) == [1, 3, 2]


def test_now_and_next_during_and_between_items():
    spans = [(540, 600), (600, 660), (700, 760)]
    assert timing.now_and_next(spans, 550) == (0, 1)
    assert timing.now_and_next(spans, 680) == (None, 2)
    assert timing.now_and_next(spans, 800) == (None, None)
