"""The worker: its schedule, taking back the tasks of a dead worker, the health check, and
real worker processes — two at once, and one killed half way — against a real SMTP server."""

import datetime
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, TaskResultStatus

from committee.agreements.models import Pledge
from committee.members.models import Member
from committee.notifications import tasks, worker
from committee.notifications.models import Mail, Reminder, ScheduledRun, Worker
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
UTC = datetime.UTC


def at(hour: int, minute: int = 0, day: int = 30) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=UTC)  # 30 Nov 2026: a Monday


# The schedule ------------------------------------------------------------------------------


def test_nothing_is_due_before_the_reminder_hour(settings):
    settings.REMINDERS_AT = "02:00"
    assert worker.scheduled_jobs(at(1, 59)) == []


def test_reminders_daily_and_the_digest_on_its_weekday(settings):
    settings.REMINDERS_AT = "02:00"
    settings.DIGEST_WEEKDAY = 0
    assert worker.scheduled_jobs(at(2, 0)) == [
        ("send_reminders", "2026-11-30"),
        ("send_digests", "2026-W49"),
    ]
    # A worker started late on a Tuesday still runs that day's reminders, and no digest.
    assert worker.scheduled_jobs(datetime.datetime(2026, 12, 1, 17, 30, tzinfo=UTC)) == [
        ("send_reminders", "2026-12-01")
    ]


@pytest.mark.django_db
def test_a_scheduled_job_is_queued_once_per_period_whoever_asks(settings):
    settings.REMINDERS_AT = "02:00"
    settings.DIGEST_WEEKDAY = 6
    assert worker.queue_scheduled(at(3)) == ["send_reminders"]
    assert worker.queue_scheduled(at(9)) == []
    assert ScheduledRun.objects.count() == 1
    queued = DBTaskResult.objects.filter(task_path="committee.notifications.tasks.send_reminders")
    assert queued.count() == 1
    assert queued.get().args_kwargs["args"] == ["2026-11-30"]


# Taking back the tasks of a stopped worker -------------------------------------------------


def _running(worker_id: str, started: datetime.datetime) -> DBTaskResult:
    result = tasks.send_reminders.enqueue().db_result
    result.status = TaskResultStatus.RUNNING
    result.started_at = started
    result.worker_ids = [worker_id]
    result.save()
    return result


def _worker(worker_id: str, seen: datetime.datetime) -> Worker:
    return Worker.objects.create(
        worker_id=worker_id, host="host", pid=1, started_at=seen, seen_at=seen
    )


@pytest.mark.django_db
def test_the_tasks_of_a_worker_that_stopped_reporting_are_queued_again(settings):
    settings.WORKER_STALE_AFTER = datetime.timedelta(minutes=2)
    now = timezone.now()
    _worker("alive", now - datetime.timedelta(seconds=10))
    _worker("dead", now - datetime.timedelta(minutes=5))
    busy = _running("alive", now - datetime.timedelta(minutes=10))
    orphan = _running("dead", now - datetime.timedelta(minutes=10))
    just_claimed = _running("dead", now - datetime.timedelta(seconds=30))

    assert worker.take_back_stale_tasks(now) == 1

    for result in (busy, orphan, just_claimed):
        result.refresh_from_db()
    assert orphan.status == TaskResultStatus.READY
    assert orphan.started_at is None
    # A long task on a live worker, and a task claimed moments ago, are left alone.
    assert busy.status == TaskResultStatus.RUNNING
    assert just_claimed.status == TaskResultStatus.RUNNING


# The health check --------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_is_503_without_a_worker(client):
    response = client.get("/healthz/worker")
    assert response.status_code == 503
    assert b"no worker has reported" in response.content


@pytest.mark.django_db
def test_health_is_200_while_a_worker_reports_and_the_queue_moves(client):
    _worker("alive", timezone.now())
    tasks.send_reminders.enqueue()
    response = client.get("/healthz/worker")
    assert response.status_code == 200, response.content
    assert b"workers reporting: 1" in response.content


@pytest.mark.django_db
def test_health_is_503_when_a_task_waits_too_long(client, settings):
    settings.WORKER_STALE_AFTER = datetime.timedelta(minutes=2)
    _worker("alive", timezone.now())
    waiting = tasks.send_reminders.enqueue().db_result
    # A burst may keep a task waiting a while (five times WORKER_STALE_AFTER), not longer.
    DBTaskResult.objects.filter(pk=waiting.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=9)
    )
    assert client.get("/healthz/worker").status_code == 200
    DBTaskResult.objects.filter(pk=waiting.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    response = client.get("/healthz/worker")
    assert response.status_code == 503
    assert b"waiting longer than they should" in response.content


# Real worker processes ---------------------------------------------------------------------


def _environment(mail_server, **extra) -> dict[str, str]:
    database = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "REMINDERS_AT": "00:00",
        **mail_server.environment,
        **extra,
    }


def _start_worker(environment, *arguments) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--no-startup-delay", "--interval=0.2", *arguments],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _due_tomorrow(world, count: int) -> None:
    """`count` pledges of the Afghan side due tomorrow, with the Afghan focal point."""
    world.azizi.email = "azizi@example.org"
    world.azizi.language = "fa"
    world.azizi.save()
    focal = Member.objects.get(user=world.azizi)
    Pledge.objects.all().delete()
    factories.PledgeFactory.create_batch(
        count,
        agreement=world.agreement,
        sector=world.sector,
        responsible_party=world.af,
        focal_point=focal,
        due_on=timezone.localdate() + datetime.timedelta(days=1),
    )


def _assert_each_reminder_once(mail_server, count: int) -> None:
    assert Reminder.objects.count() == count
    assert set(Reminder.objects.values_list("milestone", flat=True)) == {"due_1"}
    # On a Monday (in the committee's time zone) the schedule sends the weekly digests too.
    mails = Mail.objects.filter(kind=Mail.Kind.REMINDER)
    assert mails.count() == count
    assert set(mails.values_list("status", flat=True)) == {Mail.Status.SENT}
    subjects = set(mails.values_list("subject", flat=True))
    received = Counter(
        message["Subject"]
        for message in mail_server.inbox.messages
        if message["Subject"] in subjects
    )
    assert len(received) == count
    assert set(received.values()) == {1}, "a reminder arrived twice"


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(world, mail_server):
    _due_tomorrow(world, 40)
    environment = _environment(mail_server)
    # Both workers find the day's reminder job due and race to queue it; a second copy of
    # the job is queued by hand as well, so that two copies really run side by side.
    tasks.send_reminders.enqueue()
    workers = [_start_worker(environment, "--batch") for _ in range(2)]
    outputs = [process.communicate(timeout=120)[0] for process in workers]
    assert [process.returncode for process in workers] == [0, 0], outputs

    assert ScheduledRun.objects.filter(job="send_reminders").count() == 1
    runs = DBTaskResult.objects.filter(task_path="committee.notifications.tasks.send_reminders")
    assert runs.count() == 2
    assert set(runs.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    _assert_each_reminder_once(mail_server, 40)
    assert not Worker.objects.exists(), "a worker that ends signs off"


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_half_way_is_taken_over_and_nothing_goes_twice(world, mail_server):
    count = 300
    _due_tomorrow(world, count)
    environment = _environment(mail_server, WORKER_STALE_AFTER="2")
    first = _start_worker(environment)
    deadline = time.monotonic() + 90
    while not Reminder.objects.exists():
        assert first.poll() is None, first.communicate()[0]
        assert time.monotonic() < deadline, "the first worker decided nothing"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    decided = Reminder.objects.count()
    assert 0 < decided < count, f"killed too late to test anything ({decided} decided)"
    job = DBTaskResult.objects.get(task_path="committee.notifications.tasks.send_reminders")
    assert job.status == TaskResultStatus.RUNNING  # left behind by the dead worker

    time.sleep(2.5)  # the dead worker's last report grows stale
    second = _start_worker(environment, "--batch")
    output = second.communicate(timeout=180)[0]
    assert second.returncode == 0, output

    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert job.worker_ids[-1] != job.worker_ids[0]
    _assert_each_reminder_once(mail_server, count)


@pytest.mark.django_db(transaction=True)
def test_a_worker_stops_on_sigterm_and_signs_off(world, mail_server):
    environment = _environment(mail_server, REMINDERS_AT="23:59")
    process = _start_worker(environment)
    deadline = time.monotonic() + 30
    while not Worker.objects.exists():
        assert process.poll() is None, process.communicate()[0]
        assert time.monotonic() < deadline
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert not Worker.objects.exists()


# Mails left without a delivery -------------------------------------------------------------


def _queued_mail(age: datetime.timedelta, **fields) -> Mail:
    mail = factories.MailFactory(**fields)
    Mail.objects.filter(pk=mail.pk).update(created_at=timezone.now() - age)
    return mail


@pytest.mark.django_db
def test_a_queued_mail_with_no_delivery_left_is_queued_again(settings):
    settings.WORKER_STALE_AFTER = datetime.timedelta(minutes=2)
    orphan = _queued_mail(datetime.timedelta(minutes=10))
    in_hand = _queued_mail(datetime.timedelta(minutes=10))
    tasks.deliver.enqueue(in_hand.pk)
    just_written = _queued_mail(datetime.timedelta(seconds=5))

    assert worker.requeue_orphaned_mails() == 1

    deliveries = DBTaskResult.objects.filter(task_path="committee.notifications.tasks.deliver")
    assert sorted(d.args_kwargs["args"][0] for d in deliveries) == [orphan.pk, in_hand.pk]
    assert just_written.pk not in [d.args_kwargs["args"][0] for d in deliveries]
    assert worker.requeue_orphaned_mails() == 0


@pytest.mark.django_db
def test_a_mail_that_cannot_be_sent_at_all_fails_with_the_reason(mail_server):
    """Not only SMTP errors: whatever stops a mail is the outbox's to show, never a mail left
    queued with nothing to send it (here a subject with a line break, which Django refuses
    as a header injection; composing puts subjects on one line, a row written otherwise)."""
    mail = _queued_mail(datetime.timedelta(0), subject="Due\nBcc: everyone@example.org")

    assert tasks.deliver.call(mail.pk) == "failed"

    mail.refresh_from_db()
    assert mail.status == Mail.Status.FAILED
    assert mail.error
    assert mail_server.inbox.messages == []
