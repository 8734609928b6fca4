"""What erasing a member does to meetings: registrations, hand-ins, tasks.

Registrations for meetings that have not ended go (the waiting list moves up); those of
past meetings stay for the attendance figures, without dietary or accessibility needs.
A personal hand-in stays unnamed, or goes with its file when the person asks; what they
handed in for their organisation, materials they added and tasks stay in every case.
"""

from django.db import transaction

from .models import Meeting, Registration, Submission
from .services import _changed, _fill_places_from_waiting_list


def forget(*, user=None, guest=None, remove_contributions=False):
    if user is None:
        return  # guests neither register nor hand in
    registrations = Registration.objects.filter(user=user).select_related("meeting")
    for registration in registrations:
        meeting = registration.meeting
        if meeting.is_over:
            registration.dietary_needs = registration.accessibility_needs = ""
            registration.save(update_fields=["dietary_needs", "accessibility_needs"])
            continue
        had_place = registration.status == Registration.Status.CONFIRMED
        registration.delete()
        if had_place:
            _fill_places_from_waiting_list(Meeting.objects.select_for_update().get(pk=meeting.pk))
        _changed(meeting)
    if remove_contributions:
        for submission in Submission.objects.filter(user=user):
            if submission.file:
                name, storage = submission.file.name, submission.file.storage
                transaction.on_commit(lambda n=name, s=storage: s.delete(n))
            submission.delete()
