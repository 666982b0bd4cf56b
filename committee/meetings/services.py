"""The minutes workflow: draft → circulated → approved, and the audited re-open.

Each step is one transaction on the locked minutes row. Approval renders the PDF once and
keeps it with its SHA-256, so a printed copy can be checked against the record.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.core.security_log import log_event
from committee.meetings.models import Meeting, Minutes, MinutesReopening
from committee.members.models import User


def _locked_minutes(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)


def minutes_circulate(*, minutes: Minutes, user: User) -> Minutes:
    with transaction.atomic():
        locked = _locked_minutes(minutes)
        if locked.status != Minutes.Status.DRAFT:
            raise ValidationError(_("Only draft minutes can be circulated."))
        locked.status = Minutes.Status.CIRCULATED
        locked.circulated_at = timezone.now()
        locked.save(update_fields=["status", "circulated_at"])
    return locked


def minutes_approve(*, minutes: Minutes, user: User) -> Minutes:
    """Approve circulated minutes, render their PDF once and keep it with its checksum."""
    from committee.meetings.printing import render_minutes_pdf

    with transaction.atomic():
        locked = _locked_minutes(minutes)
        if locked.status != Minutes.Status.CIRCULATED:
            raise ValidationError(_("Minutes are circulated before they are approved."))
        locked.status = Minutes.Status.APPROVED
        locked.approved_by = user
        locked.approved_at = timezone.now()
        locked.save(update_fields=["status", "approved_by", "approved_at"])
        # Rendered inside the transaction, so the PDF shows the approved state it records.
        meeting = Meeting.objects.select_related("minutes").get(pk=locked.meeting_id)
        pdf = render_minutes_pdf(meeting)
        locked.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        name = f"minutes-{meeting.committee_id}-{meeting.number}.pdf"
        locked.pdf.save(name, ContentFile(pdf), save=False)
        try:
            locked.save(update_fields=["pdf", "pdf_sha256"])
        except Exception:
            locked.pdf.delete(save=False)
            raise
    log_event(
        "minutes.approved",
        user=user,
        minutes=locked.pk,
        meeting=locked.meeting_id,
        sha256=locked.pdf_sha256,
    )
    return locked


def minutes_reopen(*, minutes: Minutes, user: User, reason: str) -> MinutesReopening:
    """Open approved minutes again for a correction; who, when, why and the old PDF are kept."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the minutes are re-opened.")})
    with transaction.atomic():
        locked = _locked_minutes(minutes)
        if locked.status != Minutes.Status.APPROVED:
            raise ValidationError(_("Only approved minutes can be re-opened."))
        reopening = MinutesReopening(
            minutes=locked,
            reopened_by=user,
            reason=reason,
            previous_pdf_sha256=locked.pdf_sha256,
        )
        # The superseded PDF moves to the re-opening record: files and rows stay one to one.
        reopening.superseded_pdf.name = locked.pdf.name
        reopening.save()
        locked.status = Minutes.Status.CIRCULATED
        locked.approved_by = None
        locked.approved_at = None
        locked.pdf = ""
        locked.pdf_sha256 = ""
        locked.save(update_fields=["status", "approved_by", "approved_at", "pdf", "pdf_sha256"])
    log_event(
        "minutes.reopened",
        user=user,
        minutes=locked.pk,
        meeting=locked.meeting_id,
        previous_sha256=reopening.previous_pdf_sha256,
        reason=reason[:500],
    )
    return reopening
