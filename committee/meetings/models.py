"""Sessions of a committee: agenda, attendance and minutes.

Sector lives here rather than with agreements because agenda items carry one too, and
dependencies run one way (agreements → meetings → members).
"""

import datetime
import zoneinfo

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from committee.core import freshness, history, versioning
from committee.core.downloads import CheckedFileField
from committee.core.text import (
    MultiLineField,
    OneLineField,
    in_every_language,
    plain_texts_constraint,
)
from committee.core.uploads import minutes_pdf_upload_to
from committee.meetings import session_lock
from committee.meetings.session_lock import refuse_if_minutes_approved
from committee.members.models import Committee, Member, Party


class Sector(models.Model):
    """A field of cooperation: trade, mining, transport, banking, …"""

    name = OneLineField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("short code"), max_length=50, unique=True)

    class Meta:
        triggers = [freshness.data_changed()]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]
        constraints = [
            plain_texts_constraint("sector_texts_plain", one_line=in_every_language("name")),
        ]

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
    title = OneLineField(_("title"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = OneLineField(
        _("time zone of the venue"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Dates are shown in this zone, e.g. Asia/Kabul or Asia/Almaty."),
    )
    venue = OneLineField(_("venue"), max_length=300, blank=True)
    city = OneLineField(_("city"), max_length=100)
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
            plain_texts_constraint(
                "meeting_texts_plain",
                one_line=[*in_every_language("title", "venue", "city"), "time_zone"],
            ),
        ]
        triggers = [
            session_lock.meeting_lock(),
            versioning.count_versions(),
            freshness.data_changed(),
        ]

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
        OTHER_BUSINESS = "other_business", _("Any other business")
        NEXT_SESSION = "next_session", _("Date and place of the next session")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind, default=Kind.REGULAR)
    position = models.PositiveSmallIntegerField(_("item number"), validators=[MinValueValidator(1)])
    title = OneLineField(_("title"), max_length=500)
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
    discussion = MultiLineField(_("discussion summary"), blank=True)
    decision = MultiLineField(_("decision"), blank=True)
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
            plain_texts_constraint(
                "agenda_item_texts_plain",
                one_line=in_every_language("title"),
                multi_line=in_every_language("discussion", "decision"),
            ),
        ]
        triggers = [
            session_lock.child_lock(),
            versioning.count_versions(),
            freshness.data_changed(),
        ]

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


HEAD_TAKEN_MESSAGE = _("Another member already heads this party's delegation at this session.")


def one_head_per_delegation() -> pgtrigger.Trigger:
    """At most one head of delegation per party and session. A unique constraint cannot say
    it: the party is the member's, on another table."""
    attendance, member = "meetings_attendance", "members_member"
    return pgtrigger.Trigger(
        name="one_head_per_delegation",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update,
        condition=pgtrigger.Q(new__heads_delegation=True),
        func=f"""
            IF EXISTS (
                SELECT 1 FROM {attendance} a
                JOIN {member} m ON m.id = a.member_id
                WHERE a.meeting_id = NEW.meeting_id AND a.heads_delegation AND a.id <> NEW.id
                AND m.party_id = (SELECT party_id FROM {member} WHERE id = NEW.member_id)
            ) THEN
                RAISE EXCEPTION 'Another member already heads this party''s delegation at this session.'
                    USING ERRCODE = 'unique_violation', CONSTRAINT = 'one_head_per_delegation';
            END IF;
            RETURN NEW;
        """,  # noqa: S608, E501 (our own table names; one message)
    )


@history.tracked()
class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        REMOTE = "remote", _("Present remotely")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    PRESENT_STATUSES = (Status.PRESENT, Status.REMOTE)

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("member")
    )
    status = models.CharField(
        _("attendance"), max_length=20, choices=Status, default=Status.PRESENT
    )
    note = OneLineField(_("note"), max_length=300, blank=True)
    heads_delegation = models.BooleanField(
        _("head of delegation"),
        default=False,
        help_text=_(
            "The person who led this party's delegation at the session: co-chair of the "
            "session, who approves and signs its minutes."
        ),
    )

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
            models.CheckConstraint(
                condition=Q(heads_delegation=False) | Q(status__in=["present", "remote"]),
                name="attendance_head_is_present",
                violation_error_message=_("The head of a delegation attended the session."),
            ),
            plain_texts_constraint("attendance_texts_plain", one_line=["note"]),
        ]
        triggers = [session_lock.child_lock(), one_head_per_delegation()]

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
        if self.heads_delegation and self.member_id and self.member.role == Member.Role.OBSERVER:
            raise ValidationError(
                {"heads_delegation": _("An observer does not head a delegation.")}
            )
        if self.heads_delegation and self.member_id and self.meeting_id:
            others = Attendance.objects.filter(
                meeting=self.meeting_id,
                member__party=self.member.party_id,
                heads_delegation=True,
            ).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError({"heads_delegation": HEAD_TAKEN_MESSAGE})


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
    next_session = MultiLineField(
        _("next session"),
        blank=True,
        help_text=_("What was agreed on the date and place of the next session."),
    )
    done_at = OneLineField(_("done at (place)"), max_length=100, blank=True)
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
    comment_deadline = models.DateTimeField(
        _("comments until"),
        null=True,
        blank=True,
        help_text=_("Delegations comment on the circulated draft until this moment."),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("approved by"),
    )
    pdf = CheckedFileField(
        _("approved PDF"),
        upload_to=minutes_pdf_upload_to,
        blank=True,
        download_url=lambda minutes: reverse("meetings:minutes_pdf", args=[minutes.meeting_id]),
    )
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
            plain_texts_constraint(
                "minutes_texts_plain",
                one_line=in_every_language("done_at"),
                multi_line=in_every_language("next_session"),
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

    @property
    def record_pending(self) -> bool:
        """Approved, and the sealed PDF not stored yet: the worker makes it after the last
        approval (committee/meetings/tasks.py)."""
        return self.is_approved and not self.pdf


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
    reason = MultiLineField(_("reason"))
    previous_pdf_sha256 = models.CharField(
        _("SHA-256 of the superseded PDF"), max_length=64, blank=True
    )
    superseded_pdf = CheckedFileField(
        _("superseded PDF"),
        upload_to=minutes_pdf_upload_to,
        blank=True,
        download_url=lambda reopening: reverse(
            "meetings:minutes_superseded_pdf",
            args=[reopening.minutes.meeting_id, reopening.pk],
        ),
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
            plain_texts_constraint("minutes_reopening_texts_plain", multi_line=["reason"]),
        ]

    def __str__(self):
        return _("%(minutes)s re-opened") % {"minutes": self.minutes}


@history.tracked()
class MinutesCirculation(models.Model):
    """One version of the minutes as sent to the delegations: its texts, kept as they were,
    so that the next version can show what changed, and so that an approval names the text
    it approved."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="circulations", verbose_name=_("minutes")
    )
    number = models.PositiveSmallIntegerField(_("version"), validators=[MinValueValidator(1)])
    circulated_at = models.DateTimeField(_("circulated at"))
    circulated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("circulated by"),
    )
    comment_deadline = models.DateTimeField(_("comments until"))
    texts = models.JSONField(_("texts as circulated"))
    digest = models.CharField(_("SHA-256 of the texts"), max_length=64)

    class Meta:
        verbose_name = _("circulated version of minutes")
        verbose_name_plural = _("circulated versions of minutes")
        ordering = ["minutes", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "number"],
                name="minutes_circulation_number_unique",
                violation_error_message=_("This version of the minutes was already circulated."),
            ),
            models.CheckConstraint(
                condition=Q(digest__regex=r"^[0-9a-f]{64}$"),
                name="minutes_circulation_digest_hex",
                violation_error_message=_("The checksum must be 64 hexadecimal digits."),
            ),
            models.CheckConstraint(
                condition=Q(comment_deadline__gt=F("circulated_at")),
                name="minutes_circulation_deadline_after",
                violation_error_message=_("The deadline for comments must come after circulation."),
            ),
        ]

    def __str__(self):
        return _("%(minutes)s, version %(number)s") % {
            "minutes": self.minutes,
            "number": self.number,
        }


@history.tracked()
class MinutesComment(models.Model):
    """A delegation's comment on a circulated draft, and the secretariat's answer to it."""

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        ACCEPTED_WITH_CHANGES = "accepted_with_changes", _("Accepted with changes")
        DECLINED = "declined", _("Declined")

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="comments", verbose_name=_("minutes")
    )
    circulation = models.ForeignKey(
        MinutesCirculation,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("version commented on"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        related_name="comments",
        null=True,
        blank=True,
        verbose_name=_("agenda item"),
        help_text=_("Leave empty for a comment on the minutes as a whole."),
    )
    paragraph = OneLineField(_("paragraph"), max_length=20, blank=True, help_text=_("e.g. 3.2"))
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("delegation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    text = MultiLineField(_("comment"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    answer = models.CharField(_("answer"), max_length=30, choices=Answer, blank=True)
    answer_reason = MultiLineField(_("reason"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment on minutes")
        verbose_name_plural = _("comments on minutes")
        ordering = ["minutes", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="minutes_comment_has_text",
                violation_error_message=_("Write the comment."),
            ),
            models.CheckConstraint(
                condition=Q(answer="", answered_at__isnull=True, answered_by__isnull=True)
                | (~Q(answer="") & Q(answered_at__isnull=False, answered_by__isnull=False)),
                name="minutes_comment_answer_recorded",
                violation_error_message=_("An answer says who answered and when."),
            ),
            models.CheckConstraint(
                condition=Q(answer="") | Q(answer="accepted") | ~Q(answer_reason=""),
                name="minutes_comment_reason_unless_accepted",
                violation_error_message=_(
                    "Give the reason when a comment is declined or accepted with changes."
                ),
            ),
            plain_texts_constraint(
                "minutes_comment_texts_plain",
                one_line=["paragraph"],
                multi_line=["text", "answer_reason"],
            ),
        ]

    def __str__(self):
        return _("Comment of %(party)s on %(minutes)s") % {
            "party": self.party,
            "minutes": self.minutes,
        }

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)


@history.tracked()
class MinutesApproval(models.Model):
    """A delegation's approval of the minutes by its head of delegation (the session's
    co-chair): in the portal, confirmed with the password, or signed on paper and recorded
    by the secretariat with the scan. Re-opening or re-circulating the minutes withdraws
    the approvals given (they are kept, marked withdrawn)."""

    class Method(models.TextChoices):
        PORTAL = "portal", _("In the portal")
        PAPER = "paper", _("Signed on paper")

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("minutes")
    )
    circulation = models.ForeignKey(
        MinutesCirculation,
        on_delete=models.CASCADE,
        related_name="approvals",
        verbose_name=_("version approved"),
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("delegation")
    )
    signatory = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("signed by")
    )
    method = models.CharField(_("how"), max_length=10, choices=Method)
    approved_at = models.DateTimeField(_("approved at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    client_ip = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_at = OneLineField(_("signed at (place)"), max_length=100, blank=True)
    scan = CheckedFileField(
        _("scan of the signed page"),
        upload_to=minutes_pdf_upload_to,
        blank=True,
        download_url=lambda approval: reverse(
            "meetings:minutes_scan", args=[approval.minutes.meeting_id, approval.pk]
        ),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval of minutes")
        verbose_name_plural = _("approvals of minutes")
        ordering = ["minutes", "approved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "party"],
                condition=Q(withdrawn_at__isnull=True),
                name="minutes_one_approval_per_delegation",
                violation_error_message=_("This delegation has already approved these minutes."),
            ),
            models.CheckConstraint(
                condition=Q(method="portal")
                | (Q(signed_on__isnull=False) & ~Q(signed_at="") & ~Q(scan="")),
                name="minutes_paper_approval_complete",
                violation_error_message=_(
                    "A signature on paper is recorded with its date, its place and the scan."
                ),
            ),
            plain_texts_constraint("minutes_approval_texts_plain", one_line=["signed_at"]),
        ]

    def __str__(self):
        return _("Approval of %(minutes)s for %(party)s") % {
            "minutes": self.minutes,
            "party": self.party,
        }
