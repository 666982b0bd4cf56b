"""The outbox, what each user wants mailed, the record of reminders sent, and the worker's
own bookkeeping (its schedule and who is alive)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Topic(models.TextChoices):
    """What a user can choose to get, each topic one or more kinds of mail."""

    REMINDERS = "reminders", _("Reminders of pledges due and overdue")
    UPDATES = "updates", _("Updates on pledges that involve my delegation")
    MINUTES = "minutes", _("Minutes circulated, comments answered, minutes approved or re-opened")
    DIGEST = "digest", _("A weekly digest of my committee's pledges")


class MailSettings(models.Model):
    """Which mails a user gets. A user without a row gets the defaults: every topic, the weekly
    digest included, since a follow-up that waits to be asked for follows nothing up."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mail_settings",
        verbose_name=_("user"),
    )
    reminders = models.BooleanField(Topic.REMINDERS.label, default=True)
    updates = models.BooleanField(Topic.UPDATES.label, default=True)
    minutes = models.BooleanField(Topic.MINUTES.label, default=True)
    digest = models.BooleanField(Topic.DIGEST.label, default=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("mail settings")
        verbose_name_plural = _("mail settings")

    def __str__(self):
        return str(self.user)

    def wants(self, topic: str) -> bool:
        return getattr(self, topic)


class Reminder(models.Model):
    """A reminder decided for one pledge at one milestone of one due date: written in the
    transaction that queues its mails, and unique, so it goes once however often, and on
    however many workers, the reminder job runs. A changed due date starts again."""

    class Milestone(models.TextChoices):
        DUE_14 = "due_14", _("Due in 14 days")
        DUE_7 = "due_7", _("Due in 7 days")
        DUE_1 = "due_1", _("Due tomorrow")
        OVERDUE = "overdue", _("Overdue")
        ESCALATED = "escalated", _("Overdue by more than 30 days: to the head of delegation")

    pledge = models.ForeignKey(
        "agreements.Pledge",
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("pledge"),
    )
    milestone = models.CharField(_("milestone"), max_length=20, choices=Milestone)
    due_on = models.DateField(_("due date"))
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "milestone", "due_on"], name="reminder_once_per_milestone"
            )
        ]

    def __str__(self):
        return f"{self.pledge} · {self.get_milestone_display()} · {self.due_on.isoformat()}"


class Mail(models.Model):
    """One mail to one person, composed in their language when it was decided, and queued in
    the same transaction as the decision; the worker delivers it."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        ESCALATION = "escalation", _("Escalation")
        PLEDGE_UPDATE = "pledge_update", _("Update on a pledge")
        MINUTES_CIRCULATED = "minutes_circulated", _("Minutes circulated")
        COMMENT_ANSWERED = "comment_answered", _("Comment answered")
        MINUTES_APPROVED = "minutes_approved", _("Minutes approved")
        MINUTES_REOPENED = "minutes_reopened", _("Minutes re-opened")
        DIGEST = "digest", _("Weekly digest")

    TOPICS = {
        Kind.REMINDER: Topic.REMINDERS,
        Kind.ESCALATION: Topic.REMINDERS,
        Kind.PLEDGE_UPDATE: Topic.UPDATES,
        Kind.MINUTES_CIRCULATED: Topic.MINUTES,
        Kind.COMMENT_ANSWERED: Topic.MINUTES,
        Kind.MINUTES_APPROVED: Topic.MINUTES,
        Kind.MINUTES_REOPENED: Topic.MINUTES,
        Kind.DIGEST: Topic.DIGEST,
    }

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", pgettext_lazy("mail", "Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="mails",
        verbose_name=_("recipient"),
    )
    to = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"))
    event = models.CharField(
        _("event"),
        max_length=100,
        blank=True,
        help_text=_(
            "The event the mail reports, e.g. “minutes-circulated:12”; each person is told of "
            "it once."
        ),
    )
    reminder = models.ForeignKey(
        Reminder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mails",
        verbose_name=_("reminder"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mail")
        verbose_name_plural = _("outbox mails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="mail_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False)
                | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="mail_sent_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""), name="mail_failure_has_reason"
            ),
            models.UniqueConstraint(
                fields=["recipient", "event"],
                condition=~Q(event=""),
                name="mail_once_per_event",
            ),
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class ScheduledRun(models.Model):
    """A scheduled job claimed for one period (a day, a week): unique, so of several workers
    only one queues it."""

    job = models.CharField(_("job"), max_length=50)
    period = models.CharField(_("period"), max_length=20)
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-queued_at"]
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="scheduled_run_once")]

    def __str__(self):
        return f"{self.job} {self.period}"


class Worker(models.Model):
    """A worker process, as it last reported: the health check and the other workers read it."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process"))
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen at"), db_index=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["-seen_at"]

    def __str__(self):
        return f"{self.worker_id} ({self.host}:{self.pid})"
