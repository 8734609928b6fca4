"""Anonymous reflection rounds keep no link between an answer and its author.

The answer row has no person, no name and no time. What is left to cut is the live
protocol's own record: every applied operation is a LiveOp row with its sender ("user-12",
"guest-7"), its op id and its version, which would tell who sent the answer at that
version. For an answer of an anonymous round the row is stored with the sender
"anonymous" and a random op id instead; the answer's own token (a keyed hash of a random
value the phone made) recognises a resent answer. When an anonymous round ends, its
speaking order is deleted too: captured answers follow the order of speakers.
"""

import uuid

from django.db.models.signals import post_save, pre_save

from jointlearn.models import LiveActivity, LiveOp

from .models import Presence, ReflectionRound

ANONYMOUS_SENDER = "anonymous"
ANSWER_OPS = {"answer.post", "answer.capture"}


def is_anonymous_round(activity_id):
    return ReflectionRound.objects.filter(activity_id=activity_id, anonymous=True).exists()


def scrub_sender(sender, instance, **kwargs):
    if (
        instance.op in ANSWER_OPS
        and instance._state.adding
        and is_anonymous_round(instance.activity_id)
    ):
        instance.sender = ANONYMOUS_SENDER
        instance.op_id = uuid.uuid4().hex


def forget_speaking_order(sender, instance, **kwargs):
    if (
        instance.kind == LiveActivity.Kind.REFLECTION
        and instance.state == LiveActivity.State.ENDED
        and is_anonymous_round(instance.pk)
    ):
        ReflectionRound.objects.filter(activity_id=instance.pk).update(current_speaker=None)
        Presence.objects.filter(activity_id=instance.pk).delete()


def connect():
    pre_save.connect(scrub_sender, sender=LiveOp, dispatch_uid="reflections-anonymous-ops")
    post_save.connect(
        forget_speaking_order, sender=LiveActivity, dispatch_uid="reflections-anonymous-end"
    )
