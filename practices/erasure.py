"""What erasing a member or purging a guest does to practices, evaluations and ratings.

Practices, transfers and rounds they created stay in every case (they are their
organisation's and the project's), shown as by a former participant. Reviewer assignments
go. Evaluations, comments and pitch ratings stay unnamed, or go when the person asks.
"""

from django.db.models import Exists, OuterRef

from .models import Assignment, Comment, Evaluation, PitchRating, Practice
from .services import refresh_practice_rating


def forget(*, user=None, guest=None, remove_contributions=False):
    if user is None:
        # A guest's pitch ratings go with the guest record (on_delete=CASCADE).
        return
    Assignment.objects.filter(reviewer=user).delete()
    ratings = PitchRating.objects.filter(user=user)
    if not remove_contributions:
        ratings.update(rater_name="")
        return
    ratings.delete()
    evaluated = list(
        Practice.objects.filter(evaluations__evaluator=user).distinct().select_related("project")
    )
    Evaluation.objects.filter(evaluator=user).delete()
    for practice in evaluated:
        refresh_practice_rating(practice)
    comments = Comment.objects.filter(author=user)
    answered = comments.filter(
        Exists(Comment.objects.filter(parent=OuterRef("pk")).exclude(author=user))
    )
    # A question others have answered keeps its place in the thread, without its words.
    answered.update(body="")
    comments.exclude(pk__in=answered.values("pk")).delete()
