"""Email reminders for advance assignments due soon; meant to run every hour."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.urls import reverse

from meetings import services


class Command(BaseCommand):
    help = (
        "Remind people who have not handed in an assignment due within the next hours "
        "(once per assignment)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            required=True,
            help="The site's address for links in the emails, e.g. https://jointlearn.example.org",
        )
        parser.add_argument(
            "--hours", type=int, default=48, help="How long before the due date (default 48)."
        )

    def handle(self, *args, base_url, hours, **options):
        base_url = base_url.rstrip("/")

        def build_url(assignment):
            meeting = assignment.meeting
            return base_url + reverse(
                "assignment_detail", args=[meeting.project.slug, meeting.pk, assignment.pk]
            )

        sent = services.send_due_reminders(build_url=build_url, within=timedelta(hours=hours))
        for assignment, count in sent.items():
            self.stdout.write(f"{assignment.meeting}: {assignment}: {count} reminder(s)")
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} assignment(s) due soon."))
