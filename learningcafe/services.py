"""The learning café's rules: setting one up, checking people in, rotating them by the plan,
late joiners and leavers, notes, dot votes and the hosts' summaries.

Changes made while the café runs are the live protocol's operations (learningcafe/live.py
registers them); their handlers call the functions here inside `apply_op`'s transaction,
which bumps the activity's version and broadcasts the event they return. Set-up, which
happens before anyone is live, has its own transactions.
"""

from itertools import combinations

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jointlearn.live import protocol
from jointlearn.live.broadcast import project_changed
from jointlearn.live.protocol import LiveError
from jointlearn.models import JoinCode, LiveActivity, shown_name

from . import presence, rotation
from .models import Cafe, CafeParticipant, CafeTable, Note, TableSummary, Vote

DEFAULT_TITLE = "Learning café"


# Set-up


@transaction.atomic
def create_cafe(
    *,
    project,
    created_by,
    title,
    tables=(),
    mode=Cafe.Mode.ROOM,
    rounds=3,
    round_minutes=20,
    table_capacity=8,
    votes_per_round=3,
    state=LiveActivity.State.OPEN,
):
    """A café with its own join code and its tables: [{theme, question, host, video_url}].

    In the `prepared` state (for an agenda slot) its code stays closed until it opens.
    """
    join_code = JoinCode.objects.create(
        project=project,
        label=title,
        created_by=created_by,
        is_open=state in {LiveActivity.State.OPEN, LiveActivity.State.LOCKED},
    )
    activity = LiveActivity.objects.create(
        project=project,
        kind=LiveActivity.Kind.CAFE,
        title=title,
        state=state,
        join_code=join_code,
        created_by=created_by,
    )
    cafe = Cafe.objects.create(
        activity=activity,
        mode=mode,
        rounds=rounds,
        round_minutes=round_minutes,
        table_capacity=table_capacity,
        votes_per_round=votes_per_round,
    )
    save_tables(cafe=cafe, tables=tables)
    return activity


def prepare(*, project, title, created_by):
    """A café for a learning-café slot of the agenda; its tables are set up before it opens."""
    return create_cafe(
        project=project,
        created_by=created_by,
        title=title,
        state=LiveActivity.State.PREPARED,
    )


class SetUpError(protocol.DomainError):
    pass


@transaction.atomic
def update_cafe(
    *, cafe, title, mode, rounds, round_minutes, table_capacity, votes_per_round, tables
):
    """Change the settings and tables of a café that has not started."""
    cafe = Cafe.objects.select_for_update().select_related("activity").get(pk=cafe.pk)
    if cafe.phase != Cafe.Phase.WAITING:
        raise SetUpError(_("The café has started: change tables from the console instead."))
    cafe.activity.title = title
    cafe.activity.save(update_fields=["title", "updated_at"])
    if cafe.activity.join_code_id:
        JoinCode.objects.filter(pk=cafe.activity.join_code_id).update(label=title[:120])
    cafe.mode, cafe.rounds, cafe.round_minutes = mode, rounds, round_minutes
    cafe.table_capacity, cafe.votes_per_round = table_capacity, votes_per_round
    cafe.save()
    save_tables(cafe=cafe, tables=tables)
    return cafe


def save_tables(*, cafe, tables):
    """Make the café's tables those given, in order; a table's notes stay with its number."""
    existing = {table.number: table for table in cafe.tables.all()}
    kept = set()
    for number, entry in enumerate(tables, start=1):
        table = existing.get(number) or CafeTable(cafe=cafe, number=number)
        table.theme = entry["theme"]
        table.question = entry.get("question", "")
        table.host = entry.get("host")
        table.video_url = entry.get("video_url", "")
        table.removed = False
        table.save()
        kept.add(number)
        if table.host_id is not None:
            ensure_member_checked_in(cafe, table.host)
    cafe.tables.exclude(number__in=kept).delete()


def ensure_member_checked_in(cafe, user):
    """Hosts are participants from the start: they stay at their table every round."""
    membership = cafe.activity.project.memberships.select_related("organisation").get(user=user)
    participant, _created = CafeParticipant.objects.get_or_create(
        cafe=cafe, user=user, defaults=member_details(membership)
    )
    return participant


def member_details(membership):
    organisation = membership.organisation
    return {
        "name": str(membership.user)[:100],
        "organisation": organisation.name if organisation else "",
        "country": organisation.country.code if organisation else "",
    }


# The rotation plan, as the planner sees it


def live_tables(cafe):
    return [table for table in cafe.tables.all() if not table.removed]


def planner_tables(cafe):
    return [
        rotation.Table(id=table.pk, capacity=cafe.table_capacity) for table in live_tables(cafe)
    ]


def planner_people(cafe, participants=None):
    hosts = {table.host_id: table.pk for table in live_tables(cafe) if table.host_id is not None}
    participants = participants if participants is not None else present_participants(cafe)
    return [person_of(participant, hosts) for participant in participants]


def person_of(participant, hosts):
    return rotation.Person(
        id=participant.pk,
        organisation=participant.organisation,
        country=participant.country.code if participant.country else "",
        host_of=hosts.get(participant.user_id) if participant.user_id else None,
    )


def present_participants(cafe):
    return list(cafe.participants.filter(left_at=None).order_by("pk"))


def plan_of(cafe):
    """The stored plan as a rotation.Plan (None before the café starts)."""
    if not cafe.plan:
        return None
    return rotation.Plan(
        rounds=cafe.plan["rounds"],
        seats={int(person): tuple(seats) for person, seats in cafe.plan["seats"].items()},
        tables=tuple(planner_tables(cafe)),
    )


def store_plan(cafe, plan):
    """Keep the plan with its quality report (rotation.quality), which the console shows:
    made once when the plan changes, then read by every snapshot and event for nothing.
    It counts everyone who sat in the café, leavers too, and pairs from earlier cafés."""
    everyone = list(cafe.participants.all())
    report = rotation.quality(
        plan, planner_people(cafe, everyone), met_before=met_before(cafe, everyone)
    )
    cafe.plan = {
        "rounds": plan.rounds,
        "seats": {str(person): list(seats) for person, seats in plan.seats.items()},
        "quality": report.as_dict(),
    }


def plan_quality(cafe):
    """The stored plan's quality report, None before the café starts."""
    return cafe.plan.get("quality") if cafe.plan else None


def met_before(cafe, participants):
    """Pairs of this café's participants who sat at one table in an earlier café of the
    project, so the plan seats them with new people."""
    by_user = {p.user_id: p.pk for p in participants if p.user_id}
    by_guest = {p.guest_id: p.pk for p in participants if p.guest_id}
    pairs = set()
    earlier = Cafe.objects.filter(activity__project_id=cafe.activity.project_id).exclude(pk=cafe.pk)
    for other in earlier.exclude(plan={}).only("plan", "current_round"):
        ids = {
            row["id"]: by_user.get(row["user_id"]) or by_guest.get(row["guest_id"])
            for row in other.participants.values("id", "user_id", "guest_id")
        }
        # Only the rounds that took place: the rest of a plan never happened.
        for round_index in range(min(other.current_round + 1, other.plan.get("rounds", 0))):
            tables = {}
            for person, seats in other.plan.get("seats", {}).items():
                here = ids.get(int(person))
                if here is not None and seats[round_index] is not None:
                    tables.setdefault(seats[round_index], []).append(here)
            for group in tables.values():
                pairs.update(frozenset(pair) for pair in combinations(group, 2))
    return frozenset(pairs)


PLAN_MESSAGES = {
    "over_capacity": lambda: _(
        "There are more people than seats: add a table or raise the number of people per table."
    ),
    "no_tables": lambda: _("Add at least one table first."),
    "unknown_table": lambda: _("This table is not in the café."),
    "table_full": lambda: _("This table is full for that round."),
}


def plan_refused(error):
    message = PLAN_MESSAGES.get(error.code)
    return LiveError(
        error.code, message() if message else _("The seating plan could not be changed.")
    )


# Reading the café for a snapshot


def cafe_of(activity):
    return Cafe.objects.get(activity=activity)


def seat_pair(cafe, seats):
    """(table now, table next) of one person's row of the plan."""
    now = seats[cafe.current_round] if cafe.current_round < len(seats) else None
    following = cafe.current_round + 1
    after = seats[following] if following < len(seats) else None
    if cafe.phase == Cafe.Phase.WAITING:
        return None, seats[0] if seats else None
    return now, after


def seating(cafe):
    """{participant id: [table now, table next]} for everyone in the plan."""
    if not cafe.plan:
        return {}
    return {person: list(seat_pair(cafe, seats)) for person, seats in cafe.plan["seats"].items()}


def table_dict(table, host_ids):
    return {
        "id": table.pk,
        "number": table.number,
        "theme": table.theme,
        "question": table.question,
        "host": host_ids.get(table.host_id),
        "video_url": table.video_url,
        "removed": table.removed,
    }


def tables_state(cafe):
    hosts = dict(cafe.participants.filter(user__isnull=False).values_list("user_id", "pk"))
    return [table_dict(table, hosts) for table in cafe.tables.all()]


def person_dict(participant):
    entry = {
        "id": participant.pk,
        "name": shown_name(participant.name),
        "organisation": participant.organisation,
        "country": participant.country.code if participant.country else "",
        "present": participant.left_at is None,
    }
    return entry


def note_dict(note):
    return {
        "id": note.pk,
        "table": note.table_id,
        "round": note.round_index,
        "text": note.text,
        "author": note.author_id,
        "author_name": shown_name(note.author_name),
        "country": note.author_country.code if note.author_country else "",
        "practice": note.practice_id,
        "practice_title": note.practice.title if note.practice_id else "",
        "votes": note.votes,
        "hidden": note.hidden,
        "edited": note.edited_at is not None,
    }


def summary_dict(summary):
    return {
        "table": summary.table_id,
        "version": summary.version,
        "text": summary.text,
        "by": shown_name(summary.written_by),
    }


def latest_summaries(cafe, table_ids=None):
    found = {}
    summaries = TableSummary.objects.filter(table__cafe=cafe).order_by("table_id", "-version")
    if table_ids is not None:
        summaries = summaries.filter(table_id__in=table_ids)
    for summary in summaries:
        found.setdefault(summary.table_id, summary)
    return {str(table): summary_dict(summary) for table, summary in found.items()}


def participant_for(cafe, actor):
    if actor.membership is not None:
        return cafe.participants.filter(user_id=actor.membership.user_id).first()
    return cafe.participants.filter(guest_id=actor.guest.pk).first()


def current_table_of(cafe, participant):
    if participant is None or not cafe.plan or cafe.phase == Cafe.Phase.WAITING:
        return None
    seats = cafe.plan["seats"].get(str(participant.pk))
    return seats[cafe.current_round] if seats else None


def votes_left(cafe, participant):
    if participant is None:
        return 0
    used = Vote.objects.filter(voter=participant, round_index=cafe.current_round).count()
    return max(0, cafe.votes_per_round - used)


PERSON_FIELDS = ("id", "user_id", "guest_id", "name", "organisation", "country", "left_at")


def people_rows(people, *, with_presence):
    """People as plain rows: a snapshot of 300 people stays cheap. With presence, each row
    says whether the person has a socket open (learningcafe.presence)."""
    rows = list(people.order_by("name", "pk").values(*PERSON_FIELDS))
    if with_presence:
        online = presence.online_ids(row["id"] for row in rows)
        for row in rows:
            row["online"] = row["id"] in online
    return rows


def person_row(row):
    entry = {
        "id": row["id"],
        "name": shown_name(row["name"]),
        "organisation": row["organisation"],
        "country": row["country"] or "",
        "present": row["left_at"] is None,
    }
    if "online" in row:
        entry["online"] = row["online"]
    return entry


def table_scope(table_id):
    """The scope of a table's events: only sockets that follow the table get them."""
    return f"table-{table_id}"


def at_table(table_id, event):
    event["scope"] = table_scope(table_id)
    return event


def seat_now(cafe, actor, tables):
    """(participant id, table id) of the actor in the current round, either may be None."""
    if actor.membership is not None:
        mine = {"user_id": actor.membership.user_id}
    else:
        mine = {"guest_id": actor.guest.pk}
    # Someone who left (or was taken out) is no longer in the café: their phone offers to
    # check in again.
    me = cafe.participants.filter(**mine, left_at=None).values_list("pk", flat=True).first()
    table_now = None
    if me is not None and cafe.plan and cafe.phase != Cafe.Phase.WAITING:
        seats = cafe.plan["seats"].get(str(me))
        table_now = seats[cafe.current_round] if seats else None
    if table_now is None and actor.membership is not None:
        # A host sees their table before the café starts.
        hosted = [t.pk for t in tables if t.host_id == actor.membership.user_id]
        table_now = hosted[0] if hosted else None
    return me, table_now


def follows(actor, state):
    """The event scopes a socket follows (protocol.Kind.scopes), read from the snapshot it
    was just sent: facilitators and projectors everything; a phone its table of this round,
    so 300 phones on 30 tables are not each sent every table's notes. A new round makes
    phones ask for a snapshot, which renews it."""
    if actor.can_facilitate:
        return None
    table_now = state["cafe"]["my_table"]
    return {table_scope(table_now)} if table_now is not None else set()


# The newest notes a facilitator's console holds (the rest are in the harvest).
CONSOLE_NOTES = 500
# The notes of earlier rounds a phone holds: its table's most voted. A long café leaves
# hundreds of notes on a table, and after a rotation every phone asks for a snapshot at
# once (soak, minute 8: 480 notes, 100 KB a phone, 150 phones a worker within 3 s).
EARLIER_NOTES = 30


def table_notes(cafe, notes, table_id):
    """A phone's notes at its table, in the order written, and how many earlier rounds left:
    every visible note of this round, and the EARLIER_NOTES most voted of earlier rounds."""
    if table_id is None:
        return [], 0
    visible = notes.filter(table_id=table_id, hidden=False)
    earlier = visible.filter(round_index__lt=cafe.current_round)
    most_voted = earlier.order_by("-votes", "-pk").values("pk")[:EARLIER_NOTES]
    # One query for both (a phone's snapshot is what 150 phones of a worker ask for at once).
    held = list(
        visible.filter(Q(round_index=cafe.current_round) | Q(pk__in=most_voted)).order_by("pk")
    )
    kept = sum(note.round_index < cafe.current_round for note in held)
    total = earlier.count() if kept == EARLIER_NOTES else kept
    return held, total


def cafe_state(activity, actor):
    cafe = Cafe.objects.get(activity=activity)
    facilitating = actor.can_facilitate
    tables = list(cafe.tables.all())
    me, table_now = seat_now(cafe, actor, tables)
    people = cafe.participants.all()
    if not facilitating:
        # A phone needs the names at its own table (and the hosts), not the whole room:
        # after a rotation 300 phones ask for a snapshot at once.
        here = [
            int(person)
            for person, seats in (cafe.plan.get("seats") or {}).items()
            if table_now is not None and seats[cafe.current_round] == table_now
        ]
        hosts = [t.host_id for t in tables if t.host_id]
        people = people.filter(Q(pk__in=[*here, me or 0]) | Q(user_id__in=hosts))
    rows = people_rows(people, with_presence=facilitating)
    notes = Note.objects.filter(cafe=cafe).select_related("practice")
    notes_total = earlier_total = None
    if facilitating:
        summaries = latest_summaries(cafe)
        # The console's feed: the newest notes. A busy café outgrows any socket (300
        # people writing for ten minutes: 5,000 notes, 1.2 MB, past the 1 MB a WebSocket
        # message may hold, so the console could never resync); the harvest has them all.
        notes_total = notes.count()
        notes = reversed(notes.order_by("-pk")[:CONSOLE_NOTES])
    else:
        # Participants follow their table: this round's notes, and what earlier rounds left.
        notes, earlier_total = table_notes(cafe, notes, table_now)
        summaries = latest_summaries(cafe, [table_now]) if table_now else {}
    my_votes = []
    if me is not None:
        my_votes = list(
            Vote.objects.filter(voter_id=me, round_index=cafe.current_round).values_list(
                "note_id", flat=True
            )
        )
    # The hosts are among the rows: everyone on the console, and on a phone by the filter.
    host_ids = {table.host_id for table in tables if table.host_id}
    hosts = {row["user_id"]: row["id"] for row in rows if row["user_id"] in host_ids}
    return {
        "cafe": {
            "mode": cafe.mode,
            "rounds": cafe.rounds,
            "round_minutes": cafe.round_minutes,
            "capacity": cafe.table_capacity,
            "votes_per_round": cafe.votes_per_round,
            "phase": cafe.phase,
            "round": cafe.current_round,
            "announcement": cafe.announcement,
            "tables": [table_dict(table, hosts) for table in tables],
            "people": [person_row(row) for row in rows],
            "seating": seating(cafe),
            "notes": [note_dict(note) for note in notes],
            "notes_total": notes_total,
            "notes_limit": CONSOLE_NOTES,
            "earlier_total": earlier_total,
            "earlier_limit": EARLIER_NOTES,
            "summaries": summaries,
            "me": me,
            "my_table": table_now,
            "quality": plan_quality(cafe) if facilitating else None,
            "my_votes": my_votes,
            "votes_left": max(0, cafe.votes_per_round - len(my_votes)) if me else 0,
        }
    }


# Operations: the café's course


def locked_cafe(activity):
    return Cafe.objects.select_for_update().get(activity=activity)


def check_expected_round(cafe, expected_round):
    if expected_round != cafe.current_round:
        raise LiveError(
            "stale",
            _("The café has already moved on. Your screen shows it as it is now."),
        )


def seating_event(cafe, **extra):
    return {
        "kind": "cafe.update",
        "phase": cafe.phase,
        "round": cafe.current_round,
        "seating": seating(cafe),
        "quality": plan_quality(cafe),
        **extra,
    }


def start_round_timer(activity, cafe):
    protocol.start_timer(activity=activity, actor=None, seconds=cafe.round_minutes * 60)


def start_cafe(*, activity, actor, expected_round):
    cafe = locked_cafe(activity)
    if cafe.phase != Cafe.Phase.WAITING:
        raise LiveError("stale", _("The café has already started."))
    check_expected_round(cafe, expected_round)
    participants = present_participants(cafe)
    if not participants:
        raise LiveError("nobody", _("Check in at least one person first."))
    try:
        plan = rotation.make_plan(
            planner_people(cafe, participants),
            planner_tables(cafe),
            cafe.rounds,
            met_before=met_before(cafe, participants),
            seed=cafe.pk,
        )
    except rotation.PlanError as error:
        raise plan_refused(error) from error
    store_plan(cafe, plan)
    cafe.phase, cafe.current_round = Cafe.Phase.TALKING, 0
    cafe.save()
    if activity.state == LiveActivity.State.PREPARED:
        protocol.set_state(activity=activity, actor=actor, state=LiveActivity.State.OPEN)
    start_round_timer(activity, cafe)
    return seating_event(cafe, timer=protocol.timer_state(activity))


def end_round(*, activity, actor, expected_round):
    """The round ends now (early, or when its time is up): people see where they go next."""
    cafe = locked_cafe(activity)
    check_expected_round(cafe, expected_round)
    if cafe.phase != Cafe.Phase.TALKING:
        raise LiveError("stale", _("This round has already ended."))
    cafe.phase = Cafe.Phase.MOVING
    cafe.save(update_fields=["phase"])
    protocol.stop_timer(activity=activity, actor=actor)
    return seating_event(cafe, timer=protocol.timer_state(activity))


def next_round(*, activity, actor, expected_round):
    """Everyone moves at once. `expected_round` is the round the facilitator's screen showed:
    a second press (or a second facilitator) with the same round is refused, so the café
    rotates once."""
    cafe = locked_cafe(activity)
    check_expected_round(cafe, expected_round)
    if not cafe.is_running:
        raise LiveError("stale", _("The café is not running."))
    if cafe.current_round + 1 >= cafe.rounds:
        raise LiveError("last_round", _("This is the last round: end the café instead."))
    cafe.current_round += 1
    cafe.phase = Cafe.Phase.TALKING
    cafe.save(update_fields=["current_round", "phase"])
    start_round_timer(activity, cafe)
    return seating_event(cafe, timer=protocol.timer_state(activity))


def end_cafe(*, activity, actor):
    cafe = locked_cafe(activity)
    if cafe.phase == Cafe.Phase.FINISHED:
        raise LiveError("stale", _("The café has already ended."))
    cafe.phase = Cafe.Phase.FINISHED
    cafe.save(update_fields=["phase"])
    protocol.stop_timer(activity=activity, actor=actor)
    protocol.set_state(activity=activity, actor=actor, state=LiveActivity.State.ENDED)
    return {
        "kind": "cafe.update",
        "phase": cafe.phase,
        "round": cafe.current_round,
        "state": activity.state,
        "timer": protocol.timer_state(activity),
    }


def announce(*, activity, actor, text):
    cafe = locked_cafe(activity)
    cafe.announcement = text
    cafe.save(update_fields=["announcement"])
    return {"kind": "cafe.update", "announcement": text}


# Operations: people


def refuse_unless_open(activity):
    if activity.state != LiveActivity.State.OPEN:
        raise LiveError("locked", _("The café is not open."))


def join(*, activity, actor, organisation="", country=""):
    """Check oneself in (a guest with the code, or a member); mid-café, a seat is found
    where one adds the most, without moving anyone else."""
    refuse_unless_open(activity)
    cafe = locked_cafe(activity)
    if actor.membership is not None:
        details = member_details(actor.membership)
        key = {"user": actor.membership.user}
    else:
        details = {"name": actor.guest.display_name[:100], "organisation": organisation}
        details["country"] = country
        key = {"guest": actor.guest}
    return check_in(activity=activity, cafe=cafe, key=key, details=details)


def check_in_member(*, activity, actor, user_id):
    """The facilitator checks in a member of the project who is in the room."""
    cafe = locked_cafe(activity)
    membership = (
        activity.project.memberships.select_related("user", "organisation")
        .filter(user_id=user_id)
        .first()
    )
    if membership is None:
        raise LiveError("not_found", _("This person is not a member of the project."))
    return check_in(
        activity=activity,
        cafe=cafe,
        key={"user": membership.user},
        details=member_details(membership),
    )


def check_in(*, activity, cafe, key, details):
    if cafe.phase == Cafe.Phase.FINISHED:
        raise LiveError("locked", _("The café has ended."))
    participant = CafeParticipant.objects.filter(cafe=cafe, **key).first()
    if participant is not None and participant.left_at is None:
        raise LiveError("duplicate", _("%(name)s is already checked in.") % {"name": participant})
    if participant is None:
        participant = CafeParticipant.objects.create(cafe=cafe, **key, **details)
    else:
        participant.left_at = None
        participant.save(update_fields=["left_at"])
    event = {"kind": "cafe.update", "person": person_dict(participant)}
    plan = plan_of(cafe)
    if plan is not None:
        present = present_participants(cafe)
        hosts = {t.host_id: t.pk for t in live_tables(cafe) if t.host_id}
        others = [person_of(p, hosts) for p in present if p.pk != participant.pk]
        from_round = cafe.current_round + (1 if cafe.phase == Cafe.Phase.MOVING else 0)
        from_round = min(from_round, plan.rounds - 1)
        try:
            if participant.pk in plan.seats:
                plan = rotation.remove_person(plan, participant.pk, from_round=from_round)
                plan = rotation.add_person(
                    plan,
                    others,
                    planner_tables(cafe),
                    person_of(participant, hosts),
                    from_round=from_round,
                    met_before=met_before(cafe, present),
                )
            else:
                plan = rotation.add_person(
                    plan,
                    others,
                    planner_tables(cafe),
                    person_of(participant, hosts),
                    from_round=from_round,
                    met_before=met_before(cafe, present),
                )
        except rotation.PlanError as error:
            raise plan_refused(error) from error
        store_plan(cafe, plan)
        cafe.save(update_fields=["plan"])
        event["seats"] = list(seat_pair(cafe, cafe.plan["seats"][str(participant.pk)]))
        event["quality"] = plan_quality(cafe)
    return event


def leave(*, activity, actor):
    cafe = locked_cafe(activity)
    participant = participant_for(cafe, actor)
    if participant is None or participant.left_at is not None:
        raise LiveError("not_found", _("You are not checked in."))
    return remove(cafe, participant)


def remove_participant(*, activity, actor, participant_id):
    cafe = locked_cafe(activity)
    participant = cafe.participants.filter(pk=participant_id, left_at=None).first()
    if participant is None:
        raise LiveError("not_found", _("This person is not checked in."))
    return remove(cafe, participant)


def remove(cafe, participant):
    """A leaver frees the seat from now on; nobody else moves."""
    participant.left_at = timezone.now()
    participant.save(update_fields=["left_at"])
    plan = plan_of(cafe)
    if plan is not None and participant.pk in plan.seats:
        from_round = cafe.current_round if cafe.phase != Cafe.Phase.FINISHED else plan.rounds - 1
        plan = rotation.remove_person(plan, participant.pk, from_round=from_round)
        store_plan(cafe, plan)
        cafe.save(update_fields=["plan"])
    return {"kind": "cafe.update", "left": participant.pk, "quality": plan_quality(cafe)}


def move(*, activity, actor, participant_id, table_id):
    """Move one person: in the round under way, or in the next one while people move."""
    cafe = locked_cafe(activity)
    plan = plan_of(cafe)
    if plan is None or not cafe.is_running:
        raise LiveError("stale", _("People are seated when the café starts."))
    participant = cafe.participants.filter(pk=participant_id, left_at=None).first()
    if participant is None or participant.pk not in plan.seats:
        raise LiveError("not_found", _("This person is not checked in."))
    round_index = cafe.current_round
    if cafe.phase == Cafe.Phase.MOVING and round_index + 1 < plan.rounds:
        round_index += 1
    try:
        plan = rotation.move_person(plan, participant.pk, table_id, round_index=round_index)
        if round_index + 1 < plan.rounds:
            plan = rotation.repair(
                plan,
                planner_people(cafe),
                planner_tables(cafe),
                from_round=round_index + 1,
                met_before=met_before(cafe, present_participants(cafe)),
            )
    except rotation.PlanError as error:
        raise plan_refused(error) from error
    store_plan(cafe, plan)
    cafe.save(update_fields=["plan"])
    return seating_event(cafe)


def add_table(*, activity, actor, theme, question=""):
    cafe = locked_cafe(activity)
    if cafe.phase == Cafe.Phase.FINISHED:
        raise LiveError("locked", _("The café has ended."))
    number = (cafe.tables.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    CafeTable.objects.create(cafe=cafe, number=number, theme=theme, question=question)
    return replan_after_table_change(cafe)


def remove_table(*, activity, actor, table_id):
    cafe = locked_cafe(activity)
    table = cafe.tables.filter(pk=table_id, removed=False).first()
    if table is None:
        raise LiveError("not_found", _("This table is not in the café."))
    if len(live_tables(cafe)) == 1:
        raise LiveError("no_tables", _("A café needs at least one table."))
    table.removed = True
    table.save(update_fields=["removed"])
    return replan_after_table_change(cafe, emptied=table.pk)


def replan_after_table_change(cafe, *, emptied=None):
    """Later rounds use the tables as they are now. A table taken away mid-round sends its
    people elsewhere now; everyone else keeps the round under way."""
    plan = plan_of(cafe)
    if plan is not None and cafe.phase != Cafe.Phase.FINISHED:
        from_round = cafe.current_round + (1 if cafe.phase == Cafe.Phase.TALKING else 0)
        if emptied is not None and any(
            seats[cafe.current_round] == emptied for seats in plan.seats.values()
        ):
            from_round = cafe.current_round
        if from_round < plan.rounds:
            try:
                plan = rotation.repair(
                    plan,
                    planner_people(cafe),
                    planner_tables(cafe),
                    from_round=from_round,
                    met_before=met_before(cafe, present_participants(cafe)),
                )
            except rotation.PlanError as error:
                raise plan_refused(error) from error
            store_plan(cafe, plan)
            cafe.save(update_fields=["plan"])
    return seating_event(cafe, tables=tables_state(cafe))


# Operations: notes, votes and summaries


def seated_participant(cafe, actor):
    participant = participant_for(cafe, actor)
    if participant is None or participant.left_at is not None:
        raise LiveError("not_seated", _("Check in to the café first."))
    return participant


def refuse_unless_talking(cafe):
    if not cafe.is_running:
        raise LiveError("locked", _("Notes are written while the café runs."))


def post_note(*, activity, actor, table_id, text, practice_id=None):
    refuse_unless_open(activity)
    cafe = Cafe.objects.get(activity=activity)
    refuse_unless_talking(cafe)
    participant = seated_participant(cafe, actor)
    if current_table_of(cafe, participant) != table_id:
        raise LiveError("not_seated", _("You can write notes only at the table where you sit now."))
    practice = None
    if practice_id is not None:
        from practices.models import Practice

        practice = Practice.objects.filter(
            pk=practice_id, project=activity.project, status=Practice.Status.PUBLISHED
        ).first()
        if practice is None:
            raise LiveError("not_found", _("This practice is not in the project's library."))
    note = Note.objects.create(
        cafe=cafe,
        table_id=table_id,
        round_index=cafe.current_round,
        author=participant,
        author_name=participant.name,
        author_country=participant.country,
        text=text,
        practice=practice,
    )
    return at_table(note.table_id, {"kind": "note.posted", "note": note_dict(note)})


def own_note(cafe, actor, note_id):
    participant = seated_participant(cafe, actor)
    note = Note.objects.filter(cafe=cafe, pk=note_id).select_related("practice").first()
    if note is None:
        raise LiveError("not_found", _("This note no longer exists."))
    if note.author_id != participant.pk:
        raise LiveError("forbidden", _("You can change only your own notes."))
    return note


def edit_note(*, activity, actor, note_id, text):
    refuse_unless_open(activity)
    cafe = Cafe.objects.get(activity=activity)
    note = own_note(cafe, actor, note_id)
    note.text, note.edited_at = text, timezone.now()
    note.save(update_fields=["text", "edited_at"])
    return at_table(
        note.table_id,
        {"kind": "note.edited", "id": note.pk, "table": note.table_id, "text": note.text},
    )


def delete_note(*, activity, actor, note_id):
    refuse_unless_open(activity)
    cafe = Cafe.objects.get(activity=activity)
    note = own_note(cafe, actor, note_id)
    table_id = note.table_id
    note.delete()
    return at_table(table_id, {"kind": "note.deleted", "id": note_id, "table": table_id})


def can_moderate(cafe, actor, table):
    """Facilitators hide notes anywhere; a host at their own table."""
    if actor.can_facilitate:
        return True
    return actor.membership is not None and table.host_id == actor.membership.user_id


def set_note_hidden(*, activity, actor, note_id, hidden):
    cafe = Cafe.objects.get(activity=activity)
    note = Note.objects.filter(cafe=cafe, pk=note_id).select_related("table").first()
    if note is None:
        raise LiveError("not_found", _("This note no longer exists."))
    if not can_moderate(cafe, actor, note.table):
        raise LiveError("forbidden", _("Only the table's host or the facilitator can do this."))
    note.hidden = hidden
    note.save(update_fields=["hidden"])
    return at_table(
        note.table_id,
        {
            "kind": "note.hidden" if hidden else "note.shown",
            "id": note.pk,
            "table": note.table_id,
            "note": note_dict(note),
        },
    )


def hide_note(*, activity, actor, note_id):
    return set_note_hidden(activity=activity, actor=actor, note_id=note_id, hidden=True)


def show_note(*, activity, actor, note_id):
    return set_note_hidden(activity=activity, actor=actor, note_id=note_id, hidden=False)


def vote(*, activity, actor, note_id):
    refuse_unless_open(activity)
    cafe = Cafe.objects.get(activity=activity)
    refuse_unless_talking(cafe)
    voter = seated_participant(cafe, actor)
    note = Note.objects.filter(cafe=cafe, pk=note_id, hidden=False).first()
    if note is None:
        raise LiveError("not_found", _("This note no longer exists."))
    if note.table_id != current_table_of(cafe, voter):
        raise LiveError("not_seated", _("You can vote only on notes at your table."))
    if Vote.objects.filter(note=note, voter=voter).exists():
        raise LiveError("duplicate", _("You have already voted for this note."))
    if votes_left(cafe, voter) == 0:
        raise LiveError(
            "limit",
            _("You have used your %(n)d votes for this round.") % {"n": cafe.votes_per_round},
        )
    Vote.objects.create(note=note, voter=voter, round_index=cafe.current_round)
    Note.objects.filter(pk=note.pk).update(votes=F("votes") + 1)
    return at_table(
        note.table_id,
        {"kind": "note.voted", "id": note.pk, "table": note.table_id, "votes": note.votes + 1},
    )


def save_summary(*, activity, actor, table_id, text, base_version):
    """A new version of the host's summary. Saving over a version newer than the one the
    writer started from is refused: nobody's text is overwritten without being seen."""
    cafe = Cafe.objects.get(activity=activity)
    table = cafe.tables.filter(pk=table_id).first()
    if table is None:
        raise LiveError("not_found", _("This table is not in the café."))
    if not can_moderate(cafe, actor, table):
        raise LiveError("forbidden", _("Only the table's host or the facilitator can do this."))
    latest = table.summaries.order_by("-version").first()
    current = latest.version if latest else 0
    if base_version != current:
        raise LiveError(
            "stale",
            _(
                "Someone saved a newer version of this summary. It is shown now: add your "
                "changes to it and save again."
            ),
        )
    summary = TableSummary.objects.create(
        table=table,
        version=current + 1,
        text=text,
        written_by=actor.name[:100],
        author=actor.user,
    )
    return at_table(summary.table_id, {"kind": "summary.saved", "summary": summary_dict(summary)})


def lobby_changed(activity):
    project_changed(activity.project, "live")
