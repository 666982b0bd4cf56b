"""Writes that span models, each in one transaction."""

import datetime
import decimal
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min
from django.utils import timezone, translation
from django.utils.translation import gettext

from committee.agreements import signals
from committee.agreements.models import Pledge, PledgeReview, PledgeUpdate
from committee.core.uploads import clean_filename
from committee.meetings.models import AgendaItem, Meeting
from committee.meetings.session_lock import refuse_if_minutes_approved
from committee.members import rules
from committee.members.models import User


class DuplicateSubmission(Exception):
    """The same form was submitted twice; the first submission was recorded."""


class PledgeChanged(Exception):
    """The pledge changed after the version the update was written against: not recorded."""

    def __init__(self, pledge: Pledge, *, since: int):
        super().__init__(f"pledge {pledge.pk} is at version {pledge.version}, not {since}")
        self.pledge = pledge
        self.since = since


def pledge_update_post(
    *,
    pledge: Pledge,
    author: User,
    status: str,
    progress: int,
    submission_key: uuid.UUID,
    pledge_version: int | None = None,
    note: str = "",
    indicator_value: decimal.Decimal | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    evidence: UploadedFile | None = None,
) -> PledgeUpdate:
    """Record a follow-up update and make it the pledge's current state, atomically.

    The pledge row is locked so concurrent updates apply one after the other; the
    submission key is unique, so a repeated submit raises DuplicateSubmission and writes
    nothing. Given the pledge_version the author saw, an update posted after someone else
    changed the pledge raises PledgeChanged and writes nothing. Saving the pledge counts its
    version up (versioning).
    """
    if PledgeUpdate.objects.filter(submission_key=submission_key).exists():
        raise DuplicateSubmission
    stored_file = ""
    try:
        with transaction.atomic():
            locked = Pledge.objects.select_for_update().get(pk=pledge.pk)
            if pledge_version is not None and locked.version != pledge_version:
                # A double submit waits for the lock behind its first copy, which changed the
                # pledge: that is no one else's change.
                if PledgeUpdate.objects.filter(submission_key=submission_key).exists():
                    raise DuplicateSubmission
                raise PledgeChanged(locked, since=pledge_version)
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
            locked.save(update_fields=changed)
            signals.pledge_updated.send(PledgeUpdate, update=update)
    except Exception as error:
        # The row is gone with the transaction: the stored file must go too.
        if stored_file:
            PledgeUpdate._meta.get_field("evidence").storage.delete(stored_file)
        duplicate = PledgeUpdate.objects.filter(submission_key=submission_key).exists()
        if isinstance(error, IntegrityError) and duplicate:
            raise DuplicateSubmission from error
        raise
    return update


# Items that close an agenda: the review of open pledges comes before them.
CLOSING_KINDS = (AgendaItem.Kind.OTHER_BUSINESS, AgendaItem.Kind.NEXT_SESSION)


def implementation_review_add(*, meeting: Meeting) -> AgendaItem:
    """Put a "review of implementation" item on a session's agenda listing every open pledge
    of its committee, with owner, due date and latest update as they stand now (and when that
    was: each row's taken_at), before any other business and the next session.

    Run again, it adds the pledges opened since, taken then, and refreshes nothing already
    listed, so what the secretariat wrote under each pledge is kept; an item found after any
    other business or the next session is moved before them. Items after the review's place
    are numbered one on, which is why this runs only while the minutes are a draft.
    """
    with transaction.atomic():
        # Serialises concurrent clicks: one review item per meeting, one renumbering at a time.
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        refuse_if_minutes_approved(meeting.pk)
        # What the delegations comment on and approve is the draft: once it has gone out, the
        # review it records no longer changes under them.
        if meeting.minutes_exist_beyond_draft():
            raise ValidationError(
                gettext(
                    "The review of open pledges is put on the agenda while the minutes are a "
                    "draft; these minutes have been circulated."
                )
            )
        item = meeting.agenda_items.filter(kind=AgendaItem.Kind.IMPLEMENTATION_REVIEW).first()
        closing = meeting.agenda_items.filter(kind__in=CLOSING_KINDS).aggregate(
            first=Min("position")
        )["first"]
        if item is None:
            last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
            position = closing or last + 1
            _agenda_make_room(meeting=meeting, at=position)
            # The title in every language of the record, from the catalogs.
            titles = {}
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    titles[f"title_{code}"] = gettext(
                        "Review of the implementation of earlier decisions"
                    )
            item = AgendaItem(
                meeting=meeting,
                kind=AgendaItem.Kind.IMPLEMENTATION_REVIEW,
                position=position,
                title=titles[f"title_{settings.LANGUAGE_CODE}"],
                **titles,
            )
            item.full_clean()
            item.save()
        elif closing is not None and item.position > closing:
            _agenda_make_room(meeting=meeting, at=closing, item=item)
        listed = set(item.pledge_reviews.values_list("pledge_id", flat=True))
        pledges = (
            Pledge.objects.filter(committee=meeting.committee_id)
            .open()
            .exclude(pk__in=listed)
            .with_latest_update()
            .order_by("due_on", "agreement_id", "number")
        )
        start = len(listed)
        taken_at = timezone.now()
        PledgeReview.objects.bulk_create(
            PledgeReview(
                agenda_item=item,
                pledge=pledge,
                position=start + offset + 1,
                status=pledge.status,
                progress=pledge.progress,
                due_on=pledge.due_on,
                latest_update_on=(
                    timezone.localdate(pledge.latest_update_at) if pledge.latest_update_at else None
                ),
                latest_update_note=pledge.latest_note or "",
                taken_at=taken_at,
            )
            for offset, pledge in enumerate(pledges)
        )
    return item


def _agenda_make_room(*, meeting: Meeting, at: int, item: AgendaItem | None = None) -> None:
    """Free number `at` on the agenda of `meeting` by numbering the items from there on one
    higher: all of them, or, given the `item` (numbered after `at`) that is to take `at`, those
    up to it; and move that item to `at`.

    Positions are unique per meeting and PostgreSQL checks that row by row, so the items go
    in two steps: first above the highest number, then to their places. Call it inside the
    transaction that holds the meeting's row lock."""
    items = meeting.agenda_items.filter(position__gte=at)
    if item is not None:
        items = items.filter(position__lt=item.position)
    moved = list(items.values_list("pk", flat=True))
    top = meeting.agenda_items.aggregate(top=Max("position"))["top"] or 0
    going = [*moved, item.pk] if item is not None else moved
    AgendaItem.objects.filter(pk__in=going).update(position=F("position") + top)
    AgendaItem.objects.filter(pk__in=moved).update(position=F("position") - top + 1)
    if item is not None:
        AgendaItem.objects.filter(pk=item.pk).update(position=at)
        item.refresh_from_db()
