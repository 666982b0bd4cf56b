"""The worker process around django-tasks-db's: besides running tasks, it reports that it is
alive, takes back the tasks of a worker that died, and queues the scheduled jobs.

Several workers on several machines share the queue: django-tasks-db claims each task under
a row lock (SKIP LOCKED), a scheduled job is claimed once per period by a unique row, and a
task is taken back only from a worker that has not reported for WORKER_STALE_AFTER.
"""

import datetime
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker as TaskWorker
from django_tasks_db.models import DBTaskResult, TaskResultStatus

from committee.core.clock import database_now
from committee.notifications.models import Mail, ScheduledRun, Worker

logger = logging.getLogger(__name__)
# A worker gone this long is no longer listed in the admin.
FORGET_AFTER = datetime.timedelta(days=1)


def beat_seconds() -> float:
    """How often a worker reports, takes back stale tasks and looks at the schedule: often
    enough that it is never taken for stopped while it lives."""
    return min(15.0, settings.WORKER_STALE_AFTER.total_seconds() / 8)


def _reminders_due(now: datetime.datetime) -> bool:
    hour, minute = (int(part) for part in settings.REMINDERS_AT.split(":"))
    return (now.hour, now.minute) >= (hour, minute)


def scheduled_jobs(now: datetime.datetime) -> list[tuple[str, str]]:
    """The jobs due at `now` (UTC), each with the period it runs for: the reminders once a
    day from REMINDERS_AT, the digest once a week from REMINDERS_AT on DIGEST_WEEKDAY. A
    worker started later in the day still runs that day's jobs."""
    jobs = []
    if _reminders_due(now):
        jobs.append(("send_reminders", now.date().isoformat()))
        if now.weekday() == settings.DIGEST_WEEKDAY:
            year, week, _day = now.date().isocalendar()
            jobs.append(("send_digests", f"{year}-W{week:02d}"))
    return jobs


def queue_scheduled(now: datetime.datetime | None = None) -> list[str]:
    """Queue each job due now that no worker has queued for its period; returns their names."""
    from committee.notifications import tasks

    now = now or timezone.now().astimezone(datetime.UTC)
    queued = []
    for job, period in scheduled_jobs(now):
        # Looked up first: a claim refused by the unique index is an error in PostgreSQL's
        # log, and every worker would make one every beat of the day.
        if ScheduledRun.objects.filter(job=job, period=period).exists():
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=job, period=period)
                getattr(tasks, job).enqueue(now.date().isoformat())
        except IntegrityError:
            continue  # another worker queued it
        queued.append(job)
    return queued


def take_back_stale_tasks(now: datetime.datetime | None = None) -> int:
    """Put back in the queue the tasks running on workers that stopped reporting (killed,
    or their machine lost): the tasks are written to be run again safely."""
    now = now or database_now()
    alive = set(
        Worker.objects.filter(seen_at__gte=now - settings.WORKER_STALE_AFTER).values_list(
            "worker_id", flat=True
        )
    )
    taken = 0
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING,
            started_at__lt=now - settings.WORKER_STALE_AFTER,
        )
        for result in running:
            if result.worker_ids and result.worker_ids[-1] in alive:
                continue
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            logger.warning(
                "task %s (%s) taken back from stopped worker %s",
                result.pk,
                result.task_path,
                result.worker_ids[-1] if result.worker_ids else "?",
            )
            taken += 1
    return taken


def requeue_orphaned_mails(now: datetime.datetime | None = None) -> int:
    """Queue again the delivery of mails left queued with no task to send them: a worker
    stopped by force while it spoke to the SMTP server (its transaction rolled back, its task
    was marked failed). A second copy of a delivery is harmless: it sends only a queued mail."""
    from committee.notifications import tasks

    now = now or database_now()
    path = tasks.deliver.module_path
    pending = DBTaskResult.objects.filter(
        task_path=path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).values_list("args_kwargs__args__0", flat=True)
    orphans = Mail.objects.filter(
        status=Mail.Status.QUEUED, created_at__lt=now - settings.WORKER_STALE_AFTER
    ).exclude(pk__in=[pk for pk in pending if pk is not None])
    requeued = 0
    for pk in orphans.values_list("pk", flat=True):
        tasks.deliver.enqueue(pk)
        logger.warning("mail %s had no delivery queued: queued again", pk)
        requeued += 1
    return requeued


class PortalWorker(TaskWorker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def beat(self) -> None:
        now = database_now()
        Worker.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "seen_at": now,
            },
        )
        take_back_stale_tasks(now)
        requeue_orphaned_mails(now)
        # A killed worker never signs off: its row goes once nobody could still care.
        Worker.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()
        for job in queue_scheduled():
            logger.info("queued the scheduled job %s", job)

    def _beat_forever(self) -> None:
        while not self.stopped.is_set():
            try:
                self.beat()
            except Exception:
                # A database outage must not end the beat: the next one tries again.
                logger.exception("worker %s could not report", self.worker_id)
            finally:
                connection.close()
            self.stopped.wait(beat_seconds())

    def run(self) -> None:
        beat = threading.Thread(target=self._beat_forever, name="worker-beat", daemon=True)
        # The first beat inside the try too: a stop (django-tasks-db's SIGTERM handler raises
        # SystemExit at whatever line the main thread is on) may come as soon as that beat
        # has written this worker's row, and the row must still go.
        try:
            self.beat()
            beat.start()
            super().run()
        finally:
            self.stopped.set()
            if beat.is_alive():
                beat.join(timeout=30)  # a beat under way would write the row back
            # Tell the others this worker is gone; a killed one simply stops reporting. On a
            # connection of its own: the one kept from the last task may have been cut by the
            # stop (CONN_MAX_AGE keeps it between tasks).
            connection.close()
            try:
                Worker.objects.filter(worker_id=self.worker_id).delete()
            except Exception:
                logger.warning("worker %s could not sign off", self.worker_id, exc_info=True)
