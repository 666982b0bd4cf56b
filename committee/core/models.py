"""What the shared machinery keeps in the database: the PDFs the worker makes.

A Rendering is one PDF asked of the background worker (committee/core/renderings.py): what
it is (`kind` and a `key` that its app composes from what the document shows), how far it
got, and, once ready, the stored file and its SHA-256. Pages read it to show progress and
offer the file. The domain apps name their documents here by kind only; this app imports
none of them.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.core.downloads import CheckedFileField
from committee.core.uploads import random_path


def rendering_upload_to(instance, filename: str) -> str:
    return random_path("renderings", filename)


class RenderingQuerySet(models.QuerySet):
    def of(self, kind: str, key: str) -> "RenderingQuerySet":
        return self.filter(kind=kind, key=key)

    def pending(self) -> "RenderingQuerySet":
        return self.filter(status__in=Rendering.PENDING)

    def ready(self) -> "RenderingQuerySet":
        return self.filter(status=Rendering.Status.READY)

    def latest_first(self) -> "RenderingQuerySet":
        return self.order_by("-requested_at", "-pk")


class Rendering(models.Model):
    """One PDF made by the worker, from the moment it is asked for until it is ready (or has
    failed, or is no longer needed because what it would show has changed)."""

    class Kind(models.TextChoices):
        # The approved minutes' record, sealed: kept on the minutes (Minutes.pdf), where
        # verification and re-opening find it; this row only tells how its making went.
        MINUTES_RECORD = "minutes_record", _("Sealed record of approved minutes")
        # An edition of circulated or approved minutes in a language (or two side by side):
        # made once for the state it shows, then served from storage.
        MINUTES_EDITION = "minutes_edition", _("Edition of the minutes")
        # The implementation matrix as of a moment: made again when asked after a while.
        IMPLEMENTATION_REPORT = "implementation_report", _("Implementation matrix")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting its turn")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("No longer needed")

    # Still waiting this long after it was asked for: the worker may be stopped, and the
    # page says so rather than promise the file forever.
    OVERDUE_AFTER = datetime.timedelta(minutes=5)
    PENDING = (Status.QUEUED, Status.RUNNING)
    # Kinds whose key names one fixed state of a document: ready once, then served as it is.
    # A report's key names a query, whose answer changes with the data: it is made again.
    RENEWABLE = (Kind.IMPLEMENTATION_REPORT,)

    # Random: the address of a rendering's page does not tell how many others exist.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    key = models.CharField(_("what is rendered"), max_length=255)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.QUEUED)
    # No address of its own: the pages of each kind hand it out (the minutes' PDF view, the
    # report's), and they know who may have it.
    file = CheckedFileField(_("file"), upload_to=rendering_upload_to, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(
        _("what went wrong"), blank=True, help_text=_("Why it failed or was not needed.")
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = RenderingQuerySet.as_manager()

    class Meta:
        verbose_name = _("PDF rendering")
        verbose_name_plural = _("PDF renderings")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["kind", "key"], name="rendering_kind_key")]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=["minutes_record", "minutes_edition", "implementation_report"]
                ),
                name="rendering_kind_known",
                violation_error_message=_("Unknown kind of rendering."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "ready", "failed", "cancelled"]),
                name="rendering_status_known",
                violation_error_message=_("Unknown status of rendering."),
            ),
            # Asking twice for the same document while it is being made queues it once.
            models.UniqueConstraint(
                fields=["kind", "key"],
                condition=Q(status__in=["queued", "running"]),
                name="rendering_one_pending_per_key",
                violation_error_message=_("This document is already being prepared."),
            ),
            # A fixed state of a document is made once (two requests racing to store it: one
            # wins); a report may be made again later.
            models.UniqueConstraint(
                fields=["kind", "key"],
                condition=Q(status="ready") & ~Q(kind__in=["implementation_report"]),
                name="rendering_one_ready_per_fixed_key",
                violation_error_message=_("This document is already prepared."),
            ),
            models.CheckConstraint(
                condition=Q(sha256="") | Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="rendering_sha256_hex",
                violation_error_message=_("The checksum must be 64 hexadecimal digits."),
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | ~Q(sha256=""),
                name="rendering_ready_has_checksum",
                violation_error_message=_("A ready rendering must have its checksum."),
            ),
            # The sealed record lives on the minutes; every other ready rendering here.
            models.CheckConstraint(
                condition=~Q(status="ready") | ~Q(file="") | Q(kind="minutes_record"),
                name="rendering_ready_has_file",
                violation_error_message=_("A ready rendering must have its file."),
            ),
            models.CheckConstraint(
                condition=Q(file="") | Q(status="ready"),
                name="rendering_file_only_when_ready",
                violation_error_message=_("Only a ready rendering has a file."),
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""),
                name="rendering_failure_says_why",
                violation_error_message=_("A failed rendering says what went wrong."),
            ),
            models.CheckConstraint(
                condition=(Q(status__in=["queued", "running"]) & Q(finished_at__isnull=True))
                | (~Q(status__in=["queued", "running"]) & Q(finished_at__isnull=False)),
                name="rendering_finished_when_done",
                violation_error_message=_(
                    "A rendering has a finish time if, and only if, it has stopped."
                ),
            ),
        ]

    def __str__(self):
        return _("%(kind)s (%(status)s)") % {
            "kind": self.get_kind_display(),
            "status": self.get_status_display(),
        }

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_overdue(self) -> bool:
        return self.is_pending and timezone.now() - self.requested_at > self.OVERDUE_AFTER
