"""What erasing a member or purging a guest does to reflection rounds, polls and pairings.

Their place in a speaking order or a pair stays without a name. Answers in named rounds
stay unnamed, or go when the person asks, as do their poll votes. Answers of anonymous
rounds hold no link to anyone and are not touched. A purged guest's presence and poll
votes go with the guest record.
"""

from .models import Answer, Presence, Vote


def forget(*, user=None, guest=None, remove_contributions=False):
    whose = {"user": user} if user is not None else {"guest": guest}
    Presence.objects.filter(**whose).update(name="")
    answers = Answer.objects.filter(**whose)
    if remove_contributions:
        answers.delete()
        Vote.objects.filter(**whose).delete()
    else:
        answers.update(author_name="")
