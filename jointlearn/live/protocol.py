"""The server half of the live protocol: snapshots, operations, versions, timers and errors.

Every live activity (word wall, pitch rating, café, reflection round) is a LiveActivity
whose kind registers its operations here. `apply_op` is the one way a client changes an
activity: it validates the data with the operation's form, checks the sender may do it,
runs the kind's handler, bumps the version and records the client's op id, all in one
transaction, and only after commit broadcasts the event. A repeated op id is acknowledged
again with the version it got the first time and changes nothing. docs/live-protocol.md
describes the wire format built here.
"""

import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Guest, LiveActivity, LiveOp, Membership
from ..permissions import can_run_live_activities
from ..services import DomainError
from .broadcast import broadcast_after_commit, project_changed
from .groups import activity_group

OP_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_MESSAGE_BYTES = 64 * 1024
TIMER_MAX_SECONDS = 4 * 60 * 60


class LiveError(DomainError):
    """An operation was refused; `code` is for programs, `message` a sentence for people."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Actor:
    """Who is on a socket: a member of the project, or a guest who joined with a code."""

    membership: Membership | None = None
    guest: Guest | None = None

    @property
    def key(self):
        """Identifies the sender of op ids: ids only need to be unique per sender."""
        if self.membership is not None:
            return f"user-{self.membership.user_id}"
        return f"guest-{self.guest.pk}"

    @property
    def name(self):
        if self.membership is not None:
            return str(self.membership.user)
        return self.guest.display_name

    @property
    def user(self):
        return self.membership.user if self.membership is not None else None

    @property
    def project_id(self):
        return (self.membership or self.guest).project_id

    def still_admitted(self):
        """Whether the membership or guest the socket was opened with still exists: a removed
        member or guest is refused even before their sockets have been closed."""
        if self.membership is not None:
            return Membership.objects.filter(pk=self.membership.pk).exists()
        return Guest.objects.filter(pk=self.guest.pk).exists()

    @property
    def can_facilitate(self):
        return can_run_live_activities(self.membership)


def anyone(actor, activity):
    return True


def facilitators(actor, activity):
    return actor.can_facilitate


@dataclass(frozen=True)
class Op:
    """An operation a kind accepts: the form that validates its data, who may send it, and
    the handler that applies it and returns the event to broadcast (or None)."""

    form: type[forms.Form]
    handler: object
    allowed: object = anyone


@dataclass
class Kind:
    """What a kind of live activity adds to the protocol and to the shared live pages.

    ops and state are the protocol: the operations it accepts and its part of the snapshot.
    The rest is how the shared pages (jointlearn/live/views.py) show it:
    - templates: the template of each page, by role ("participant", "console",
      "projector"); the views give them the snapshot, join URL, QR code and socket;
    - context(request, activity, role, snapshot) -> what else those templates need;
    - export(activity) -> {"json": dict, "csv_fields": [...], "csv_rows": [dict, ...],
      "activity": dict (optional, added to the JSON's "activity")}: the results, served
      formula-safe as CSV and as JSON;
    - create_url: the name of the URL that sets one up (shown on the list of live
      activities); create_label: the button's words;
    - scopes(actor, state) -> the event scopes a socket follows, or None for all, read
      from the snapshot's state the socket was just sent: an
      event with a "scope" reaches only sockets that follow it (a café phone follows its
      table), and each event sent says after which version it comes, so the client's gap
      check still holds (docs/live-protocol.md, "Versions and resync");
    - agenda_kinds and prepare: the agenda items it can serve (AgendaItem.Kind values) and
      prepare(*, project, title, created_by) -> a LiveActivity in the PREPARED state, so
      a coordinator prepares it in the agenda and opens it when the slot starts.
    """

    ops: dict = field(default_factory=dict)
    state: object = None  # state(activity, actor) -> dict for the snapshot
    templates: dict = field(default_factory=dict)
    context: object = None
    export: object = None
    create_url: str = ""
    create_label: object = ""
    agenda_kinds: tuple = ()
    prepare: object = None
    scopes: object = None


KINDS = {}


def register(kind, definition):
    KINDS[kind] = definition


def definition_of(activity):
    return KINDS[activity.kind]


def kinds_for_agenda(agenda_kind):
    """The (kind, definition) pairs that can be prepared for an agenda item of this kind."""
    return [
        (kind, definition)
        for kind, definition in KINDS.items()
        if agenda_kind in definition.agenda_kinds and definition.prepare is not None
    ]


# Timers: the server keeps when the phase ends; clients count down against the server's
# clock, so nothing is sent while a timer runs.


def timer_state(activity):
    if activity.phase_ends_at is not None:
        return {
            "running": True,
            "ends_at": activity.phase_ends_at.isoformat(),
            "remaining_ms": None,
        }
    if activity.phase_remaining_ms is not None:
        return {"running": False, "ends_at": None, "remaining_ms": activity.phase_remaining_ms}
    return {"running": False, "ends_at": None, "remaining_ms": None}


class SecondsForm(forms.Form):
    seconds = forms.IntegerField(min_value=1, max_value=TIMER_MAX_SECONDS)


class NoDataForm(forms.Form):
    pass


class StateForm(forms.Form):
    # A started activity does not go back to being prepared.
    state = forms.ChoiceField(
        choices=[
            choice
            for choice in LiveActivity.State.choices
            if choice[0] != LiveActivity.State.PREPARED
        ]
    )


def remaining_ms(activity, now):
    if activity.phase_ends_at is not None:
        return max(0, int((activity.phase_ends_at - now).total_seconds() * 1000))
    return activity.phase_remaining_ms or 0


def start_timer(*, activity, actor, seconds):
    activity.phase_ends_at = timezone.now() + timedelta(seconds=seconds)
    activity.phase_remaining_ms = None
    return {"kind": "timer", "timer": timer_state(activity)}


def pause_timer(*, activity, actor):
    if activity.phase_ends_at is None:
        raise LiveError("timer_not_running", _("The timer is not running."))
    activity.phase_remaining_ms = remaining_ms(activity, timezone.now())
    activity.phase_ends_at = None
    return {"kind": "timer", "timer": timer_state(activity)}


def resume_timer(*, activity, actor):
    if activity.phase_remaining_ms is None:
        raise LiveError("timer_not_paused", _("The timer is not paused."))
    activity.phase_ends_at = timezone.now() + timedelta(milliseconds=activity.phase_remaining_ms)
    activity.phase_remaining_ms = None
    return {"kind": "timer", "timer": timer_state(activity)}


def extend_timer(*, activity, actor, seconds):
    now = timezone.now()
    if activity.phase_ends_at is not None:
        activity.phase_ends_at = max(activity.phase_ends_at, now) + timedelta(seconds=seconds)
    elif activity.phase_remaining_ms is not None:
        activity.phase_remaining_ms += seconds * 1000
    else:
        raise LiveError("timer_not_running", _("The timer is not running."))
    if remaining_ms(activity, now) > TIMER_MAX_SECONDS * 1000:
        raise LiveError("invalid", _("A timer can run for at most four hours."))
    return {"kind": "timer", "timer": timer_state(activity)}


def stop_timer(*, activity, actor):
    activity.phase_ends_at = None
    activity.phase_remaining_ms = None
    return {"kind": "timer", "timer": timer_state(activity)}


def set_state(*, activity, actor, state):
    if state == activity.state:
        return None
    activity.state = state
    if activity.join_code_id:
        # A prepared or ended activity takes no one; opening it opens its code again.
        activity.join_code.is_open = activity.takes_people
        activity.join_code.save(update_fields=["is_open"])
    # Lobbies and "not started yet" pages list what runs: they reload.
    project_changed(activity.project, "live")
    return {"kind": "state", "state": state}


COMMON_OPS = {
    "timer.start": Op(SecondsForm, start_timer, facilitators),
    "timer.pause": Op(NoDataForm, pause_timer, facilitators),
    "timer.resume": Op(NoDataForm, resume_timer, facilitators),
    "timer.extend": Op(SecondsForm, extend_timer, facilitators),
    "timer.stop": Op(NoDataForm, stop_timer, facilitators),
    "state.set": Op(StateForm, set_state, facilitators),
}


# Snapshots and operations


def snapshot(activity, actor):
    """Everything a client needs to draw the activity, as this actor may see it."""
    join_code = activity.join_code
    state = {
        "activity": {
            "id": activity.pk,
            "kind": activity.kind,
            "title": activity.title,
            "state": activity.state,
            "join_code": join_code.code if join_code else None,
        },
        "timer": timer_state(activity),
        "me": {"name": actor.name, "can_facilitate": actor.can_facilitate},
    }
    state.update(definition_of(activity).state(activity, actor))
    return {
        "type": "snapshot",
        "version": activity.version,
        "server_time": timezone.now().isoformat(),
        "state": state,
    }


def load_snapshot(activity_id, actor):
    activity = LiveActivity.objects.select_related("join_code").get(pk=activity_id)
    return snapshot(activity, actor)


def current_version(activity_id):
    """The activity's version in the database (None if it is gone)."""
    return LiveActivity.objects.filter(pk=activity_id).values_list("version", flat=True).first()


def load_snapshot_and_scopes(activity_id, actor):
    """The snapshot, and the event scopes the socket follows from it (None: all)."""
    activity = LiveActivity.objects.select_related("join_code").get(pk=activity_id)
    definition = definition_of(activity)
    current = snapshot(activity, actor)
    if definition.scopes is None:
        return current, None
    return current, definition.scopes(actor, current["state"])


def follows(scopes, event):
    """Whether a socket that follows `scopes` is sent the event."""
    return scopes is None or event.get("scope") is None or event["scope"] in scopes


def find_op(activity, op):
    spec = COMMON_OPS.get(op) or definition_of(activity).ops.get(op)
    if spec is None:
        raise LiveError("unknown_op", _("This action is not known here. Reload the page."))
    return spec


def check_op_id(op_id):
    if not isinstance(op_id, str) or not OP_ID_PATTERN.match(op_id):
        raise LiveError("invalid", _("The message has no valid id. Reload the page and try again."))


# A list in the data (several ticked boxes) holds at most this many values.
MAX_LIST_ITEMS = 50
SCALAR = str | int | float | bool


def plain_value(value):
    if value is None or isinstance(value, SCALAR):
        return True
    return (
        isinstance(value, list)
        and len(value) <= MAX_LIST_ITEMS
        and all(isinstance(item, SCALAR) for item in value)
    )


def check_data(data):
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(plain_value(value) for value in data.values()):
        raise LiveError("invalid", _("The message could not be read. Reload the page."))
    return data


class SeveralValuesField(forms.Field):
    """Several values of one field: a list (a form posting the name once per ticked box, or
    a socket message's list), or one comma-separated string. Cleans to a list of strings."""

    def __init__(self, *, max_items=MAX_LIST_ITEMS, **kwargs):
        kwargs.setdefault("required", False)
        self.max_items = max_items
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return []
        items = value if isinstance(value, list) else str(value).split(",")
        items = [str(item).strip() for item in items]
        items = [item for item in items if item]
        if len(items) > self.max_items:
            raise forms.ValidationError(_("Too many values were sent. Reload the page."))
        return items


def first_error(form):
    for errors in form.errors.values():
        return errors[0]
    return _("Something in the message is not valid.")


@dataclass(frozen=True)
class Applied:
    version: int
    duplicate: bool


def apply_op(*, activity_id, actor, op_id, op, data):
    """Validate, authorise and apply one client operation; broadcast its event after commit.

    Returns Applied(version, duplicate). A repeated op id returns the version it was
    applied at, with duplicate=True, and changes nothing. Raises LiveError with a message
    for the person when the operation is refused; nothing is saved then.
    """
    check_op_id(op_id)
    data = check_data(data)
    try:
        return _apply(activity_id, actor, op_id, op, data)
    except IntegrityError:
        # The same op id raced in on another connection and won; this one is the repeat.
        recorded = LiveOp.objects.filter(
            activity_id=activity_id, sender=actor.key, op_id=op_id
        ).first()
        if recorded is None:
            raise
        return Applied(recorded.version, duplicate=True)


@transaction.atomic
def _apply(activity_id, actor, op_id, op, data):
    activity = (
        LiveActivity.objects.select_for_update(of=("self",))
        .select_related("join_code")
        .filter(pk=activity_id)
        .first()
    )
    if activity is None:
        raise LiveError("not_found", _("This activity no longer exists."))
    if not actor.still_admitted():
        raise LiveError("removed", _("You are no longer part of this project."))
    recorded = LiveOp.objects.filter(activity=activity, sender=actor.key, op_id=op_id).first()
    if recorded is not None:
        return Applied(recorded.version, duplicate=True)
    spec = find_op(activity, op)
    if not spec.allowed(actor, activity):
        raise LiveError("forbidden", _("Only the facilitator can do this."))
    if any(
        isinstance(value, list)
        and not isinstance(spec.form.base_fields.get(key), SeveralValuesField)
        for key, value in data.items()
    ):
        # Several values where the operation takes one (a text sent twice): nothing to guess.
        raise LiveError("invalid", _("The message could not be read. Reload the page."))
    form = spec.form(data)
    if not form.is_valid():
        raise LiveError("invalid", first_error(form))
    event = spec.handler(activity=activity, actor=actor, **form.cleaned_data)
    activity.version += 1
    activity.save()
    LiveOp.objects.create(
        activity=activity, sender=actor.key, op_id=op_id, op=op, version=activity.version
    )
    broadcast_after_commit(
        activity_group(activity.pk),
        event or {"kind": "noop"},
        version=activity.version,
    )
    return Applied(activity.version, duplicate=False)


@contextmanager
def changing_outside_operations(project_ids):
    """Wrap a change that no operation makes (a guest removed, an account erased) but that
    alters what the projects' live activities show: names go, notes and words may go.

    Their activities are locked first, in the order of their ids, so the change cannot
    interleave with an operation (which locks its one activity before it touches rows).
    Afterwards each moves one version on, and its sockets get `{"kind": "resync"}`, on
    which a client asks for a new snapshot. Prepared activities show nothing yet.
    """
    activities = list(
        LiveActivity.objects.select_for_update()
        .filter(project_id__in=project_ids)
        .exclude(state=LiveActivity.State.PREPARED)
        .order_by("pk")
        .values_list("pk", "version")
    )
    yield
    LiveActivity.objects.filter(pk__in=[pk for pk, _version in activities]).update(
        version=F("version") + 1
    )
    for pk, version in activities:
        broadcast_after_commit(activity_group(pk), {"kind": "resync"}, version=version + 1)


def event_for(actor, event):
    """The event as this actor may see it: facilitator-only events keep the version moving
    for everyone else but carry nothing."""
    if event.get("audience") == "facilitators" and not actor.can_facilitate:
        return {"kind": "noop"}
    return {key: value for key, value in event.items() if key not in {"audience", "scope"}}


class TokenBucket:
    """Allows `rate` operations per second on average with bursts of `burst`."""

    def __init__(self, *, rate, burst, clock=time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens = float(burst)
        self.checked = clock()

    def take(self):
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.checked) * self.rate)
        self.checked = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True
