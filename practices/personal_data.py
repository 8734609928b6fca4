"""What the practice library keeps about a member: practices they wrote, their evaluations,
comments and transfer records."""

from jointlearn.personal_data import when

from .models import Comment, Evaluation, Practice, Transfer


def export(user):
    return {
        "practices_written": [
            {
                "title": practice.title,
                "project": practice.project.name,
                "status": practice.status,
                "created": when(practice.created_at),
            }
            for practice in Practice.objects.filter(created_by=user).select_related("project")
        ],
        "evaluations": [
            {
                "practice": evaluation.practice.title,
                "scores": {score.criterion.name: score.value for score in evaluation.scores.all()},
                "strengths": evaluation.strengths,
                "suggestions": evaluation.suggestions,
                "transferability": evaluation.transferability,
                "what_would_need_to_change": evaluation.transfer_changes,
                "updated": when(evaluation.updated_at),
            }
            for evaluation in Evaluation.objects.filter(evaluator=user)
            .select_related("practice")
            .prefetch_related("scores__criterion")
        ],
        "comments": [
            {
                "practice": comment.practice.title,
                "text": comment.body,
                "written": when(comment.created_at),
            }
            for comment in Comment.objects.filter(author=user).select_related("practice")
        ],
        "transfers_recorded": [
            {
                "practice": transfer.practice.title,
                "adapted": transfer.adapted,
                "applied_on": transfer.applied_on.isoformat(),
                "outcome": transfer.outcome,
            }
            for transfer in Transfer.objects.filter(created_by=user).select_related("practice")
        ],
    }
