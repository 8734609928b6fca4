"""Who is connected to a café: the console shows who has dropped out. Sockets report their
opening and closing (jointlearn.live.consumers.socket_presence); a person going on- or
offline is told to the facilitators' sockets only, outside the versioned events."""

from jointlearn.live.groups import facilitators_group

from . import services


def socket_changed(sender, *, activity_id, actor, connected, **kwargs):
    changed = services.socket_changed(activity_id=activity_id, actor=actor, connected=connected)
    if changed is None:
        return None
    participant_id, online = changed
    return {
        "group": facilitators_group(activity_id),
        "message": {"type": "live.presence", "participant": participant_id, "online": online},
    }
