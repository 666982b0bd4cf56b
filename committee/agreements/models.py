"""The agreement register, the pledges inside agreements, and their follow-up updates."""

import datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from committee.core import calendars, freshness, history, versioning
from committee.core.downloads import CheckedFileField
from committee.core.text import (
    MultiLineField,
    OneLineField,
    in_every_language,
    plain_texts_constraint,
)
from committee.core.uploads import (
    agreement_document_upload_to,
    evidence_upload_to,
    sha256_of,
    validate_upload,
)
from committee.meetings import session_lock
from committee.meetings.models import AgendaItem, Meeting, Sector
from committee.meetings.session_lock import refuse_if_minutes_approved
from committee.members import rules
from committee.members.models import Committee, Member, Organization, Party

PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]
# Dates outside these are typing mistakes (9999, 0202), like baseline years outside 1900-2100;
# a year 9999 also broke the admin's date drill-down, which reaches for the year after.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DUE_DATE = datetime.date(2100, 12, 31)


class Agreement(models.Model):
    """An instrument in the committee's register: MoU, protocol, agreement, joint statement…"""

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        PROTOCOL = "protocol", _("Protocol")
        AGREEMENT = "agreement", _("Agreement")
        JOINT_STATEMENT = "joint_statement", _("Joint statement")
        MEETING_DECISION = "meeting_decision", _("Meeting decision")

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("committee")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.AGREEMENT)
    reference = OneLineField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("Register number, e.g. AF-KZ/2026/1"),
    )
    title = OneLineField(_("title"), max_length=500)
    summary = MultiLineField(_("summary"), blank=True)
    parties = models.ManyToManyField(
        Party, related_name="agreements", verbose_name=_("parties"), blank=True
    )
    signatories = models.ManyToManyField(
        Member, related_name="signed_agreements", verbose_name=_("signatories"), blank=True
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        related_name="agreements",
        null=True,
        blank=True,
        verbose_name=_("concluded at meeting"),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_at = OneLineField(_("signed at (place)"), max_length=100, blank=True)
    entry_into_force_on = models.DateField(_("entry into force"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    authentic_languages = ArrayField(
        models.CharField(max_length=8, choices=settings.CONTENT_LANGUAGES),
        verbose_name=_("equally authentic languages"),
        default=list,
        blank=True,
    )
    document = CheckedFileField(
        _("signed document"),
        upload_to=agreement_document_upload_to,
        download_url=lambda agreement: reverse("agreements:document", args=[agreement.pk]),
        blank=True,
        validators=[validate_upload],
    )
    document_sha256 = models.CharField(
        _("SHA-256 of the signed document"), max_length=64, blank=True
    )

    class Meta:
        triggers = [freshness.data_changed()]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "reference"],
                condition=~Q(reference=""),
                name="agreement_reference_unique_per_committee",
                violation_error_message=_(
                    "Another agreement of this committee has this reference."
                ),
            ),
            models.CheckConstraint(
                condition=Q(entry_into_force_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(entry_into_force_on__gte=F("signed_on")),
                name="agreement_in_force_not_before_signature",
                violation_error_message=_(
                    "An agreement cannot enter into force before it is signed."
                ),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(expires_on__gt=F("signed_on")),
                name="agreement_expires_after_signature",
                violation_error_message=_("An agreement must expire after it is signed."),
            ),
            models.CheckConstraint(
                condition=Q(document_sha256="") | Q(document_sha256__regex=r"^[0-9a-f]{64}$"),
                name="agreement_document_sha256_hex",
                violation_error_message=_("The checksum must be 64 hexadecimal digits."),
            ),
            plain_texts_constraint(
                "agreement_texts_plain",
                one_line=[*in_every_language("title", "signed_at"), "reference"],
                multi_line=in_every_language("summary"),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}" if self.reference else self.title

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The document whose checksum is stored; read without loading a deferred field.
        loaded = self.__dict__.get("document")
        self._checksummed_document = getattr(loaded, "name", loaded) or ""

    def save(self, **kwargs):
        # The checksum follows the signed document whoever stores it: the admin, a script, a
        # data migration. A new name, or a file not yet in storage, is a new document.
        name = self.document.name or ""
        if not name:
            self.document_sha256 = ""
        elif name != self._checksummed_document or not self.document._committed:
            self.document_sha256 = sha256_of(self.document)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "document" in update_fields:
            kwargs["update_fields"] = {*update_fields, "document_sha256"}
        super().save(**kwargs)
        self._checksummed_document = self.document.name or ""

    def get_absolute_url(self):
        return reverse("agreements:detail", args=[self.pk])

    def clean(self):
        if self.meeting_id and self.committee_id and self.meeting.committee_id != self.committee_id:
            raise ValidationError({"meeting": _("The meeting belongs to another committee.")})


def pledge_reference(
    number: int, *, agreement_reference: str | None, session: tuple[int, int] | None
) -> str:
    """How officials cite a pledge: "AF-KZ/1 §3" in an agreement with a reference, "S1/7.1"
    for pledge 1 of item 7 of session 1 (`session`: the meeting's number and the item's
    position), else "#3". A function of plain values, for lists read without model instances
    (the exports)."""
    if agreement_reference:
        return f"{agreement_reference} §{number}"
    if session is not None:
        return f"S{session[0]}/{session[1]}.{number}"
    return f"#{number}"


def past_due(due_on: datetime.date | None, status: str, today: datetime.date) -> bool:
    """Open and past its due date (PledgeQuerySet.overdue() is the same rule in SQL)."""
    return bool(due_on) and due_on < today and status not in Pledge.CLOSED_STATUSES


class DueWindow(models.TextChoices):
    """The due-date windows that the tracker and the admin filter pledges by."""

    OVERDUE = "overdue", _("Overdue")
    WEEK = "7", _("Due within 7 days")
    MONTH = "30", _("Due within 30 days")
    QUARTER = "90", _("Due within 90 days")
    NO_DATE = "none", _("No due date")


def overdue_condition(today: datetime.date) -> Q:
    """PledgeQuerySet.overdue() as a condition, to count with (Count(filter=...))."""
    return ~Q(status__in=Pledge.CLOSED_STATUSES) & Q(due_on__lt=today)


def due_within_condition(today: datetime.date, days: int) -> Q:
    """Open pledges due from today to `days` days ahead."""
    return ~Q(status__in=Pledge.CLOSED_STATUSES) & Q(
        due_on__gte=today, due_on__lte=today + datetime.timedelta(days)
    )


def _of_latest_update(field: str) -> Subquery:
    """A column of each pledge's latest update, by a subquery down the pledge_update_latest
    index rather than Max() over a join: the join groups every pledge's updates before any
    LIMIT, while PostgreSQL runs the subquery only for the rows a page shows (unless the list
    is sorted by it)."""
    latest = PledgeUpdate.objects.filter(pledge=OuterRef("pk")).order_by("-created_at", "-pk")
    return Subquery(latest.values(field)[:1])


# What for_listing() leaves unread (modeltranslation adds each language's column).
LISTING_DEFERRED = (
    "description",
    "committee__mandate",
    "agreement__summary",
    "agenda_item__discussion",
    "agenda_item__decision",
)


class PledgeQuerySet(models.QuerySet):
    def visible_to(self, user: AbstractBaseUser) -> "PledgeQuerySet":
        return rules.scope_to_committees(self, user)

    def for_listing(self) -> "PledgeQuerySet":
        """What a list row shows, in one query: related names (who owes it: the party, the lead
        organization, the focal point) and the latest update's time. The long texts no row
        shows (a pledge's description, an agreement's summary, an agenda item's discussion
        and decision, a committee's mandate, each in every language) are left in the
        database: they were most of the bytes read and of the fields set per row."""
        return (
            self.select_related(
                "committee",
                "agreement",
                "agenda_item__meeting",
                "responsible_party",
                "lead_organization",
                "focal_point",
                "sector",
            )
            .defer(*LISTING_DEFERRED)
            .annotate(last_update_at=_of_latest_update("created_at"))
        )

    def with_latest_update(self) -> "PledgeQuerySet":
        """Each pledge with the time and note of its latest update (None without one), as
        `latest_update_at` and `latest_note`."""
        return self.annotate(
            latest_update_at=_of_latest_update("created_at"),
            latest_note=_of_latest_update("note"),
        )

    def open(self) -> "PledgeQuerySet":
        return self.exclude(status__in=Pledge.CLOSED_STATUSES)

    def overdue(self, today: datetime.date) -> "PledgeQuerySet":
        """Open pledges whose due date has passed: the SQL twin of Pledge.is_overdue()."""
        return self.filter(overdue_condition(today))

    def due_within(self, today: datetime.date, days: int) -> "PledgeQuerySet":
        return self.filter(due_within_condition(today, days))

    def in_due_window(self, window: str, today: datetime.date) -> "PledgeQuerySet":
        """The pledges of one DueWindow; an unknown window filters nothing."""
        match window:
            case DueWindow.OVERDUE:
                return self.overdue(today)
            case DueWindow.NO_DATE:
                return self.filter(due_on__isnull=True)
            case DueWindow.WEEK | DueWindow.MONTH | DueWindow.QUARTER:
                return self.due_within(today, int(window))
        return self


class Pledge(versioning.Versioned):
    """A numbered commitment inside an agreement, or arising from an agenda item."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        AT_RISK = "at_risk", _("At risk")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    CLOSED_STATUSES = (Status.COMPLETED, Status.CANCELLED)

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("committee")
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="pledges",
        null=True,
        blank=True,
        verbose_name=_("agreement"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        related_name="pledges",
        null=True,
        blank=True,
        verbose_name=_("arising from agenda item"),
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = OneLineField(_("title"), max_length=500)
    description = MultiLineField(_("description"), blank=True)
    responsible_party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="pledges",
        null=True,
        blank=True,
        verbose_name=_("responsible party"),
        help_text=_("Leave empty for a joint pledge of all parties."),
    )
    lead_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="led_pledges",
        null=True,
        blank=True,
        verbose_name=_("lead organization"),
    )
    counterpart_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="counterpart_pledges",
        null=True,
        blank=True,
        verbose_name=_("counterpart organization"),
    )
    focal_point = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        related_name="focal_point_pledges",
        null=True,
        blank=True,
        verbose_name=_("focal point"),
    )
    counterpart_focal_point = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        related_name="counterpart_focal_point_pledges",
        null=True,
        blank=True,
        verbose_name=_("counterpart focal point"),
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("sector")
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    # A moved deadline keeps the one first agreed: the committee judges a pledge against it.
    original_due_on = models.DateField(
        _("original due date"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The due date first agreed, kept when the due date is moved."),
    )
    due_moved_at = models.DateTimeField(
        _("due date moved at"), null=True, blank=True, editable=False
    )
    due_moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("due date moved by"),
    )
    due_moved_reason = OneLineField(
        _("why the due date moved"),
        max_length=300,
        blank=True,
        help_text=_("For example: extended by the second session, item 4."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=PERCENT_VALIDATORS
    )
    indicator = OneLineField(
        _("indicator"),
        max_length=200,
        blank=True,
        help_text=_("What is measured, e.g. annual bilateral trade volume."),
    )
    indicator_unit = OneLineField(_("unit"), max_length=50, blank=True)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    target_on = models.DateField(_("target date"), null=True, blank=True)
    current_value = models.DecimalField(
        _("latest value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PledgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["due_on", "agreement", "number"]
        indexes = [
            # The tracker's default order (and the dashboard's): a page's keys are the first
            # rows of this index, not a sort of every pledge.
            models.Index(fields=["due_on"], name="pledge_due_on"),
            # The dashboard's and the report's counts by status, sector, party and due date
            # read this index alone (an index-only scan) rather than every pledge's row, whose
            # titles and descriptions in five languages make the table wide.
            models.Index(
                fields=["committee", "status"],
                include=["sector", "responsible_party", "due_on", "id"],
                name="pledge_counts",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"],
                name="pledge_number_unique_per_agreement",
                violation_error_message=_("Another pledge of this agreement has this number."),
            ),
            models.UniqueConstraint(
                fields=["agenda_item", "number"],
                condition=Q(agreement__isnull=True),
                name="pledge_number_unique_per_agenda_item",
                violation_error_message=_("Another pledge of this agenda item has this number."),
            ),
            models.CheckConstraint(
                condition=Q(agreement__isnull=False) | Q(agenda_item__isnull=False),
                name="pledge_has_agreement_or_agenda_item",
                violation_error_message=_("A pledge comes from an agreement or an agenda item."),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="pledge_progress_within_0_100",
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="pledge_number_positive",
                violation_error_message=_("Pledges are numbered from 1."),
            ),
            models.CheckConstraint(
                condition=~Q(indicator="")
                | Q(target_value__isnull=True, baseline_value__isnull=True),
                name="pledge_indicator_named_when_measured",
                violation_error_message=_(
                    "Name the indicator that the baseline and target measure."
                ),
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True)
                | Q(baseline_year__gte=1900, baseline_year__lte=2100),
                name="pledge_baseline_year_plausible",
                violation_error_message=_("The baseline year must be between 1900 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(
                    original_due_on__isnull=True, due_moved_at__isnull=True, due_moved_reason=""
                )
                | (
                    Q(original_due_on__isnull=False, due_moved_at__isnull=False)
                    & (Q(due_on__isnull=True) | ~Q(due_on=F("original_due_on")))
                ),
                name="pledge_rescheduled_when_due_date_moved",
                violation_error_message=_(
                    "A rescheduled pledge keeps its original due date and when it was moved."
                ),
            ),
            plain_texts_constraint(
                "pledge_texts_plain",
                one_line=[
                    *in_every_language("title", "indicator", "indicator_unit"),
                    "due_moved_reason",
                ],
                multi_line=in_every_language("description"),
            ),
        ]
        triggers = [versioning.count_versions(), freshness.data_changed()]

    RESCHEDULING_FIELDS = ("original_due_on", "due_moved_at", "due_moved_by", "due_moved_reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The due date as read, to tell a moved deadline on save (not loaded when deferred).
        self._due_on_read = self.__dict__.get("due_on")

    def save(self, **kwargs):
        update_fields = kwargs.get("update_fields")
        saves_due_on = update_fields is None or "due_on" in update_fields
        if saves_due_on and self._note_moved_due_date() and update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *self.RESCHEDULING_FIELDS}
        super().save(**kwargs)
        self._due_on_read = self.due_on

    def _note_moved_due_date(self) -> bool:
        """A due date set before and now changed makes the pledge rescheduled, keeping the
        first one; moved back to it, the pledge is on its original deadline again. Who moved
        it and why are the caller's to set (due_moved_by, due_moved_reason). Whether the due
        date moved."""
        read = self._due_on_read
        if self._state.adding or read is None or self.due_on == read:
            return False
        if self.original_due_on is None:
            self.original_due_on = read
        if self.due_on == self.original_due_on:
            self.original_due_on = self.due_moved_at = self.due_moved_by = None
            self.due_moved_reason = ""
            return True
        self.due_moved_at = timezone.now()
        return True

    @property
    def rescheduled(self) -> bool:
        return self.original_due_on is not None

    def due_on_as_of(self, moment: datetime.datetime) -> datetime.date | None:
        """The due date that stood at `moment`: for the minutes of the session that agreed
        it, the first date when the deadline was moved after the session. Only the first date
        is kept, so a pledge moved both before and after `moment` gives its first date (the
        history of changes has each)."""
        if self.rescheduled and self.due_moved_at > moment:
            return self.original_due_on
        return self.due_on

    @property
    def rescheduling_note(self) -> str:
        """ "Rescheduled from 1 March 2026, by Amina Azizi on 5 April 2026. Reason: extended by
        the second session." in the active language, as HTML: the name and the reason, in
        whatever script they were typed, are isolated from the sentence around them (a Latin
        name inside Dari). Empty when the deadline never moved."""
        if not self.rescheduled:
            return ""
        parts = {
            "original": escape(calendars.long_date(self.original_due_on)),
            "moved": escape(calendars.long_date(timezone.localtime(self.due_moved_at))),
        }
        if self.due_moved_by_id:
            parts["person"] = format_html("<bdi>{}</bdi>", self.due_moved_by)
            note = _("Rescheduled from %(original)s, by %(person)s on %(moved)s.") % parts
        else:
            note = _("Rescheduled from %(original)s, on %(moved)s.") % parts
        if self.due_moved_reason:
            note = _("%(note)s Reason: %(reason)s") % {
                "note": note,
                "reason": format_html('<bdi dir="auto">{}</bdi>', self.due_moved_reason),
            }
        # Our own catalog's sentence around values escaped above.
        return mark_safe(note)  # noqa: S308

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("pledges:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """How officials cite the pledge (pledge_reference()). Callers select_related agreement
        and agenda_item__meeting."""
        item = self.agenda_item if self.agenda_item_id else None
        return pledge_reference(
            self.number,
            agreement_reference=self.agreement.reference if self.agreement_id else None,
            session=(item.meeting.number, item.position) if item else None,
        )

    @property
    def is_joint(self) -> bool:
        return self.responsible_party_id is None

    @property
    def has_indicator(self) -> bool:
        return bool(self.indicator) and self.target_value is not None

    @property
    def indicator_percent(self) -> int | None:
        """How far the latest value has moved from baseline to target, 0–100."""
        if not self.has_indicator or self.current_value is None:
            return None
        start = self.baseline_value or 0
        if self.target_value == start:
            return 100
        share = (self.current_value - start) / (self.target_value - start)
        return max(0, min(100, round(share * 100)))

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return past_due(self.due_on, self.status, today or timezone.localdate())

    @property
    def overdue(self) -> bool:
        """is_overdue() as of today, for templates."""
        return self.is_overdue()

    @property
    def days_left(self) -> int | None:
        """Days until the due date as of today, negative once it has passed; None for a pledge
        without a date or closed (nobody owes it any more)."""
        if not self.due_on or self.status in self.CLOSED_STATUSES:
            return None
        return (self.due_on - timezone.localdate()).days

    def clean(self):
        errors = {}
        if (
            self.agreement_id
            and self.committee_id
            and self.agreement.committee_id != self.committee_id
        ):
            errors["agreement"] = _("The agreement belongs to another committee.")
        if (
            self.agenda_item_id
            and self.committee_id
            and self.agenda_item.meeting.committee_id != self.committee_id
        ):
            errors["agenda_item"] = _("The agenda item belongs to another committee's meeting.")
        if (
            self.lead_organization_id
            and self.responsible_party_id
            and self.lead_organization.party_id != self.responsible_party_id
        ):
            errors["lead_organization"] = _("The lead organization belongs to another party.")
        for field in ("due_on", "target_on"):
            value = getattr(self, field)
            if value and not EARLIEST_DATE <= value <= LATEST_DUE_DATE:
                errors[field] = _("Enter a date between 1900 and 2100.")
        first_due_on = self.original_due_on or (None if self._state.adding else self._due_on_read)
        if self.due_moved_reason and (first_due_on is None or self.due_on == first_due_on):
            errors["due_moved_reason"] = _(
                "Say why only when the due date moves away from the one first agreed."
            )
        for field in ("focal_point", "counterpart_focal_point"):
            member = getattr(self, field) if getattr(self, f"{field}_id") else None
            if member and self.committee_id and member.committee_id != self.committee_id:
                errors[field] = _("This person is not on the pledge's committee.")
        if errors:
            raise ValidationError(errors)


@history.tracked()
class PledgeUpdate(models.Model):
    """A follow-up report on a pledge. Append-only: a correction is a new update."""

    pledge = models.ForeignKey(
        Pledge, on_delete=models.PROTECT, related_name="updates", verbose_name=_("pledge")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="pledge_updates",
        verbose_name=_("author"),
    )
    author_party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("delegation of the author"),
        help_text=_("Empty when the secretariat wrote the update."),
    )
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True, db_index=True)
    status = models.CharField(_("new status"), max_length=20, choices=Pledge.Status)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), validators=PERCENT_VALIDATORS)
    indicator_value = models.DecimalField(
        _("indicator value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    note = MultiLineField(_("note"), blank=True)
    evidence = CheckedFileField(
        _("evidence file"),
        upload_to=evidence_upload_to,
        download_url=lambda update: reverse("pledges:evidence", args=[update.pk]),
        blank=True,
        validators=[validate_upload],
        help_text=_("A PDF, image or office document of at most 10 MB."),
    )
    evidence_name = OneLineField(_("original file name"), max_length=255, blank=True)
    submission_key = models.UUIDField(
        _("submission key"),
        null=True,
        blank=True,
        editable=False,
        unique=True,
        help_text=_("Given by the form when it is shown, so a double submit records one update."),
    )

    # What an author reports (the update form, the admin's list of a pledge's updates).
    REPORTED_FIELDS = (
        "status",
        "progress",
        "indicator_value",
        "period_start",
        "period_end",
        "note",
        "evidence",
    )

    class Meta:
        triggers = [freshness.data_changed()]
        verbose_name = _("pledge update")
        verbose_name_plural = _("pledge updates")
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        indexes = [
            # A pledge's latest update in one step of the index (with_latest_update(), for
            # every row of an export or the report), and its timeline in order.
            models.Index(fields=["pledge", "-created_at", "-id"], name="pledge_update_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="pledge_update_progress_within_0_100",
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="pledge_update_period_in_order",
                violation_error_message=_("The period must end on or after its start."),
            ),
            plain_texts_constraint(
                "pledge_update_texts_plain", one_line=["evidence_name"], multi_line=["note"]
            ),
        ]

    def __str__(self):
        return _("%(pledge)s: update of %(date)s") % {
            "pledge": self.pledge.reference,
            "date": self.created_at.date() if self.created_at else "—",
        }

    def get_absolute_url(self):
        return reverse("pledges:detail", args=[self.pledge_id]) + f"#update-{self.pk}"

    def clean(self):
        """The period in order (a constraint too, here a message on the field), and neither
        end a mistyped year: a value is reported for a period begun, at most a year ahead."""
        errors = {}
        latest = timezone.localdate() + datetime.timedelta(days=366)
        for field in ("period_start", "period_end"):
            value = getattr(self, field)
            if value and value < EARLIEST_DATE:
                errors[field] = _("Enter a date in 1900 or later.")
            elif value and value > latest:
                errors[field] = _("Enter a date at most a year from today.")
        start, end = self.period_start, self.period_end
        if not errors and start and end and end < start:
            errors["period_end"] = _("The period must end on or after its start.")
        if errors:
            raise ValidationError(errors)


class PledgeReview(models.Model):
    """One open pledge as it stood when a session reviewed implementation, and what was said.

    The status, progress, due date and latest update are copied when the review item is put
    on the agenda, so the minutes record the state the Parties discussed, and as of when
    (taken_at: "Status as of 12 March 2026").
    """

    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="pledge_reviews",
        verbose_name=_("agenda item"),
    )
    pledge = models.ForeignKey(
        Pledge, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("pledge")
    )
    position = models.PositiveSmallIntegerField(_("order"), validators=[MinValueValidator(1)])
    status = models.CharField(_("status at the review"), max_length=20, choices=Pledge.Status)
    progress = models.PositiveSmallIntegerField(
        _("progress at the review (%)"), validators=PERCENT_VALIDATORS
    )
    due_on = models.DateField(_("due date at the review"), null=True, blank=True)
    latest_update_on = models.DateField(_("latest update"), null=True, blank=True)
    latest_update_note = MultiLineField(_("latest update note"), blank=True)
    # Empty only on rows copied before the moment was kept.
    taken_at = models.DateTimeField(
        _("status taken at"),
        null=True,
        blank=True,
        help_text=_("When the pledge's status, progress, due date and latest update were copied."),
    )
    remarks = MultiLineField(
        _("what was said"),
        blank=True,
        help_text=_("The Parties' remarks on this pledge, for the minutes."),
    )

    class Meta:
        verbose_name = _("pledge review")
        verbose_name_plural = _("pledge reviews")
        ordering = ["agenda_item", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "pledge"],
                name="pledge_review_once_per_item",
                violation_error_message=_("This pledge is already listed under this item."),
            ),
            models.UniqueConstraint(
                fields=["agenda_item", "position"],
                name="pledge_review_position_unique_per_item",
                violation_error_message=_("Another pledge of this item has this position."),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="pledge_review_progress_within_0_100",
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            ),
            plain_texts_constraint(
                "pledge_review_texts_plain",
                multi_line=["latest_update_note", *in_every_language("remarks")],
            ),
        ]
        triggers = [session_lock.agenda_child_lock()]

    def __str__(self):
        return f"{self.agenda_item} — {self.pledge.reference}"

    def clean(self):
        refuse_if_minutes_approved(self.agenda_item.meeting_id if self.agenda_item_id else None)
