"""Writes that span models, each in one transaction."""

import datetime
import decimal
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from committee.agreements.models import Pledge, PledgeUpdate
from committee.members import rules
from committee.members.models import User
from committee.uploads import clean_filename


class DuplicateSubmission(Exception):
    """The same form was submitted twice; the first submission was recorded."""


def pledge_update_post(
    *,
    pledge: Pledge,
    author: User,
    status: str,
    progress: int,
    submission_key: uuid.UUID,
    note: str = "",
    indicator_value: decimal.Decimal | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    evidence=None,
) -> PledgeUpdate:
    """Record a follow-up update and make it the pledge's current state, atomically.

    The pledge row is locked so concurrent updates apply one after the other; the
    submission key is unique, so a repeated submit raises DuplicateSubmission and writes
    nothing.
    """
    if PledgeUpdate.objects.filter(submission_key=submission_key).exists():
        raise DuplicateSubmission
    stored_file = ""
    try:
        with transaction.atomic():
            locked = Pledge.objects.select_for_update().get(pk=pledge.pk)
            update = PledgeUpdate(
                pledge=locked,
                author=author,
                author_party=rules.delegation(author, locked.committee_id),
                status=status,
                progress=progress,
                indicator_value=indicator_value,
                period_start=period_start,
                period_end=period_end,
                note=note.strip(),
                submission_key=submission_key,
            )
            if evidence:
                update.evidence_name = clean_filename(evidence.name)
                update.evidence = evidence
            update.save()
            stored_file = update.evidence.name if evidence else ""
            locked.status = status
            locked.progress = progress
            changed = ["status", "progress", "updated_at"]
            if indicator_value is not None:
                locked.current_value = indicator_value
                changed.append("current_value")
            locked.updated_at = timezone.now()
            locked.save(update_fields=changed)
    except Exception as error:
        # The row is gone with the transaction: the stored file must go too.
        if stored_file:
            PledgeUpdate._meta.get_field("evidence").storage.delete(stored_file)
        duplicate = PledgeUpdate.objects.filter(submission_key=submission_key).exists()
        if isinstance(error, IntegrityError) and duplicate:
            raise DuplicateSubmission from error
        raise
    return update
