"""What erasing a member or purging a guest does to learning cafés.

Their seat at a café stays (the rotation plan and the notes refer to it) without a name,
marked as having left; they no longer host a table. Notes and host summaries stay unnamed,
or go with their dot votes when the person asks. A purged guest's seat goes with the guest
record, and with it their dot votes; the notes' vote counts are recounted.
"""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import CafeParticipant, CafeTable, Note, TableSummary, Vote


def recount_votes(note_ids):
    counts = (
        Vote.objects.filter(note=OuterRef("pk")).values("note").annotate(n=Count("pk")).values("n")
    )
    Note.objects.filter(pk__in=note_ids).update(votes=Coalesce(Subquery(counts), 0))


def forget(*, user=None, guest=None, remove_contributions=False):
    seats = (
        CafeParticipant.objects.filter(user=user)
        if user
        else CafeParticipant.objects.filter(guest=guest)
    )
    seats = list(seats)
    names = {seat.name for seat in seats} | ({str(user)} if user else set())
    cafes = {seat.cafe_id for seat in seats}
    if user is not None:
        hosted = CafeTable.objects.filter(host=user)
        cafes |= set(hosted.values_list("cafe_id", flat=True))
        hosted.update(host=None)
    # Versions saved since summaries record their author, and older ones by the name written.
    summaries = TableSummary.objects.filter(table__cafe__in=cafes, written_by__in=names)
    if user is not None:
        summaries = summaries | TableSummary.objects.filter(author=user)
    notes = Note.objects.filter(author__in=seats)
    if remove_contributions:
        summaries.delete()
        notes.delete()
    else:
        summaries.update(written_by="")
        notes.update(author_name="")
    if remove_contributions or guest is not None:
        voted = list(Vote.objects.filter(voter__in=seats).values_list("note_id", flat=True))
        Vote.objects.filter(voter__in=seats).delete()
        recount_votes(voted)
    seats = CafeParticipant.objects.filter(pk__in=[seat.pk for seat in seats])
    seats.update(name="")
    # Someone erased during a café has left it: the next rotation does not seat them.
    seats.filter(left_at=None).update(left_at=timezone.now())
