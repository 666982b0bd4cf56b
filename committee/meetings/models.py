"""Sessions of a committee: agenda, attendance and minutes.

Sector lives here rather than with agreements because agenda items carry one too, and
dependencies run one way (agreements → meetings → members).
"""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from committee.core import history, versioning
from committee.core.uploads import minutes_pdf_upload_to
from committee.meetings import session_lock
from committee.meetings.session_lock import refuse_if_minutes_approved
from committee.members.models import Committee, Member, Party


class Sector(models.Model):
    """A field of cooperation: trade, mining, transport, banking, …"""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("short code"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]

    def __str__(self):
        return self.name


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a known time zone (use a name such as Asia/Kabul)."),
            params={"value": value},
        )


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now: datetime.datetime) -> "MeetingQuerySet":
        return self.filter(ends_at__gte=now, status=Meeting.Status.PLANNED).order_by("starts_at")


class Meeting(versioning.Versioned):
    """A session of a committee, numbered in order (the Nth meeting)."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Hybrid")
        ONLINE = "online", _("Online")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("committee")
    )
    number = models.PositiveSmallIntegerField(
        _("session number"), validators=[MinValueValidator(1)]
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone of the venue"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Dates are shown in this zone, e.g. Asia/Kabul or Asia/Almaty."),
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100)
    host_party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
        null=True,
        blank=True,
        verbose_name=_("host party"),
    )
    format = models.CharField(_("format"), max_length=20, choices=Format, default=Format.IN_PERSON)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "number"],
                name="meeting_number_unique_per_committee",
                violation_error_message=_("This committee already has a session with this number."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("A meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="meeting_number_positive",
                violation_error_message=_("Session numbers start at 1."),
            ),
        ]
        triggers = [session_lock.meeting_lock(), versioning.count_versions()]

    def __str__(self):
        return self.title or _("%(committee)s, session %(number)s") % {
            "committee": self.committee,
            "number": self.number,
        }

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    @property
    def minutes_approved(self) -> bool:
        """Approved minutes lock the meeting, its agenda and attendance (a trigger enforces it)."""
        minutes = getattr(self, "minutes", None) if self.pk else None
        return minutes is not None and minutes.is_approved

    def minutes_exist_beyond_draft(self) -> bool:
        """Minutes circulated or approved (a fresh read, not a cached relation)."""
        return (
            Minutes.objects.filter(meeting_id=self.pk).exclude(status=Minutes.Status.DRAFT).exists()
        )

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def clean(self):
        refuse_if_minutes_approved(self.pk)
        if (
            self.host_party_id
            and self.committee_id
            and not self.committee.parties.filter(pk=self.host_party_id).exists()
        ):
            raise ValidationError({"host_party": _("The host party is not on this committee.")})


class AgendaItem(versioning.Versioned):
    """One numbered item of a session's agenda, with what was said and decided."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not yet discussed")
        NOTED = "noted", _("Noted")
        AGREED = "agreed", _("Agreed")
        INSTRUCTED = "instructed", _("Instructions given")
        DEFERRED = "deferred", _("Deferred")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular item")
        IMPLEMENTATION_REVIEW = "implementation_review", _("Review of implementation")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind, default=Kind.REGULAR)
    position = models.PositiveSmallIntegerField(_("item number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=500)
    presenter = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        related_name="presented_items",
        null=True,
        blank=True,
        verbose_name=_("presenter"),
    )
    sector = models.ForeignKey(
        Sector,
        on_delete=models.PROTECT,
        related_name="agenda_items",
        null=True,
        blank=True,
        verbose_name=_("sector"),
    )
    discussion = models.TextField(_("discussion summary"), blank=True)
    decision = models.TextField(_("decision"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome, default=Outcome.PENDING
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agenda_position_unique_per_meeting",
                violation_error_message=_("Another agenda item of this meeting has this number."),
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1),
                name="agenda_position_positive",
                violation_error_message=_("Agenda items are numbered from 1."),
            ),
        ]
        triggers = [session_lock.child_lock(), versioning.count_versions()]

    def __str__(self):
        return f"{self.position}. {self.title}"

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.meeting_id]) + f"#item-{self.position}"

    def clean(self):
        refuse_if_minutes_approved(self.meeting_id)
        if (
            self.presenter_id
            and self.meeting_id
            and self.presenter.committee_id != self.meeting.committee_id
        ):
            raise ValidationError({"presenter": _("The presenter is not on this committee.")})


@history.tracked()
class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        REMOTE = "remote", _("Present remotely")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("member")
    )
    status = models.CharField(
        _("attendance"), max_length=20, choices=Status, default=Status.PRESENT
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "member__party__name", "member__role", "member__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="attendance_once_per_member_and_meeting",
                violation_error_message=_("This member's attendance is already recorded."),
            ),
        ]
        triggers = [session_lock.child_lock()]

    def __str__(self):
        return f"{self.member} — {self.get_status_display()}"

    def clean(self):
        refuse_if_minutes_approved(self.meeting_id)
        if (
            self.member_id
            and self.meeting_id
            and self.member.committee_id != self.meeting.committee_id
        ):
            raise ValidationError({"member": _("This person is not on the meeting's committee.")})


class Minutes(versioning.Versioned):
    """The official record of a session: draft, then circulated, then approved and locked."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated for comment")
        APPROVED = session_lock.APPROVED, _("Approved")

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("meeting")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    next_session = models.TextField(
        _("next session"),
        blank=True,
        help_text=_("What was agreed on the date and place of the next session."),
    )
    done_at = models.CharField(_("done at (place)"), max_length=100, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    original_count = models.PositiveSmallIntegerField(
        _("number of originals"), default=2, validators=[MinValueValidator(1)]
    )
    authentic_languages = ArrayField(
        models.CharField(max_length=8, choices=settings.CONTENT_LANGUAGES),
        verbose_name=_("equally authentic languages"),
        default=list,
        blank=True,
    )
    prevailing_language = models.CharField(
        _("prevailing text in case of divergence"),
        max_length=8,
        choices=settings.CONTENT_LANGUAGES,
        blank=True,
    )
    circulated_at = models.DateTimeField(_("circulated at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("approved by"),
    )
    pdf = models.FileField(_("approved PDF"), upload_to=minutes_pdf_upload_to, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the approved PDF"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["-meeting__starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="minutes_approval_recorded",
                violation_error_message=_("Approved minutes must say who approved them and when."),
            ),
            models.CheckConstraint(
                condition=Q(pdf_sha256="") | Q(pdf_sha256__regex=r"^[0-9a-f]{64}$"),
                name="minutes_pdf_sha256_hex",
                violation_error_message=_("The checksum must be 64 hexadecimal digits."),
            ),
            models.CheckConstraint(
                condition=Q(original_count__gte=1),
                name="minutes_at_least_one_original",
                violation_error_message=_("There is at least one original."),
            ),
        ]
        triggers = [session_lock.MinutesLock(), versioning.count_versions()]

    def __str__(self):
        return _("Minutes of %(meeting)s") % {"meeting": self.meeting}

    def get_absolute_url(self):
        return reverse("meetings:minutes", args=[self.meeting_id])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_circulated(self) -> bool:
        return self.status == self.Status.CIRCULATED

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


@history.tracked()
class MinutesReopening(models.Model):
    """Approved minutes were opened again for a change: who, when and why."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="reopenings", verbose_name=_("minutes")
    )
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("re-opened by"),
    )
    reopened_at = models.DateTimeField(_("re-opened at"), auto_now_add=True)
    reason = models.TextField(_("reason"))
    previous_pdf_sha256 = models.CharField(
        _("SHA-256 of the superseded PDF"), max_length=64, blank=True
    )
    superseded_pdf = models.FileField(
        _("superseded PDF"), upload_to=minutes_pdf_upload_to, blank=True
    )

    class Meta:
        verbose_name = _("re-opening of minutes")
        verbose_name_plural = _("re-openings of minutes")
        ordering = ["-reopened_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="minutes_reopening_has_reason",
                violation_error_message=_("Say why the minutes are re-opened."),
            ),
        ]

    def __str__(self):
        return _("%(minutes)s re-opened") % {"minutes": self.minutes}
