"""The agenda as pages show it: days, items with times in two zones, warnings, now and next."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext

from jointlearn.live import protocol
from jointlearn.models import LiveActivity

from . import timing
from .models import AgendaItem
from .services import minutes_of, schedule_for


@dataclass
class ItemRow:
    item: AgendaItem
    start: datetime
    end: datetime
    warnings: list = field(default_factory=list)
    viewer_start: str = ""
    viewer_end: str = ""
    is_first: bool = False
    is_last: bool = False
    # The kinds of live activity that could be prepared for the item: (value, label) pairs.
    live_kinds: list = field(default_factory=list)


@dataclass
class DayRow:
    day: object
    items: list


def warning_text(warning, items):
    other = items[warning.other].title if warning.other is not None else ""
    minutes = warning.minutes
    if warning.kind == timing.CLASHES_WITH_FIXED:
        return ngettext(
            "Runs %(minutes)d minute into “%(other)s”, which has a fixed time.",
            "Runs %(minutes)d minutes into “%(other)s”, which has a fixed time.",
            minutes,
        ) % {"minutes": minutes, "other": other}
    if warning.kind == timing.STARTS_BEFORE_PREVIOUS_ENDS:
        return ngettext(
            "Fixed time clashes: starts %(minutes)d minute before “%(other)s” ends.",
            "Fixed time clashes: starts %(minutes)d minutes before “%(other)s” ends.",
            minutes,
        ) % {"minutes": minutes, "other": other}
    if warning.kind == timing.ENDS_AFTER_DAY:
        return ngettext(
            "Ends %(minutes)d minute after the day's programme ends.",
            "Ends %(minutes)d minutes after the day's programme ends.",
            minutes,
        ) % {"minutes": minutes}
    return ngettext(
        "Starts %(minutes)d minute before the day's programme starts.",
        "Starts %(minutes)d minutes before the day's programme starts.",
        minutes,
    ) % {"minutes": minutes}


def items_prefetch():
    return Prefetch(
        "items",
        queryset=AgendaItem.objects.select_related(
            "responsible_organisation", "live_activity"
        ).order_by("position", "pk"),
    )


def agenda_days(meeting, *, viewer_zone=None):
    """Every day of the meeting with its items timed, in two queries however long it is."""
    viewer_zone = viewer_zone or timezone.get_current_timezone()
    rows = []
    for day in meeting.days.prefetch_related(items_prefetch()).order_by("date"):
        day.meeting = meeting
        items = list(day.items.all())
        plan = schedule_for(day, items)
        day_rows = []
        for index, (item, timed) in enumerate(zip(items, plan, strict=True)):
            item.day = day
            start, end = item.start, item.end
            row = ItemRow(
                item=item,
                start=start,
                end=end,
                warnings=[warning_text(w, items) for w in timed.warnings],
                is_first=index == 0,
                is_last=index == len(items) - 1,
                live_kinds=live_kinds_for(item),
            )
            local_start, local_end = start.astimezone(viewer_zone), end.astimezone(viewer_zone)
            if local_start.utcoffset() != start.utcoffset():
                row.viewer_start = viewer_time(local_start, start)
                row.viewer_end = viewer_time(local_end, start)
            day_rows.append(row)
        rows.append(DayRow(day=day, items=day_rows))
    return rows


def viewer_time(moment, reference):
    if moment.date() == reference.date():
        return moment.strftime("%H:%M")
    return f"{date_format(moment, 'D')} {moment.strftime('%H:%M')}"


def now_and_next(days, now=None):
    """The item under way and the one after it, on the meeting day that is today."""
    now = now or timezone.now()
    for day_row in days:
        if not day_row.items:
            continue
        meeting = day_row.day.meeting
        local = timezone.localtime(now, meeting.zone)
        if local.date() != day_row.day.date:
            continue
        spans = [
            (minutes_of(row.start.timetz()), minutes_of(row.start.timetz()) + row.item.duration)
            for row in day_row.items
        ]
        current, upcoming = timing.now_and_next(spans, minutes_of(local.time()))
        if current is None and upcoming is None:
            return None
        return {
            "now": day_row.items[current] if current is not None else None,
            "next": day_row.items[upcoming] if upcoming is not None else None,
        }
    return None


def meeting_span(days):
    """(first start, last end) of the programme: the days' times, stretched by late items."""
    if not days:
        return None, None
    last = days[-1]
    ends = [last.day.end] + [row.end for row in last.items]
    return days[0].day.start, max(ends)


def live_kinds_for(item):
    """The live activities that could run in this item's slot, as (kind, label) choices."""
    labels = dict(LiveActivity.Kind.choices)
    return [(kind, labels[kind]) for kind, _definition in protocol.kinds_for_agenda(item.kind)]
