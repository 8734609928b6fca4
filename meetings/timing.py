"""Auto-timing of an agenda day: items follow one another, fixed-time items stay put.

Pure functions on plain data (minutes since midnight), so the rules are easy to test and
reuse. The caller turns the warnings into sentences for people.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Slot:
    """An item as the timing sees it: how long it lasts and, if it cannot move, when it starts."""

    duration: int
    fixed_start: int | None = None


@dataclass(frozen=True)
class TimingWarning:
    """Something wrong with an item's time; `kind` is one of the constants below."""

    kind: str
    minutes: int
    other: int | None = None  # index of the item it clashes with


CLASHES_WITH_FIXED = "clashes_with_fixed"  # runs into a later fixed-time item
STARTS_BEFORE_PREVIOUS_ENDS = "starts_before_previous_ends"  # a fixed item overlapped
STARTS_BEFORE_DAY = "starts_before_day"
ENDS_AFTER_DAY = "ends_after_day"


@dataclass
class Timed:
    start: int
    end: int
    warnings: list[TimingWarning] = field(default_factory=list)


def schedule(slots, *, day_start, day_end):
    """Start and end of every slot, in order, with the warnings that apply to each.

    A slot without a fixed start begins when the one before it ends (the first one when
    the day starts). A fixed slot starts at its time even if that leaves a gap or an
    overlap; both the slot that runs into it and the fixed slot itself get a warning.
    """
    timed = []
    cursor = day_start
    for slot in slots:
        start = slot.fixed_start if slot.fixed_start is not None else cursor
        timed.append(Timed(start=start, end=start + slot.duration))
        cursor = start + slot.duration
    for index, item in enumerate(timed):
        if item.start < day_start:
            item.warnings.append(TimingWarning(STARTS_BEFORE_DAY, day_start - item.start))
        if item.end > day_end:
            item.warnings.append(TimingWarning(ENDS_AFTER_DAY, item.end - day_end))
        if index == 0 or slots[index].fixed_start is None:
            continue
        previous = timed[index - 1]
        overlap = previous.end - item.start
        if overlap > 0:
            item.warnings.append(TimingWarning(STARTS_BEFORE_PREVIOUS_ENDS, overlap, index - 1))
            previous.warnings.append(TimingWarning(CLASHES_WITH_FIXED, overlap, index))
    return timed


def now_and_next(timed_items, moment):
    """(index of the item under way at `moment` or None, index of the next one or None)."""
    now = next_up = None
    for index, (start, end) in enumerate(timed_items):
        if start <= moment < end:
            now = index
        elif start > moment and (next_up is None or start < timed_items[next_up][0]):
            next_up = index
    return now, next_up


def move(order, index, offset):
    """`order` with the element at `index` moved by `offset` places, kept within the list."""
    target = max(0, min(len(order) - 1, index + offset))
    order = list(order)
    order.insert(target, order.pop(index))
    return order
