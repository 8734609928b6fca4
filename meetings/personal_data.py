"""What meetings keep about a member: registrations (with the needs they gave), assignment
hand-ins and tasks given to them."""

from django.db.models import Q

from jointlearn.personal_data import when

from .models import Registration, Submission, Task


def export(user):
    return {
        "registrations": [
            {
                "meeting": registration.meeting.title,
                "project": registration.meeting.project.name,
                "status": registration.status,
                "dietary_needs": registration.dietary_needs,
                "accessibility_needs": registration.accessibility_needs,
                "registered": when(registration.registered_at),
                "checked_in": when(registration.checked_in_at),
            }
            for registration in Registration.objects.filter(user=user).select_related(
                "meeting__project"
            )
        ],
        "submissions": [
            {
                "assignment": submission.assignment.title,
                "meeting": submission.assignment.meeting.title,
                "text": submission.text,
                "file_name": submission.file_name,
                "handed_in": when(submission.submitted_at),
                "late": submission.is_late,
            }
            for submission in Submission.objects.filter(
                Q(user=user) | Q(submitted_by=user)
            ).select_related("assignment__meeting")
        ],
        "tasks": [
            {
                "title": task.title,
                "project": task.project.name,
                "due": task.due_on.isoformat() if task.due_on else None,
                "done": when(task.done_at),
            }
            for task in Task.objects.filter(assignee_user=user).select_related("project")
        ],
    }
