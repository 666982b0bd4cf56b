"""The worker's tasks: delivering a mail, and the scheduled jobs (reminders, digest).

Each is safe to run twice or on two workers at once: a mail is delivered under its row lock
and only while queued; the jobs decide each mail once (reminders.py, digest.py).
"""

import datetime
import email.policy
import logging
import smtplib

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from committee.notifications.models import Mail

logger = logging.getLogger(__name__)

# A refusal the server calls temporary (4xx), or no answer at all, is tried again after
# these delays; a permanent one (5xx) fails at once, with the server's reason in the outbox.
RETRY_DELAYS = (datetime.timedelta(minutes=5), datetime.timedelta(minutes=30))


def _temporary(error: Exception) -> bool:
    if not isinstance(error, (smtplib.SMTPException, OSError)):
        return False
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, (smtplib.SMTPServerDisconnected, OSError))


def _reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {message.decode(errors='replace')}"
            for address, (code, message) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        if isinstance(message, bytes):
            message = message.decode(errors="replace")
        return f"{error.smtp_code} {message}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


class PortalMail(EmailMultiAlternatives):
    # The default policy folds a header longer than 78 characters, and encodes a long link
    # it cannot break: List-Unsubscribe would no longer be a link. RFC 5322 allows 998. The
    # SMTP backend passes a policy of its own (email.policy.SMTP), so the limit is lifted on
    # whichever policy comes.
    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def _message(mail: Mail) -> EmailMultiAlternatives:
    from committee.notifications.mails import absolute, settings_token

    headers = {"Auto-Submitted": "auto-generated", "Content-Language": mail.language}
    if mail.recipient is not None:
        # One click in the mail program turns this topic off (RFC 8058).
        token = settings_token(mail.recipient, Mail.TOPICS[mail.kind])
        headers["List-Unsubscribe"] = (
            f"<{absolute(reverse('notifications:one_click_off', args=[token]))}>"
        )
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = PortalMail(subject=mail.subject, body=mail.text, to=[mail.to], headers=headers)
    message.attach_alternative(mail.html, "text/html")
    return message


@task()
def deliver(mail_id: int) -> str:
    """Send one queued mail and record the outcome. The row stays locked while the server is
    spoken to, so a second worker given the same mail skips it."""
    with transaction.atomic():
        mail = (
            Mail.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=mail_id, status=Mail.Status.QUEUED)
            .first()
        )
        if mail is None:
            return "not queued"  # sent or failed already, or another worker has it
        mail.attempts += 1
        try:
            _message(mail).send()
        except Exception as error:
            # Whatever went wrong is the outbox's to show: a mail is never left queued with
            # nothing to send it.
            mail.error = _reason(error)[:2000]
            if _temporary(error) and mail.attempts <= len(RETRY_DELAYS):
                retry_at = timezone.now() + RETRY_DELAYS[mail.attempts - 1]
                deliver.using(run_after=retry_at).enqueue(mail.pk)
                outcome = "retry"
            else:
                mail.status = Mail.Status.FAILED
                outcome = "failed"
            logger.warning("mail %s to %s not sent: %s", mail.pk, mail.to, mail.error)
        else:
            mail.status = Mail.Status.SENT
            mail.sent_at = timezone.now()
            mail.error = ""
            outcome = "sent"
        mail.save(update_fields=["status", "attempts", "error", "sent_at"])
    return outcome


def resend(mail: Mail) -> None:
    """Queue a failed mail again, as it was written (the secretariat's outbox action)."""
    with transaction.atomic():
        updated = Mail.objects.filter(pk=mail.pk, status=Mail.Status.FAILED).update(
            status=Mail.Status.QUEUED, error="", attempts=0
        )
        if updated:
            deliver.enqueue(mail.pk)


@task()
def send_reminders(today: str | None = None) -> int:
    """The daily reminder job; returns how many reminders it decided."""
    from committee.notifications import reminders

    day = datetime.date.fromisoformat(today) if today else None
    return reminders.run(today=day)


@task()
def send_digests(today: str | None = None) -> int:
    """The weekly digest job; returns how many digests it queued."""
    from committee.notifications import digest

    day = datetime.date.fromisoformat(today) if today else None
    return digest.run(today=day)


@task()
def notify(event: str, pk: int) -> int:
    """Tell the people concerned of one event (events.py); returns how many mails it queued."""
    from committee.notifications import notices

    with transaction.atomic():
        return len(notices.NOTICES[event](pk))
