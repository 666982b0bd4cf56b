"""PDFs made off the web request, by the background worker.

The worker is Django's tasks framework with the django-tasks-db backend: a task is a row in
PostgreSQL until a worker process (`manage.py worker`) runs it. A page that needs a heavy
PDF does not make it; it asks for it and shows how it is going:

1. `request_rendering()` returns the Rendering (committee/core/models.py) of a document: one
   already queued or being made, else a ready one (for a report: one made recently enough),
   else a new one, queued with its task. Asking twice queues once: a partial unique index
   (`rendering_one_pending_per_key`) settles two requests that race.
2. On the worker, the task calls `perform()` with the function that makes the PDF (or, for a
   document kept elsewhere, `start()`, then `complete()` or `fail()` itself). The rendering
   goes running → ready, with its file and SHA-256; or failed, with what went wrong, which
   the page shows and a new request retries; or cancelled, when what it would show changed
   before it was made. A task run twice (a worker that stopped mid-way is replaced) finds
   the rendering already done and does nothing.
3. The page polls `status_payload()` (static/js/rendering.js; without JavaScript, a link or
   a refresh) and offers the file once it is ready.

What a document is, and who may read it, is its app's business: the minutes'
(committee/meetings/editions.py) and the implementation matrix's (agreements/reports.py).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.core.models import Rendering
from committee.core.pdf import PDFRenderError

logger = logging.getLogger(__name__)

MAX_ERROR_LENGTH = 2000
STORED_FIELDS = ("file", "filename", "size", "sha256")


@dataclass(frozen=True)
class Made:
    """A PDF made by a rendering's `make` function, and the name it is offered under."""

    content: bytes
    filename: str


class NotNeeded(Exception):
    """Raised by a `make` function when what the rendering would show has changed since it was
    asked for (minutes re-opened, a new version circulated): it is cancelled, not failed."""


def current(kind: str, key: str, *, fresh_after: datetime.datetime | None = None):
    """The rendering to show for (kind, key): the one asked for last among those queued, being
    made, or ready (and, with `fresh_after`, finished since then); None if there is none."""
    candidates = Rendering.objects.of(kind, key).filter(
        status__in=[*Rendering.PENDING, Rendering.Status.READY]
    )
    if fresh_after is not None:
        candidates = candidates.exclude(status=Rendering.Status.READY, finished_at__lt=fresh_after)
    # A ready fixed document wins over a pending duplicate of it (see perform()).
    ready_first = Case(
        When(status=Rendering.Status.READY, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    order = ("-requested_at",) if kind in Rendering.RENEWABLE else (ready_first, "-requested_at")
    return candidates.order_by(*order).first()


def request_rendering(
    *,
    kind: str,
    key: str,
    task,
    params: dict,
    requested_by=None,
    fresh_after: datetime.datetime | None = None,
    again: bool = False,
) -> tuple[Rendering, bool]:
    """The rendering of (kind, key) to offer, and whether it was queued just now.

    An existing one is reused: queued or being made, or ready (for a renewable kind, only if
    finished after `fresh_after`). `again` skips a ready one, not a pending one.

    The new row and the worker's task are written in the caller's transaction, on purpose:
    the django-tasks-db backend queues a task as a row of the same database, so the decision
    that calls for the PDF (an approval, a circulation) and the work it queues commit
    together or not at all. With transaction.on_commit instead, a process that stopped
    between the commit and the callback would leave the decision made and the PDF never
    queued. The worker cannot see the task before the commit, so it never runs early."""
    found = current(kind, key, fresh_after=fresh_after)
    if found is not None and not (again and found.is_ready):
        return found, False
    try:
        # A savepoint: a concurrent request may queue the same document first.
        with transaction.atomic():
            rendering = Rendering.objects.create(
                kind=kind, key=key, params=params, requested_by=requested_by
            )
            task.enqueue(str(rendering.pk))
    except IntegrityError:
        # rendering_one_pending_per_key: another request queued it a moment ago.
        found = Rendering.objects.of(kind, key).pending().first()
        if found is None:
            raise
        return found, False
    logger.info("rendering queued kind=%s key=%s id=%s", kind, key, rendering.pk)
    return rendering, True


# --- On the worker -----------------------------------------------------------------------------


def start(rendering_id: str) -> Rendering | None:
    """Mark the rendering as being made, and return it; None when there is nothing to do
    (it does not exist, or it is finished: a task run twice)."""
    with transaction.atomic():
        rendering = Rendering.objects.select_for_update().filter(pk=rendering_id).first()
        if rendering is None or not rendering.is_pending:
            return None
        rendering.status = Rendering.Status.RUNNING
        rendering.started_at = timezone.now()
        rendering.attempts += 1
        rendering.save(update_fields=["status", "started_at", "attempts"])
    return rendering


def complete(
    rendering: Rendering, *, made: Made | None = None, sha256: str | None = None
) -> Rendering:
    """Ready: with the file `made` (stored, with its SHA-256), or, for a document kept
    elsewhere, with that document's `sha256`. When the same fixed document was stored
    meanwhile by another request, this one is dropped and the other is served."""
    if made is not None:
        _store(rendering, made)
    else:
        rendering.sha256 = sha256 or ""
    rendering.status = Rendering.Status.READY
    rendering.error = ""
    rendering.finished_at = timezone.now()
    try:
        with transaction.atomic():
            rendering.save(update_fields=[*STORED_FIELDS, "status", "error", "finished_at"])
    except IntegrityError:
        # rendering_one_ready_per_fixed_key: made twice at once; the first one stored stays.
        if made is not None:
            rendering.file.delete(save=False)
        return cancel(rendering, _("The same document was prepared meanwhile."))
    logger.info("rendering ready kind=%s id=%s", rendering.kind, rendering.pk)
    return rendering


def fail(rendering: Rendering, error: BaseException | str) -> Rendering:
    """Failed, saying what went wrong; a new request queues it again."""
    if isinstance(error, PDFRenderError):
        message = str(error) or _("The PDF could not be produced.")
    elif isinstance(error, BaseException):
        message = f"{type(error).__name__}: {error}"
    else:
        message = error
    _finish(rendering, Rendering.Status.FAILED, message[:MAX_ERROR_LENGTH])
    logger.warning("rendering failed kind=%s id=%s: %s", rendering.kind, rendering.pk, message)
    return rendering


def cancel(rendering: Rendering, reason: str) -> Rendering:
    """No longer needed: what it would show has changed, or it was made otherwise."""
    _finish(rendering, Rendering.Status.CANCELLED, reason)
    logger.info("rendering cancelled kind=%s id=%s: %s", rendering.kind, rendering.pk, reason)
    return rendering


def _store(rendering: Rendering, made: Made) -> None:
    rendering.file.save(made.filename, ContentFile(made.content), save=False)
    rendering.filename = made.filename
    rendering.size = len(made.content)
    rendering.sha256 = hashlib.sha256(made.content).hexdigest()


def _finish(rendering: Rendering, status: str, error: str) -> None:
    rendering.status = status
    rendering.error = error
    rendering.file = ""
    rendering.finished_at = timezone.now()
    rendering.save(update_fields=["status", "error", "file", "finished_at"])


def perform(rendering_id: str, make: Callable[[Rendering], Made]) -> str:
    """Run a rendering whose file is kept on it: `make(rendering)` returns the PDF, or raises
    NotNeeded. Any other error is recorded on the rendering, then raised again, so that the
    task's own result records it too. Returns the rendering's status (the task's result)."""
    rendering = start(rendering_id)
    if rendering is None:
        return "nothing to do"
    if (
        rendering.kind not in Rendering.RENEWABLE
        and Rendering.objects.of(rendering.kind, rendering.key).ready().exists()
    ):
        return cancel(rendering, _("The same document was prepared meanwhile.")).status
    try:
        made = make(rendering)
    except NotNeeded as reason:
        return cancel(rendering, str(reason)).status
    except BaseException as error:
        # BaseException too: a worker stopped by force (SystemExit) mid-render leaves the
        # rendering failed, to be asked for again, not running for good.
        logger.exception("rendering failed kind=%s id=%s", rendering.kind, rendering.pk)
        fail(rendering, error)
        raise
    return complete(rendering, made=made).status


def keep(*, kind: str, key: str, params: dict, requested_by, made: Made) -> Rendering:
    """A fixed document made in the request that first asked for it: stored as a ready
    rendering, or, if another request stored it meanwhile, that one."""
    now = timezone.now()
    rendering = Rendering(
        kind=kind,
        key=key,
        params=params,
        requested_by=requested_by if requested_by and requested_by.is_authenticated else None,
        status=Rendering.Status.READY,
        started_at=now,
        attempts=1,
    )
    _store(rendering, made)
    rendering.finished_at = now
    try:
        with transaction.atomic():
            rendering.save(force_insert=True)
    except IntegrityError:
        rendering.file.delete(save=False)
        stored = Rendering.objects.of(kind, key).ready().first()
        if stored is None:
            raise
        return stored
    return rendering


# --- What a page shows -------------------------------------------------------------------------


def status_payload(rendering: Rendering | None, *, status: str = "") -> dict:
    """What rendering.js reads: the status, its label in the reader's language, and whether
    it is finished (the page then loads again and shows the outcome). Without a rendering,
    the document is settled (`status`: "ready" when there is a file)."""
    if rendering is None:
        return {"status": status, "label": "", "done": True}
    return {
        "status": rendering.status,
        "label": str(rendering.get_status_display()),
        "done": not rendering.is_pending,
        "overdue": rendering.is_overdue,
    }
