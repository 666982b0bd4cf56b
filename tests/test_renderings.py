"""The shared machinery of the PDFs made on the worker (committee/core/renderings.py): asked for
once however many ask at once, run once however often a task runs, and a failure recorded
rather than lost. The documents themselves: test_minutes_pdfs.py, test_implementation_report.py."""

import threading

import pytest
from django.db import connections, transaction
from django_tasks_db.models import DBTaskResult

from committee.agreements.tasks import render_implementation_report
from committee.core import renderings
from committee.core.models import Rendering
from committee.core.pdf import PDFRenderTimeout
from tests import factories

KIND = Rendering.Kind.IMPLEMENTATION_REPORT
KEY = "implementation-report/" + "0" * 64


def ask(**extra):
    return renderings.request_rendering(
        kind=KIND, key=KEY, task=render_implementation_report, params={}, **extra
    )


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_queue_one_pdf(world):
    """The second request does not see the first one's row (not committed yet), inserts its
    own, waits on the unique index, and then takes the first one's."""
    first_inserted, answers = threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                answers["first"] = ask(requested_by=world.azizi)
                first_inserted.set()
                # Holds its transaction open while the second one asks, and waits.
                second_thread.join(timeout=1.5)
                answers["second_waited"] = second_thread.is_alive()
        finally:
            connections.close_all()

    def second():
        try:
            first_inserted.wait(timeout=10)
            answers["second"] = ask(requested_by=world.torebayev)
        finally:
            connections.close_all()

    first_thread = threading.Thread(target=first)
    second_thread = threading.Thread(target=second)
    first_thread.start()
    second_thread.start()
    first_thread.join(timeout=20)
    second_thread.join(timeout=20)
    assert answers["second_waited"]
    (one, queued_first), (other, queued_second) = answers["first"], answers["second"]
    assert (queued_first, queued_second) == (True, False)
    assert one.pk == other.pk
    assert Rendering.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def made(content=b"%PDF-1.7\n%made\n"):
    calls = []

    def make(rendering):
        calls.append(rendering.pk)
        return renderings.Made(content=content, filename="report.pdf")

    return make, calls


@pytest.mark.django_db
def test_a_rendering_is_made_once_however_often_its_task_runs(settings):
    rendering, _queued = ask()
    make, calls = made()
    assert renderings.perform(str(rendering.pk), make) == "ready"
    assert renderings.perform(str(rendering.pk), make) == "nothing to do"
    assert len(calls) == 1
    rendering.refresh_from_db()
    assert (rendering.status, rendering.attempts, rendering.size) == ("ready", 1, 15)
    assert rendering.file.read() == b"%PDF-1.7\n%made\n"
    assert rendering.started_at <= rendering.finished_at


@pytest.mark.django_db
def test_a_task_taken_over_from_a_stopped_worker_runs_again():
    """A worker that stopped mid-way leaves its rendering running: the next run makes it."""
    rendering, _queued = ask()
    renderings.start(str(rendering.pk))
    make, calls = made()
    assert renderings.perform(str(rendering.pk), make) == "ready"
    rendering.refresh_from_db()
    assert rendering.attempts == 2
    assert calls == [rendering.pk]


@pytest.mark.django_db
def test_a_failure_is_recorded_raised_and_asked_again():
    rendering, _queued = ask()

    def broken(rendering):
        raise PDFRenderTimeout("The PDF took longer than 60 seconds to produce.")

    with pytest.raises(PDFRenderTimeout):
        renderings.perform(str(rendering.pk), broken)
    rendering.refresh_from_db()
    assert (rendering.status, rendering.error) == (
        "failed",
        "The PDF took longer than 60 seconds to produce.",
    )
    assert rendering.finished_at is not None
    again, queued = ask()
    assert queued
    assert again.pk != rendering.pk


@pytest.mark.django_db
def test_a_worker_stopped_by_force_mid_render_leaves_it_failed_not_running():
    """A second SIGTERM makes the worker exit inside the task (SystemExit): the rendering must
    not stay running for good, or nobody could ask for it again."""
    rendering, _queued = ask()

    def stopped(rendering):
        raise SystemExit(1)

    with pytest.raises(SystemExit):
        renderings.perform(str(rendering.pk), stopped)
    rendering.refresh_from_db()
    assert rendering.status == "failed"
    assert rendering.error == "SystemExit: 1"
    _again, queued = ask()
    assert queued


@pytest.mark.django_db
def test_what_is_no_longer_needed_is_cancelled_not_failed():
    rendering, _queued = ask()

    def changed(rendering):
        raise renderings.NotNeeded("The minutes changed before this edition was made.")

    assert renderings.perform(str(rendering.pk), changed) == "cancelled"
    rendering.refresh_from_db()
    assert rendering.error == "The minutes changed before this edition was made."


@pytest.mark.django_db
def test_a_fixed_document_kept_meanwhile_is_not_made_again():
    """An edition of minutes queued on circulation, made meanwhile by a request that could not
    wait: the worker does not make it a second time, and the request's copy is served."""
    kind = Rendering.Kind.MINUTES_EDITION
    queued, _ = renderings.request_rendering(
        kind=kind, key="minutes-1/v1/en", task=render_implementation_report, params={}
    )
    make, calls = made()
    kept = renderings.keep(
        kind=kind,
        key="minutes-1/v1/en",
        params={},
        requested_by=None,
        made=renderings.Made(content=b"%PDF-1.7\n%first\n", filename="minutes.pdf"),
    )
    assert renderings.perform(str(queued.pk), make) == "cancelled"
    assert calls == []
    assert renderings.current(kind, "minutes-1/v1/en") == kept
    # Two requests storing it at once: the second is handed the first one's.
    second = renderings.keep(
        kind=kind,
        key="minutes-1/v1/en",
        params={},
        requested_by=factories.UserFactory(),
        made=renderings.Made(content=b"%PDF-1.7\n%second\n", filename="minutes.pdf"),
    )
    assert second == kept
    assert Rendering.objects.filter(status="ready").count() == 1


@pytest.mark.django_db
def test_the_status_a_page_polls():
    rendering, _queued = ask()
    assert renderings.status_payload(rendering) == {
        "status": "queued",
        "label": "Waiting its turn",
        "done": False,
        "overdue": False,
    }
    make, _calls = made()
    renderings.perform(str(rendering.pk), make)
    rendering.refresh_from_db()
    assert renderings.status_payload(rendering)["done"] is True
