"""The minutes' PDFs that are kept, so that no request renders them twice.

- **The sealed record** of approved minutes: made once by the worker after the last approval
  (tasks.render_minutes_record), kept on the minutes (Minutes.pdf, with its SHA-256). Its
  Rendering (kind MINUTES_RECORD, one per approval: `record_key`) tells the pages how its
  making goes, and the secretariat what went wrong if it failed.
- **Every other edition** of minutes that are no longer a draft, in a language or two side by
  side: rendered once for the state it shows and served from storage afterwards. What it
  shows, besides its languages, is named in its key (`edition_key`): for circulated minutes,
  the version circulated (its texts as the delegations were sent them) and the approvals
  given to it so far (printed under the signature blocks); for approved minutes, the sealed
  record the edition points to. A new version, an approval or a re-opening is a new key,
  hence a new edition; nothing is ever stale.

Circulating queues the editions the delegations read most (the record language and each
authentic language, alone) on the worker; any other is made by the request that first asks
for it, and kept. A draft is the secretariat's work in progress: rendered live, never kept.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from committee.core import renderings
from committee.core.models import Rendering
from committee.core.pdf import PDFRenderError
from committee.meetings import printing, record
from committee.meetings.models import Meeting, Minutes, MinutesCirculation

RECORD = Rendering.Kind.MINUTES_RECORD
EDITION = Rendering.Kind.MINUTES_EDITION


def record_key(minutes: Minutes) -> str:
    """The sealed record of one approval: approved again after a re-opening is another one."""
    return f"minutes-{minutes.pk}/approved-{minutes.approved_at.isoformat()}"


def record_rendering(minutes: Minutes) -> Rendering | None:
    """The latest try at the approved minutes' sealed PDF (one query); None if never asked."""
    return Rendering.objects.of(RECORD, record_key(minutes)).latest_first().first()


def edition_key(
    minutes: Minutes,
    *,
    circulation: MinutesCirculation | None,
    approval_ids,
    original: str,
    second: str | None,
) -> str | None:
    """What an edition of `minutes` shows, as a key; None for minutes whose editions are not
    kept (a draft; approved minutes whose sealed record is not made yet)."""
    languages = f"{original}+{second}" if second else original
    if minutes.is_approved:
        if not minutes.pdf:
            return None
        return f"minutes-{minutes.pk}/record-{minutes.pdf_sha256 or minutes.pdf.name}/{languages}"
    if not minutes.is_circulated:
        return None
    # Minutes circulated before versions were kept print their texts as they stand.
    version = (
        f"v{circulation.number}-{circulation.digest[:16]}"
        if circulation is not None
        else f"v0-{record.current_digest(minutes)[:16]}"
    )
    approvals = "-".join(str(pk) for pk in sorted(approval_ids)) or "none"
    return f"minutes-{minutes.pk}/{version}/approvals-{approvals}/{languages}"


def key_of(meeting: Meeting, circulation, original: str, second: str | None) -> str | None:
    """The key of an edition of `meeting` (read with printing.minutes_queryset())."""
    minutes = meeting.minutes
    return edition_key(
        minutes,
        circulation=circulation,
        approval_ids=[approval.pk for approval in minutes.active_approvals],
        original=original,
        second=second,
    )


def kept_edition(minutes: Minutes, original: str, second: str | None) -> Rendering | None:
    """The edition of `minutes` in these languages if it is kept already, found without
    reading the record (its key from the latest circulated version and the approvals given
    to it: three queries); None when it must be made, or its key needs the record's texts
    (minutes circulated before versions were kept)."""
    circulation = record.latest_circulation(minutes) if minutes.is_circulated else None
    if minutes.is_circulated and circulation is None:
        return None
    approval_ids = minutes.approvals.filter(withdrawn_at__isnull=True).values_list("pk", flat=True)
    key = edition_key(
        minutes,
        circulation=circulation,
        approval_ids=list(approval_ids),
        original=original,
        second=second,
    )
    if key is None:
        return None
    return Rendering.objects.of(EDITION, key).ready().first()


def edition_meeting(pk: int) -> tuple[Meeting, MinutesCirculation | None]:
    """The meeting with all its minutes print, the texts of circulated minutes as circulated
    (whoever asks: the secretariat's work on the next version is not in an edition), and its
    latest circulated version (None for minutes not circulated)."""
    meeting = printing.minutes_queryset().get(pk=pk)
    minutes = meeting.minutes
    circulation = record.latest_circulation(minutes) if minutes.is_circulated else None
    if minutes.is_circulated:
        meeting.item_list = record.as_circulated(minutes, meeting.item_list, circulation)
    return meeting, circulation


def make(meeting: Meeting, original: str, second: str | None) -> renderings.Made:
    # In the edition's language whoever asks first (a Dari reader, the worker): it is kept
    # for everyone.
    with translation.override(original):
        content = printing.render_minutes_pdf(meeting, original=original, second_language=second)
    return renderings.Made(
        content=content, filename=printing.minutes_filename(meeting, second, original)
    )


def make_edition(rendering: Rendering) -> renderings.Made:
    """On the worker: the edition a rendering names, unless the minutes moved on since."""
    params = rendering.params
    original, second = params["original"], params["second"] or None
    meeting, circulation = edition_meeting(params["meeting"])
    if key_of(meeting, circulation, original, second) != rendering.key:
        raise renderings.NotNeeded(_("The minutes changed before this edition was made."))
    return make(meeting, original, second)


def edition_params(meeting_id: int, original: str, second: str | None) -> dict:
    return {"meeting": meeting_id, "original": original, "second": second or ""}


def stored_edition(meeting_id: int, key: str, original: str, second: str | None, user):
    """The kept edition named `key`, made now if no request made it before (it may still be
    queued on the worker: this request does not wait for it). Raises PDFRenderError when it
    cannot be made."""
    stored = Rendering.objects.of(EDITION, key).ready().first()
    if stored is not None:
        return stored
    meeting, circulation = edition_meeting(meeting_id)
    # Read again: should the minutes have moved on since the view read them, what is
    # rendered is kept under the key of what it shows.
    key = key_of(meeting, circulation, original, second)
    if key is None:  # re-opened to a draft, or approved, in the meantime
        raise PDFRenderError("The minutes changed while their PDF was asked for.")
    return renderings.keep(
        kind=EDITION,
        key=key,
        params=edition_params(meeting_id, original, second),
        requested_by=user,
        made=make(meeting, original, second),
    )


def prerendered_languages(minutes: Minutes) -> list[str]:
    """The editions made on circulation: the record language and each authentic language,
    each alone."""
    return list(dict.fromkeys([printing.record_language(), *minutes.authentic_languages]))
