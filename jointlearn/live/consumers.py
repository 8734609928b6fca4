"""The sockets: the project socket (pages learn that members or organisations changed) and
the live activity socket, the transport of the live protocol (jointlearn.live.protocol)."""

import asyncio
import contextlib
import functools
import json
import logging
from concurrent.futures import ThreadPoolExecutor

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from channels.utils import await_many_dispatch
from django.conf import settings
from django.db import close_old_connections
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from ..models import LiveActivity, Project
from ..permissions import can_guest_use_activity, get_guest, get_membership
from . import protocol, relay
from .groups import facilitators_group, person_group, project_group

logger = logging.getLogger(__name__)
# The close code when a member or guest is removed: clients stop reconnecting.
REMOVED = 4403

# Sent on the database thread when a live activity's socket opens or closes, with
# activity_id, actor, connected (True or False) and socket (its channel name): a kind that
# follows who is here (the café's console shows who has dropped out) connects a receiver.
# A receiver may return {"group": ..., "message": ...}, which the consumer then sends to
# that channel-layer group.
socket_presence = Signal()


# Reads (admissions, snapshots, version checks) have a database thread of their own in each
# worker. Operations keep to channels' one database thread, so a worker writes one at a time;
# on that thread they waited behind the 150 snapshots a worker's phones ask for after a
# café's rotation (the soak on PostgreSQL: up to 2 s). One thread, not a pool: threads of
# Python code share one interpreter lock, and six snapshot threads slowed the event loop.
READS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-reads")


def read_database(function):
    """`function`, which only reads, made awaitable on the reads' thread.

    It closes its database connection itself (when CONN_MAX_AGE says so): the connection
    belongs to the context the function ran in, which channels' own clean-up around the
    call does not see (a PostgreSQL test database then could not be dropped)."""

    @functools.wraps(function)
    def read(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        finally:
            close_old_connections()

    return database_sync_to_async(read, thread_sensitive=False, executor=READS)


@read_database
def project_for(scope, slug):
    """(project, Actor) if the socket's user is a member or a guest of it; None otherwise."""
    project = Project.objects.filter(slug=slug).first()
    if project is None:
        return None
    membership = get_membership(scope["user"], project)
    if membership is not None:
        return project, protocol.Actor(membership=membership)
    session = scope.get("session")
    guest = get_guest(session, project) if session is not None else None
    if guest is not None:
        return project, protocol.Actor(guest=guest)
    return None


class ProjectConsumer(AsyncJsonWebsocketConsumer):
    groups_joined = ()

    async def connect(self):
        slug = self.scope["url_route"]["kwargs"]["project_slug"]
        found = await project_for(self.scope, slug)
        if found is None:
            # Refused in the handshake, like a 404: nothing tells whether the project exists.
            await self.close()
            return
        project, actor = found
        self.groups_joined = (project_group(project.pk), person_group(project.pk, actor.key))
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "server_time": timezone.now().isoformat()})

    async def disconnect(self, code):
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def live_disconnect(self, message):
        await self.close(code=REMOVED)

    async def receive_json(self, content, **kwargs):
        await self.send_json(
            {
                "type": "error",
                "id": content.get("id") if isinstance(content, dict) else None,
                "code": "read_only",
                "message": _("This connection only sends project updates."),
            }
        )

    async def live_event(self, message):
        await self.send_json({"type": "event", "event": message["event"]})


@read_database
def admit(scope, slug, activity_id):
    """(activity id, Actor) when the socket's user may use the activity, else None.

    Members of the project may, and guests who entered the activity's code (or a project
    code). Everyone else is refused alike, whether or not the activity exists.
    """
    activity = (
        LiveActivity.objects.select_related("project")
        .filter(pk=activity_id, project__slug=slug)
        .first()
    )
    if activity is None:
        return None
    membership = get_membership(scope["user"], activity.project)
    if membership is not None:
        return protocol.Actor(membership=membership)
    session = scope.get("session")
    guest = get_guest(session, activity.project) if session is not None else None
    if guest is not None and can_guest_use_activity(guest, activity):
        return protocol.Actor(guest=guest)
    return None


def language_of(scope, actor):
    """The language of error messages: as the pages choose it (account, cookie, browser)."""
    user = actor.user
    if user is not None and user.preferred_language:
        return user.preferred_language
    cookie = scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME)
    if cookie and translation.check_for_language(cookie):
        return cookie
    headers = dict(scope.get("headers", []))
    accepted = headers.get(b"accept-language", b"").decode("latin-1")
    for code, _quality in parse_accept_lang_header(accepted):
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class ActivityConsumer(AsyncJsonWebsocketConsumer):
    """One socket per open page of a live activity; thin: parse, call the protocol, reply."""

    activity_id = None
    actor = None
    # The worker's relay of the activity's events (jointlearn.live.relay), the events it
    # handed this socket, the event scopes the socket follows (None: all), whether it is
    # reading a snapshot (the relay then hands it every event), and the last version the
    # client was told about.
    relay = None
    inbox = None
    scopes = None
    reading = True
    sent = None

    async def __call__(self, scope, receive, send):
        """channels' consumer loop, with a third source beside the client and the socket's
        own channel (its person's and the facilitators' groups): the relay's inbox."""
        self.scope = scope
        self.inbox = asyncio.Queue()
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.channel_name = await self.channel_layer.new_channel()
        self.channel_receive = functools.partial(self.channel_layer.receive, self.channel_name)
        self.base_send = send
        with contextlib.suppress(StopConsumer):
            await await_many_dispatch(
                [receive, self.channel_receive, self.inbox.get], self.dispatch
            )

    async def connect(self):
        kwargs = self.scope["url_route"]["kwargs"]
        self.actor = await admit(self.scope, kwargs["project_slug"], kwargs["activity_id"])
        if self.actor is None:
            # Refused in the handshake, like a 404: nothing tells whether it exists.
            await self.close()
            return
        self.activity_id = kwargs["activity_id"]
        self.language = language_of(self.scope, self.actor)
        self.bucket = protocol.TokenBucket(
            rate=settings.LIVE_OPS_PER_SECOND, burst=settings.LIVE_OPS_BURST
        )
        self.person_group = person_group(self.actor.project_id, self.actor.key)
        self.relay = await relay.join(self.channel_layer, self.activity_id, self)
        await self.channel_layer.group_add(self.person_group, self.channel_name)
        if self.actor.can_facilitate:
            await self.channel_layer.group_add(
                facilitators_group(self.activity_id), self.channel_name
            )
        await self.accept()
        with translation.override(self.language):
            await self.send_snapshot()
        await self.report_presence(connected=True)

    async def close(self, code=None, reason=None):
        """A socket the server closes (a removed member, a lost relay) takes no more events
        at once, rather than when its client answers the close."""
        if self.relay is not None:
            self.relay.leave(self)
        await super().close(code=code, reason=reason)

    async def disconnect(self, code):
        if self.relay is not None:
            self.relay.leave(self)
        if self.activity_id is not None:
            await self.channel_layer.group_discard(self.person_group, self.channel_name)
            if self.actor.can_facilitate:
                await self.channel_layer.group_discard(
                    facilitators_group(self.activity_id), self.channel_name
                )
            await self.report_presence(connected=False)

    async def live_disconnect(self, message):
        """The member or guest was removed from the project: say so and close."""
        with translation.override(self.language):
            await self.send_error(None, "removed", _("You are no longer part of this project."))
        await self.close(code=REMOVED)

    async def report_presence(self, *, connected):
        if not socket_presence.has_listeners():
            return
        responses = await database_sync_to_async(socket_presence.send)(
            sender=type(self),
            activity_id=self.activity_id,
            actor=self.actor,
            connected=connected,
            socket=self.channel_name,
        )
        for _receiver, response in responses:
            if response:
                await self.channel_layer.group_send(response["group"], response["message"])

    async def dispatch(self, message):
        # Channels closes stale database connections before every message: a hop to the
        # database thread, where each message then waited behind the worker's operations (a
        # snapshot asked for behind every note being written). Every handler here that
        # touches the database goes through database_sync_to_async, which closes stale
        # connections on the thread it runs on; so no message takes the hop.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        with translation.override(self.language):
            await self.handle(text_data, bytes_data)

    async def handle(self, text_data, bytes_data):
        if text_data is None:
            await self.send_error(None, "invalid", _("Send text messages only."))
            return
        if len(text_data.encode()) > protocol.MAX_MESSAGE_BYTES:
            await self.send_error(None, "too_large", _("This message is too long to send."))
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            await self.send_error(
                None, "bad_json", _("The message could not be read. Reload the page.")
            )
            return
        if not isinstance(message, dict) or not isinstance(message.get("op"), str):
            await self.send_error(
                None, "invalid", _("The message could not be read. Reload the page.")
            )
            return
        op_id = message.get("id") if isinstance(message.get("id"), str) else None
        if message["op"] == "sync":
            await self.send_snapshot()
            return
        if message["op"] == "ping":
            await self.send_json({"type": "pong", "server_time": timezone.now().isoformat()})
            # An event the channel layer dropped at the end of a burst leaves no gap until
            # the next one; a page that pings while quiet gets a snapshot instead.
            current = await read_database(protocol.current_version)(self.activity_id)
            if current is not None and self.missed(current):
                await self.send_snapshot()
            return
        if not self.bucket.take():
            await self.send_error(
                op_id, "rate_limited", _("You are sending very fast. Wait a moment and try again.")
            )
            return
        try:
            applied = await database_sync_to_async(protocol.apply_op)(
                activity_id=self.activity_id,
                actor=self.actor,
                op_id=message.get("id"),
                op=message["op"],
                data=message.get("data"),
            )
        except protocol.LiveError as error:
            await self.send_error(op_id, error.code, error.message)
            return
        except Exception:
            logger.exception("Live operation %r failed", message.get("op"))
            await self.send_error(
                op_id,
                "server_error",
                _("Something went wrong on our side. We will try again in a moment."),
            )
            return
        reply = {"type": "ack", "id": op_id, "version": applied.version}
        if applied.duplicate:
            reply["duplicate"] = True
        await self.send_json(reply)

    async def send_snapshot(self):
        # While the snapshot is read the relay hands this socket every event: which of them
        # it shows depends on the version read and the scopes followed from then on.
        self.reading = True
        try:
            snapshot, scopes = await read_database(protocol.load_snapshot_and_scopes)(
                self.activity_id, self.actor
            )
        except LiveActivity.DoesNotExist:
            await self.close()
            return
        # What the client now holds: events up to this version are in the snapshot.
        self.sent, self.scopes, self.reading = snapshot["version"], scopes, False
        self.relay.seen(self.sent)
        await self.send_json(snapshot)

    async def send_error(self, op_id, code, message):
        await self.send_json({"type": "error", "id": op_id, "code": code, "message": message})

    async def live_presence(self, message):
        """Unversioned, to facilitators only: a participant went on- or offline."""
        await self.send_json(
            {"type": "presence", "participant": message["participant"], "online": message["online"]}
        )

    def wants(self, event):
        """Whether the relay hands this socket the event."""
        return self.reading or protocol.follows(self.scopes, event)

    def missed(self, current):
        """Whether the client may lack something of `current`, the database's version: the
        worker has not had every event up to it, or lost one after the client's snapshot."""
        received = self.relay.received
        return received is None or current > received or self.relay.lost > self.sent

    async def live_event(self, message):
        """An event the relay handed on, in order: forwarded with the version it comes after
        ("after"), or without it when the worker lost an event the client may need, so the
        client's gap check makes it resync."""
        version = message["version"]
        if self.sent is None or version <= self.sent:
            return  # in the snapshot already
        event = message["event"]
        lost = self.relay.lost > self.sent
        if not lost and not protocol.follows(self.scopes, event):
            return
        frame = {
            "type": "event",
            "version": version,
            "server_time": timezone.now().isoformat(),
            "event": protocol.event_for(self.actor, event),
        }
        if not lost:
            frame["after"] = self.sent
        self.sent = version
        await self.send_json(frame)

    async def live_relay_lost(self, message):
        """The worker's relay lost the channel layer: the client reconnects and resyncs."""
        await self.close()
