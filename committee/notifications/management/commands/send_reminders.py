"""`python manage.py send_reminders`: run the reminder job once, now, as the daily schedule
would. Safe to run at any time: a reminder already sent is not sent again."""

import datetime

from django.core.management.base import BaseCommand

from committee.notifications import reminders


class Command(BaseCommand):
    help = "Decide and queue today's pledge reminders (each goes once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="Run as if today were this date (YYYY-MM-DD), e.g. to try the reminders out.",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue the job for the worker instead of running it in this process.",
        )

    def handle(self, *args, today=None, queue=False, **options):
        if queue:
            from committee.notifications.tasks import send_reminders

            result = send_reminders.enqueue(today.isoformat() if today else None)
            self.stdout.write(f"Queued the reminder job ({result.id}).")
            return
        decided = reminders.run(today=today)
        self.stdout.write(f"{decided} reminder(s) decided; their mails are queued for the worker.")
