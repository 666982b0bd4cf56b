"""The minutes' PDFs made on the worker (committee/core/renderings.py; what is kept and why:
editions.py).

The task paths are stored with each queued task: `committee.meetings.tasks.render_minutes_record`
and `committee.meetings.tasks.render_minutes_edition` stay where they are.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from committee.core import renderings
from committee.core.models import Rendering
from committee.core.security_log import log_event
from committee.meetings import editions, printing, signals
from committee.meetings.models import Minutes, MinutesCirculation
from committee.members.models import User

logger = logging.getLogger(__name__)


@task
def render_minutes_record(rendering_id: str) -> str:
    """The approved minutes' sealed PDF, made once after the last approval and kept on the
    minutes with its SHA-256.

    Rendered after the approval's commit, it still shows the approved state: the session lock
    (session_lock.py) refuses any change to approved minutes' texts, meeting, agenda and
    attendance until they are re-opened; and should they be re-opened (or re-opened and
    approved again) before it is stored, nothing is stored, as the check under the minutes'
    row lock below sees. Failing (a timeout, an unusable seal) is recorded on the rendering
    for the secretariat, who asks again from the meeting's page."""
    rendering = renderings.start(rendering_id)
    if rendering is None:
        return "nothing to do"
    try:
        return _make_record(rendering)
    except BaseException as error:  # a forced stop too (renderings.perform says why)
        logger.exception("minutes record failed rendering=%s", rendering.pk)
        renderings.fail(rendering, error)
        raise


def _outdated(minutes: Minutes | None, rendering: Rendering) -> bool:
    return (
        minutes is None or not minutes.is_approved or editions.record_key(minutes) != rendering.key
    )


def _reopened(rendering: Rendering) -> str:
    return renderings.cancel(
        rendering, _("The minutes were re-opened before their sealed PDF was made.")
    ).status


def _make_record(rendering: Rendering) -> str:
    minutes = Minutes.objects.filter(pk=rendering.params["minutes"]).first()
    if _outdated(minutes, rendering):
        return _reopened(rendering)
    if minutes.pdf:  # stored by an earlier run of this task
        return renderings.complete(rendering, sha256=minutes.pdf_sha256).status

    from committee.core.sealing import seal_pdf

    # In the record language, whoever's request approved (the PDF names its languages).
    with translation.override(printing.record_language()):
        meeting = printing.minutes_queryset().get(pk=minutes.meeting_id)
        pdf = seal_pdf(printing.render_minutes_pdf(meeting), reason=printing.seal_reason(meeting))
    sha256 = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        locked = Minutes.objects.select_for_update().filter(pk=minutes.pk).first()
        if _outdated(locked, rendering):
            return _reopened(rendering)
        if locked.pdf:
            return renderings.complete(rendering, sha256=locked.pdf_sha256).status
        name = f"minutes-{meeting.committee_id}-{meeting.number}.pdf"
        locked.pdf.save(name, ContentFile(pdf), save=False)
        locked.pdf_sha256 = sha256
        try:
            locked.save(update_fields=["pdf", "pdf_sha256"])
        except Exception:
            locked.pdf.delete(save=False)
            raise
        renderings.complete(rendering, sha256=sha256)
        # The delegations hear of the approval with its record there to open.
        signals.minutes_approved.send(Minutes, minutes=locked)
    log_event(
        "minutes.record_stored",
        user=rendering.requested_by,
        minutes=locked.pk,
        meeting=locked.meeting_id,
        sha256=sha256,
    )
    return rendering.status


@task
def render_minutes_edition(rendering_id: str) -> str:
    """An edition of circulated or approved minutes, kept in storage (editions.py)."""
    return renderings.perform(rendering_id, editions.make_edition)


# --- Queued by the minutes workflow (services.py), inside its transaction ----------------------


def queue_record(minutes: Minutes, user: User | None) -> Rendering:
    """The sealed PDF of minutes approved just now (or whose making failed: again)."""
    rendering, _queued = renderings.request_rendering(
        kind=editions.RECORD,
        key=editions.record_key(minutes),
        task=render_minutes_record,
        params={"minutes": minutes.pk},
        requested_by=user,
    )
    return rendering


def queue_editions(minutes: Minutes, circulation: MinutesCirculation, user: User) -> None:
    """The editions the delegations read most, of a version circulated just now (no approval
    given to it yet)."""
    for original in editions.prerendered_languages(minutes):
        renderings.request_rendering(
            kind=editions.EDITION,
            key=editions.edition_key(
                minutes, circulation=circulation, approval_ids=(), original=original, second=None
            ),
            task=render_minutes_edition,
            params=editions.edition_params(minutes.meeting_id, original, None),
            requested_by=user,
        )
