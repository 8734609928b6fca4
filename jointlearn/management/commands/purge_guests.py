"""Delete the guests whose project's retention time has passed since they were last active
(jointlearn.erasure.purge_guests); meant to run daily from a timer (docs/deploy.md)."""

from django.core.management.base import BaseCommand

from jointlearn.erasure import purge_guests


class Command(BaseCommand):
    help = "Delete guests kept longer than their project's retention time; what they wrote stays."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count the guests that would be deleted."
        )

    def handle(self, *args, dry_run=False, **options):
        count = purge_guests(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{count} expired guest(s) would be deleted (dry run).")
        else:
            self.stdout.write(f"{count} expired guest(s) deleted.")
