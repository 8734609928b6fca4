"""The core's part of the demo: an open check-in word wall with a fixed, documented code."""

from .live import protocol
from .live.wordwall import create_word_wall
from .models import Guest, JoinCode, LiveActivity, Membership, Role

WORD_WALL_CODE = "WARMUP"
DEMO_WORDS = [
    ("Mehmet", "curious"),
    ("Sanna", "curious"),
    ("Pieter", "jet-lagged"),
    ("Sanna", "hopeful"),
    ("Ayaan", "curious"),
    ("Ayaan", "ready to learn"),
    ("Elin", "hopeful"),
]


def seed(project, stdout):
    if LiveActivity.objects.filter(join_code__code=WORD_WALL_CODE).exists():
        return
    host = (
        Membership.objects.filter(project=project, role__in=[Role.FACILITATOR, Role.COORDINATOR])
        .select_related("user")
        .order_by("role")
        .first()
    )
    wall = create_word_wall(
        project=project,
        created_by=host.user if host else None,
        question="One word: how do you arrive in Tampere today?",
        title="Check-in, Tampere seminar day 1",
    )
    JoinCode.objects.filter(pk=wall.join_code_id).update(code=WORD_WALL_CODE)
    wall.join_code.refresh_from_db()
    guests = {}
    for number, (name, word) in enumerate(DEMO_WORDS):
        guest = guests.get(name)
        if guest is None:
            guest = guests[name] = Guest.objects.create(
                project=project, join_code=wall.join_code, display_name=name
            )
            guest.admitted_with.add(wall.join_code)
        protocol.apply_op(
            activity_id=wall.pk,
            actor=protocol.Actor(guest=guest),
            op_id=f"demo-{number}",
            op="word.post",
            data={"text": word},
        )
    stdout.write(f"Demo word wall open: join with the code {WORD_WALL_CODE}.")
