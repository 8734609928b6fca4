"""Who is connected to a café: the console shows who has dropped out. Sockets report their
opening and closing (jointlearn.live.consumers.socket_presence); a person going on- or
offline is told to the facilitators' sockets only, outside the versioned events.

A counter of open sockets would go wrong when a daphne process stops without closing its
sockets (a restart, a crash): their closings are never reported, so people who never come
back stay "online", and people who reconnect count twice. Instead each open socket is
recorded in the cache under the process that holds it, and each process keeps a lease in the
cache that a small thread renews. A socket counts while its process's lease is alive: after
a restart the old process's sockets stop counting once its lease runs out (LEASE_SECONDS),
and the sockets that reconnect count under the new process. With the local-memory cache of
one process (`make run`), a restart empties the cache, so it starts right at once.
"""

import logging
import threading
import uuid

from django.core.cache import cache
from django.db import transaction

from jointlearn.live.groups import facilitators_group

from .models import CafeParticipant

logger = logging.getLogger(__name__)

LEASE_SECONDS = 30
RENEW_SECONDS = 10
# The sockets of a person are kept this long after the last change: far longer than any
# café, short enough that nothing is left behind for ever.
SOCKETS_SECONDS = 2 * 24 * 3600

# This process: a new id each time it starts.
WORKER = uuid.uuid4().hex
_renewer = None
_renewer_lock = threading.Lock()


def lease_key(worker):
    return f"cafe-presence:worker:{worker}"


def sockets_key(participant_id):
    return f"cafe-presence:sockets:{participant_id}"


def _renew_forever(stop):
    while not stop.wait(RENEW_SECONDS):
        try:
            cache.set(lease_key(WORKER), 1, LEASE_SECONDS)
        except Exception:
            # A cache that is away for a moment: the next renewal tries again.
            logger.exception("Could not renew the café presence lease")


def keep_lease():
    """Hold this process's lease: set it now, and start the thread that renews it (once)."""
    global _renewer
    cache.set(lease_key(WORKER), 1, LEASE_SECONDS)
    with _renewer_lock:
        if _renewer is None or not _renewer.is_alive():
            _renewer = threading.Thread(
                target=_renew_forever,
                args=(threading.Event(),),
                name="cafe-presence-lease",
                daemon=True,
            )
            _renewer.start()


def living(entries):
    """The entries ({socket: process}) whose process still holds its lease."""
    workers = set(entries.values())
    if not workers:
        return {}
    alive = cache.get_many([lease_key(worker) for worker in workers])
    return {socket: worker for socket, worker in entries.items() if lease_key(worker) in alive}


def online_ids(participant_ids):
    """The ids among these participants with at least one socket open on a living process."""
    participant_ids = list(participant_ids)
    if not participant_ids:
        return set()
    found = cache.get_many([sockets_key(pk) for pk in participant_ids])
    workers = {worker for entries in found.values() for worker in entries.values()}
    if not workers:
        return set()
    alive = cache.get_many([lease_key(worker) for worker in workers])
    return {
        pk
        for pk in participant_ids
        if any(lease_key(w) in alive for w in found.get(sockets_key(pk), {}).values())
    }


def record_socket(*, activity_id, actor, socket, connected):
    """A socket of this person opened or closed; returns (participant id, online) when the
    person went on- or offline, else None."""
    people = CafeParticipant.objects.filter(cafe__activity_id=activity_id)
    if actor.membership is not None:
        people = people.filter(user_id=actor.membership.user_id)
    else:
        people = people.filter(guest_id=actor.guest.pk)
    if connected:
        keep_lease()
    with transaction.atomic():
        # The row lock makes the changes of one person's sockets one at a time, across
        # processes, so two sockets opening together do not lose one of them.
        participant = people.select_for_update().first()
        if participant is None:
            return None
        key = sockets_key(participant.pk)
        before = living(cache.get(key) or {})
        after = dict(before)
        if connected:
            after[socket] = WORKER
        else:
            after.pop(socket, None)
        cache.set(key, after, SOCKETS_SECONDS)
    if bool(before) != bool(after):
        return participant.pk, bool(after)
    return None


def socket_changed(sender, *, activity_id, actor, connected, socket=None, **kwargs):
    changed = record_socket(
        activity_id=activity_id, actor=actor, socket=socket or "", connected=connected
    )
    if changed is None:
        return None
    participant_id, online = changed
    return {
        "group": facilitators_group(activity_id),
        "message": {"type": "live.presence", "participant": participant_id, "online": online},
    }
