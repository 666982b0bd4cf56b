"""`python manage.py worker`: run background tasks, report as alive, and run the schedule.

Takes django-tasks-db's `db_worker` options (--queue-name, --interval, --batch, --max-tasks,
--worker-id, …); see docs/operations.md.
"""

from django_tasks_db.management.commands import db_worker

from committee.notifications.worker import PortalWorker


class Command(db_worker.Command):
    help = "Run the portal's background worker: mails, reminders, digests and PDFs."

    def handle(self, *args, **options):
        # db_worker builds its Worker by name from its own module.
        original = db_worker.Worker
        db_worker.Worker = PortalWorker
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original
