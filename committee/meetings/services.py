"""The minutes workflow: draft → circulated (version 1, 2, … with the delegations' comments
and the secretariat's answers) → approved by every head of delegation, and the audited
re-open.

Each step is one transaction on the locked minutes row. A step confirmed on a page carries
the digest of the texts that page showed (`seen`) and is refused when they changed since.
The last approval queues the sealed PDF on the worker (tasks.render_minutes_record), which
makes it once and keeps it with its SHA-256, so a printed copy can be checked against the
record. Circulating queues the editions the delegations read most (editions.py).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.core.security_log import log_event
from committee.meetings import record, signals, tasks
from committee.meetings.models import (
    AgendaItem,
    Minutes,
    MinutesApproval,
    MinutesCirculation,
    MinutesComment,
    MinutesReopening,
)
from committee.members import rules
from committee.members.models import Member, Party, User

# How long a step waits for another one holding the minutes (the worker storing the sealed
# record holds them a moment too) before it tells the person to try again.
LOCK_WAIT = "20s"


def _locked_minutes(minutes: Minutes) -> Minutes:
    """The minutes' row, locked for the rest of the transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = %s", [LOCK_WAIT])
    try:
        return Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != "55P03":  # lock_not_available
            raise
        raise ValidationError(
            _("The minutes are being approved just now: try again in a minute."), code="busy"
        ) from error


COMMENT_PERIOD = datetime.timedelta(days=14)


def _refuse_if_stale(minutes: Minutes, seen: str | None, current: str | None = None) -> None:
    """Refused when the page the person confirmed showed other texts than there are now."""
    if seen is not None and seen != (current or record.current_digest(minutes)):
        raise ValidationError(
            _(
                "The minutes changed after this page was shown to you. Read them again "
                "before you confirm."
            ),
            code="stale",
        )


def _refuse_if_texts_missing(minutes: Minutes) -> None:
    missing = record.missing_texts(minutes.meeting)
    if missing:
        raise ValidationError(
            [
                _("The %(language)s text lacks: %(missing)s.")
                % {"language": language, "missing": ", ".join(what)}
                for language, what in missing
            ],
            code="missing_texts",
        )


def minutes_circulate(
    *,
    minutes: Minutes,
    user: User,
    seen: str | None = None,
    comment_deadline: datetime.datetime | None = None,
) -> MinutesCirculation:
    """Send the draft to the delegations, or a corrected version of circulated minutes: its
    texts are kept as version N, and approvals given to an earlier version are withdrawn."""
    now = timezone.now()
    deadline = comment_deadline or now + COMMENT_PERIOD
    if deadline <= now:
        raise ValidationError(
            {"comment_deadline": _("The deadline for comments must be in the future.")}
        )
    with transaction.atomic():
        locked = _locked_minutes(minutes)
        if locked.is_approved:
            raise ValidationError(_("Approved minutes are re-opened before they change."))
        texts = record.snapshot(locked)
        current = record.digest(texts)
        _refuse_if_stale(locked, seen, current)
        _refuse_if_texts_missing(locked)
        previous = record.latest_circulation(locked)
        if locked.is_circulated and previous is not None and previous.digest == current:
            raise ValidationError(
                _("Nothing changed since version %(number)s was circulated.")
                % {"number": previous.number},
                code="unchanged",
            )
        circulation = MinutesCirculation.objects.create(
            minutes=locked,
            number=(previous.number + 1) if previous else 1,
            circulated_at=now,
            circulated_by=user,
            comment_deadline=deadline,
            texts=texts,
            digest=current,
        )
        locked.approvals.filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
        locked.status = Minutes.Status.CIRCULATED
        locked.circulated_at = now
        locked.comment_deadline = deadline
        locked.save(update_fields=["status", "circulated_at", "comment_deadline"])
        tasks.queue_editions(locked, circulation, user)
        signals.minutes_circulated.send(Minutes, circulation=circulation)
    log_event(
        "minutes.circulated",
        user=user,
        minutes=locked.pk,
        meeting=locked.meeting_id,
        version=circulation.number,
    )
    return circulation


def may_comment(minutes: Minutes, user: User) -> bool:
    return (
        minutes.is_circulated
        and rules.can_comment_on_minutes(user, minutes)
        and minutes.comment_deadline is not None
        and timezone.now() <= minutes.comment_deadline
    )


def minutes_comment(
    *,
    minutes: Minutes,
    user: User,
    text: str,
    agenda_item: AgendaItem | None = None,
    paragraph: str = "",
    version: int | None = None,
) -> MinutesComment:
    """A delegation's comment on the circulated draft, until the deadline; `version`, the
    one the writer read, must still be the latest."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the comment.")})
    if not rules.can_comment_on_minutes(user, minutes):
        raise PermissionDenied(_("Only officials of the delegations comment on the minutes."))
    with transaction.atomic():
        locked = _locked_minutes(minutes)
        if not locked.is_circulated:
            raise ValidationError(_("Comments are sent while the minutes are circulated."))
        if locked.comment_deadline is None or timezone.now() > locked.comment_deadline:
            raise ValidationError(_("The deadline for comments has passed."), code="deadline")
        if agenda_item is not None and agenda_item.meeting_id != locked.meeting_id:
            raise ValidationError({"agenda_item": _("This item is not on the session's agenda.")})
        circulation = record.latest_circulation(locked)
        if version is not None and circulation is not None and version != circulation.number:
            raise ValidationError(
                _(
                    "Version %(number)s of the minutes was circulated after you opened this "
                    "page: read it, then send your comment again."
                )
                % {"number": circulation.number},
                code="stale",
            )
        return MinutesComment.objects.create(
            minutes=locked,
            circulation=circulation,
            agenda_item=agenda_item,
            paragraph=paragraph.strip(),
            party=rules.delegation(user, locked.meeting.committee_id),
            author=user,
            text=text,
        )


def comment_answer(
    *, comment: MinutesComment, user: User, answer: str, reason: str = ""
) -> MinutesComment:
    """The secretariat's answer to a comment: accepted, accepted with changes, or declined
    (the last two with the reason). An answer may be revised until the minutes are approved."""
    if not rules.can_edit_records(user):
        raise PermissionDenied(_("Only the secretariat answers comments."))
    reason = reason.strip()
    if answer not in MinutesComment.Answer.values:
        raise ValidationError({"answer": _("Choose an answer.")})
    if answer != MinutesComment.Answer.ACCEPTED and not reason:
        raise ValidationError(
            {
                "answer_reason": _(
                    "Give the reason when a comment is declined or accepted with changes."
                )
            }
        )
    with transaction.atomic():
        locked = _locked_minutes(comment.minutes)
        if locked.is_approved:
            raise ValidationError(_("Approved minutes are re-opened before they change."))
        comment = MinutesComment.objects.select_for_update().get(pk=comment.pk)
        comment.answer = answer
        comment.answer_reason = reason
        comment.answered_by = user
        comment.answered_at = timezone.now()
        comment.save(update_fields=["answer", "answer_reason", "answered_by", "answered_at"])
        signals.comment_answered.send(MinutesComment, comment=comment)
    return comment


def _approval_state(locked: Minutes, current: str) -> tuple[MinutesCirculation, dict[int, Member]]:
    """What an approval needs: circulated minutes whose texts (digest `current`) are those
    circulated last, and the heads of delegation."""
    if not locked.is_circulated:
        raise ValidationError(_("Minutes are circulated before they are approved."))
    circulation = record.latest_circulation(locked)
    if circulation is None:
        raise ValidationError(
            _(
                "These minutes were circulated before the portal kept circulated versions: "
                "the secretariat circulates them again, as version 1, before they are approved."
            ),
            code="not_circulated",
        )
    if circulation.digest != current:
        raise ValidationError(
            _(
                "The minutes were changed after they were circulated: the secretariat "
                "circulates the changed version before it is approved."
            ),
            code="not_circulated",
        )
    return circulation, record.heads_of_delegation(locked.meeting)


def _approve_if_complete(locked: Minutes, user: User) -> bool:
    """Approved when every party's head of delegation has approved: the sealed PDF is queued
    on the worker, which renders it once, seals it where a certificate is configured, and
    keeps it with its checksum."""
    parties = set(locked.meeting.committee.parties.values_list("pk", flat=True))
    approved = set(
        locked.approvals.filter(withdrawn_at__isnull=True).values_list("party_id", flat=True)
    )
    if parties - approved:
        return False
    locked.status = Minutes.Status.APPROVED
    locked.approved_by = user
    locked.approved_at = timezone.now()
    locked.save(update_fields=["status", "approved_by", "approved_at"])
    # Queued in this transaction (see renderings.request_rendering): approved minutes always
    # have their PDF on the way. Made after the commit, it still shows the approved state:
    # the texts are those circulated (the approval checked them with the minutes locked), and
    # the session lock refuses any change to them from the commit on.
    tasks.queue_record(locked, user)
    return True


def _log_approval(minutes: Minutes, user: User) -> None:
    log_event(
        "minutes.approved",
        user=user,
        minutes=minutes.pk,
        meeting=minutes.meeting_id,
    )


def _record_approval(
    *,
    minutes: Minutes,
    user: User,
    seen: str | None,
    head_for,
    already: ValidationError,
    event: str,
    scan=None,
    **fields,
) -> MinutesApproval:
    """An approval for one delegation, made by its head in the portal or recorded by the
    secretariat from paper: `head_for(heads)` picks the delegation's head (or refuses), and
    `fields` say how. The last approval approves the minutes."""
    with transaction.atomic():
        locked = _locked_minutes(minutes)
        current = record.current_digest(locked)
        _refuse_if_stale(locked, seen, current)
        circulation, heads = _approval_state(locked, current)
        head = head_for(heads)
        if locked.approvals.filter(party=head.party_id, withdrawn_at__isnull=True).exists():
            raise already
        _refuse_if_texts_missing(locked)
        approval = MinutesApproval(
            minutes=locked,
            circulation=circulation,
            party_id=head.party_id,
            signatory=head,
            approved_at=timezone.now(),
            recorded_by=user,
            **fields,
        )
        if scan is not None:
            approval.scan.save(scan.name, scan, save=False)
        try:
            approval.save()
            completed = _approve_if_complete(locked, user)
        except Exception:
            if scan is not None:
                approval.scan.delete(save=False)
            raise
    log_event(event, user=user, minutes=locked.pk, party=head.party_id, version=circulation.number)
    if completed:
        _log_approval(locked, user)
    return approval


def minutes_approve(
    *,
    minutes: Minutes,
    user: User,
    seen: str | None = None,
    client_ip: str | None = None,
) -> MinutesApproval:
    """A head of delegation approves the circulated minutes for their party, in the portal
    (the view has asked for the password again)."""

    def own_delegation(heads: dict[int, Member]) -> Member:
        head = rules.head_of_delegation(user, heads)
        if head is None:
            raise PermissionDenied(
                _("Only a head of delegation named on the session approves its minutes.")
            )
        return head

    return _record_approval(
        minutes=minutes,
        user=user,
        seen=seen,
        head_for=own_delegation,
        already=ValidationError(_("Your delegation has already approved these minutes.")),
        event="minutes.approved_by_delegation",
        method=MinutesApproval.Method.PORTAL,
        client_ip=client_ip,
    )


def minutes_record_signature(
    *,
    minutes: Minutes,
    user: User,
    party: Party,
    signed_on: datetime.date,
    signed_at: str,
    scan,
    seen: str | None = None,
) -> MinutesApproval:
    """The secretariat records that a head of delegation signed the minutes on paper (at the
    session, usually), with the scan of the signed page."""
    if not rules.can_edit_records(user):
        raise PermissionDenied(_("Only the secretariat records signatures on paper."))
    if not signed_at.strip():
        raise ValidationError({"signed_at": _("Say where the minutes were signed.")})
    if not scan:
        raise ValidationError({"scan": _("Attach the scan of the signed page.")})

    def party_head(heads: dict[int, Member]) -> Member:
        if party.pk not in heads:
            raise ValidationError(
                {"party": _("No head of delegation is named for this party on the session.")}
            )
        return heads[party.pk]

    return _record_approval(
        minutes=minutes,
        user=user,
        seen=seen,
        head_for=party_head,
        already=ValidationError(
            {"party": _("This delegation has already approved these minutes.")}
        ),
        event="minutes.signature_recorded",
        scan=scan,
        method=MinutesApproval.Method.PAPER,
        signed_on=signed_on,
        signed_at=signed_at.strip(),
    )


def approval_withdraw(*, approval: MinutesApproval, user: User) -> MinutesApproval:
    """Take back an approval given by mistake (a wrong scan, the wrong delegation, a head
    who approved too soon) while the minutes are still circulated: the approving head
    themselves, or the secretariat. The approval stays on record, marked withdrawn."""
    with transaction.atomic():
        locked = _locked_minutes(approval.minutes)
        approval = MinutesApproval.objects.select_for_update().get(pk=approval.pk)
        if not (rules.can_edit_records(user) or approval.signatory.user_id == user.pk):
            raise PermissionDenied(
                _("Only the secretariat or the head who approved withdraws an approval.")
            )
        if not locked.is_circulated:
            raise ValidationError(
                _("Approved minutes are re-opened: their approvals cannot be withdrawn one by one.")
            )
        if approval.withdrawn_at is not None:
            raise ValidationError(_("This approval is already withdrawn."))
        approval.withdrawn_at = timezone.now()
        approval.save(update_fields=["withdrawn_at"])
    log_event(
        "minutes.approval_withdrawn",
        user=user,
        minutes=locked.pk,
        party=approval.party_id,
    )
    return approval


def minutes_reopen(
    *, minutes: Minutes, user: User, reason: str, seen: str | None = None
) -> MinutesReopening:
    """Open approved minutes again for a correction; who, when, why and the old PDF are kept."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the minutes are re-opened.")})
    with transaction.atomic():
        locked = _locked_minutes(minutes)
        if locked.status != Minutes.Status.APPROVED:
            raise ValidationError(_("Only approved minutes can be re-opened."))
        _refuse_if_stale(locked, seen)
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
        locked.approvals.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
        signals.minutes_reopened.send(MinutesReopening, reopening=reopening)
    log_event(
        "minutes.reopened",
        user=user,
        minutes=locked.pk,
        meeting=locked.meeting_id,
        previous_sha256=reopening.previous_pdf_sha256,
        reason=reason[:500],
    )
    return reopening
