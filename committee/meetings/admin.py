"""Admin of sessions: meetings with their agenda, attendance and minutes."""

import datetime
import zoneinfo

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from committee.core.admin_helpers import (
    ContentLanguageInputsMixin,
    ReadOnlyInlineMixin,
    ViewOnlyAdmin,
    in_every_language,
    languages_formfield,
    share_choices,
)
from committee.core.versioning import VersionedModelForm
from committee.meetings import services
from committee.meetings.models import (
    HEAD_TAKEN_MESSAGE,
    AgendaItem,
    Attendance,
    Meeting,
    Minutes,
    MinutesApproval,
    MinutesCirculation,
    MinutesComment,
    MinutesReopening,
    Sector,
    validate_time_zone,
)
from committee.members.models import Member


def _committee_members(meeting):
    """The people who can attend or present at a meeting, labelled with their delegation."""
    members = Member.objects.select_related("party")
    if meeting is not None:
        members = members.filter(committee=meeting.committee_id)
    return members


def _member_label(member):
    return f"{member} ({member.party.short_name})"


@admin.register(Sector)
class SectorAdmin(ContentLanguageInputsMixin, TranslationAdmin):
    list_display = ("name", "slug")
    search_fields = (*in_every_language("name"), "slug")
    prepopulated_fields = {"slug": ("name",)}


class SessionLockMixin:
    """Read-only once the session's minutes are approved, until they are re-opened.

    A database trigger enforces the lock; the admin shows such rows read-only rather than
    let a save or a delete run into it. session_of() finds the meeting of an object.
    """

    def session_of(self, obj):
        return obj.meeting

    def _locked(self, obj) -> bool:
        return obj is not None and self.session_of(obj).minutes_approved

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class SessionLockInlineMixin(SessionLockMixin):
    """The same for rows inside a meeting's page, where obj is the meeting itself."""

    def session_of(self, obj):
        return obj

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)


class AgendaItemInline(
    SessionLockInlineMixin, ContentLanguageInputsMixin, TranslationTabularInline
):
    """The agenda at a glance; discussion and decision are written on each item's own page."""

    model = AgendaItem
    form = VersionedModelForm
    fields = ("position", "title", "presenter", "sector", "outcome", "version")
    ordering = ("position",)
    extra = 0
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        share_choices(request, formset, "presenter", _committee_members(obj), _member_label)
        share_choices(request, formset, "sector", Sector.objects.all())
        return formset


class AttendanceFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """One head per delegation among the rows as submitted (each row's own clean() sees
        only the rows already saved)."""
        super().clean()
        heads: dict[int, forms.Form] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not data.get("heads_delegation") or not data.get("member"):
                continue
            party = data["member"].party_id
            if party in heads:
                form.add_error("heads_delegation", HEAD_TAKEN_MESSAGE)
            heads[party] = form


class AttendanceInline(SessionLockInlineMixin, admin.TabularInline):
    model = Attendance
    formset = AttendanceFormSet
    fields = ("member", "status", "heads_delegation", "note")
    extra = 0

    def get_queryset(self, request):
        # Each row is titled with its member.
        return super().get_queryset(request).select_related("member")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        share_choices(request, formset, "member", _committee_members(obj), _member_label)
        return formset


class MinutesInline(SessionLockInlineMixin, ContentLanguageInputsMixin, TranslationStackedInline):
    """The closing formula of the minutes; the workflow buttons are on the meeting's page."""

    model = Minutes
    form = VersionedModelForm
    fields = (
        "version",
        "status",
        "done_at",
        "done_on",
        "original_count",
        "authentic_languages",
        "prevailing_language",
        "next_session",
    )
    readonly_fields = ("status",)
    extra = 0
    max_num = 1
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting__committee")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "authentic_languages":
            return languages_formfield(db_field)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Meeting)
class MeetingAdmin(SessionLockMixin, ContentLanguageInputsMixin, TranslationAdmin):
    list_display = (
        "__str__",
        "committee_name",
        "number",
        "local_start",
        "city",
        "host_party",
        "format",
        "status",
        "agenda_item_count",
        "attendance_count",
        "minutes_status",
    )
    list_filter = ("status", "format", "committee", "host_party")
    list_select_related = ("committee", "host_party", "minutes")
    search_fields = (*in_every_language("title", "city", "venue"), "committee__short_name")
    autocomplete_fields = ("committee", "host_party")
    date_hierarchy = "starts_at"
    # Explicit, because a query with an aggregate ignores Meta.ordering (autocomplete pages).
    ordering = ("-starts_at",)
    fieldsets = (
        (None, {"fields": ("committee", "number", "title", "status", "format", "version")}),
        (
            _("When and where"),
            {
                "fields": ("starts_at", "ends_at", "time_zone", "venue", "city", "host_party"),
                "description": _("Dates and times are those of the venue's time zone."),
            },
        ),
    )
    inlines = (AgendaItemInline, AttendanceInline, MinutesInline)
    form = VersionedModelForm

    def session_of(self, obj):
        return obj

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Staff read and type a session's times as the venue's local time, as the invitation
        # and the minutes give them: the form shows and reads them in that zone.
        with timezone.override(self._venue_zone(request, object_id)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()  # while the venue's zone is active
        return response

    def _venue_zone(self, request, object_id):
        name = request.POST.get("time_zone", "")
        if not name and object_id:
            try:
                meetings = Meeting.objects.filter(pk=object_id)
                name = meetings.values_list("time_zone", flat=True).first() or ""
            except (ValueError, ValidationError):  # not an id: the admin answers that
                name = ""
        try:
            validate_time_zone(name)
        except ValidationError:
            return datetime.UTC
        return zoneinfo.ZoneInfo(name)

    def get_queryset(self, request):
        # Autocomplete answers list meetings by str(), which names the committee. (With
        # select_related here, the changelist does not apply list_select_related itself.)
        return (
            super()
            .get_queryset(request)
            .select_related(*self.list_select_related)
            .annotate(
                agenda_item_count=Count("agenda_items", distinct=True),
                attendance_count=Count("attendances", distinct=True),
            )
        )

    @admin.display(description=_("committee"), ordering="committee__short_name")
    def committee_name(self, obj):
        return obj.committee.short_name

    @admin.display(description=_("starts (local time)"), ordering="starts_at")
    def local_start(self, obj):
        return date_format(timezone.localtime(obj.starts_at, obj.zone), "DATETIME_FORMAT")

    @admin.display(description=_("agenda items"), ordering="agenda_item_count")
    def agenda_item_count(self, obj):
        return obj.agenda_item_count

    @admin.display(description=_("attendance"), ordering="attendance_count")
    def attendance_count(self, obj):
        return obj.attendance_count

    @admin.display(description=_("minutes"), ordering="minutes__status")
    def minutes_status(self, obj):
        try:
            return obj.minutes.get_status_display()
        except Minutes.DoesNotExist:
            return None


@admin.register(AgendaItem)
class AgendaItemAdmin(SessionLockMixin, ContentLanguageInputsMixin, TranslationAdmin):
    list_display = ("__str__", "meeting", "kind", "presenter", "sector", "outcome")
    list_filter = ("kind", "outcome", "sector", "meeting__committee")
    list_select_related = ("meeting__committee", "presenter", "sector")
    search_fields = (*in_every_language("title"), "meeting__title", "meeting__city")
    autocomplete_fields = ("meeting", "presenter", "sector")
    date_hierarchy = "meeting__starts_at"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "meeting",
                    "position",
                    "kind",
                    "title",
                    "presenter",
                    "sector",
                    "outcome",
                    "version",
                )
            },
        ),
        (_("Record"), {"fields": ("discussion", "decision")}),
    )
    form = VersionedModelForm

    # The review of implementation is put on the agenda from the meeting's page, with its
    # list of open pledges: an item neither becomes one nor stops being one by a choice here.
    # The other kinds (any other business, the next session) are chosen here; the minutes
    # print the next session under its item.
    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.kind == AgendaItem.Kind.IMPLEMENTATION_REVIEW:
            return (*fields, "kind")
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kwargs["choices"] = [
                (value, label)
                for value, label in AgendaItem.Kind.choices
                if value != AgendaItem.Kind.IMPLEMENTATION_REVIEW
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(Attendance)
class AttendanceAdmin(SessionLockMixin, admin.ModelAdmin):
    list_display = ("member", "party_name", "meeting", "status", "note")
    list_filter = ("status", "meeting__committee", "member__party")
    list_select_related = ("member__party", "meeting__committee")
    search_fields = ("member__full_name", "member__position", "meeting__title", "meeting__city")
    autocomplete_fields = ("meeting", "member")

    @admin.display(description=_("party"), ordering="member__party__name")
    def party_name(self, obj):
        return obj.member.party.short_name


class MinutesReopeningInline(ReadOnlyInlineMixin, admin.TabularInline):
    """The audit trail of re-openings, read-only: a re-opening is recorded on its own page."""

    model = MinutesReopening
    fields = ("reopened_at", "reopened_by", "reason", "previous_pdf_sha256", "superseded_pdf")
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        # Rows are titled with the minutes (meeting, committee) and show who re-opened them.
        return (
            super()
            .get_queryset(request)
            .select_related("minutes__meeting__committee", "reopened_by")
        )


class MinutesCirculationInline(ReadOnlyInlineMixin, admin.TabularInline):
    """The versions sent to the delegations; their texts are compared on the changes page."""

    model = MinutesCirculation
    fields = ("number", "circulated_at", "circulated_by", "comment_deadline", "digest")
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("circulated_by", "minutes__meeting")


class MinutesApprovalInline(ReadOnlyInlineMixin, admin.TabularInline):
    """Who approved for each delegation, and how: recorded on the meeting's pages."""

    model = MinutesApproval
    fields = (
        "party",
        "signatory",
        "method",
        "circulation",
        "approved_at",
        "recorded_by",
        "client_ip",
        "signed_on",
        "signed_at",
        "scan",
        "withdrawn_at",
    )
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            # Each row is titled with its minutes (meeting, committee) and links the scan by
            # its meeting; the version approved names them too.
            .select_related(
                "minutes__meeting__committee",
                "party",
                "signatory",
                "recorded_by",
                "circulation__minutes__meeting__committee",
            )
        )


class MinutesCommentInline(ReadOnlyInlineMixin, admin.TabularInline):
    """The delegations' comments and the answers, given on the comments page."""

    model = MinutesComment
    fields = ("party", "agenda_item", "paragraph", "text", "author", "created_at", "answer")
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("party", "agenda_item", "author", "minutes__meeting")
        )


@admin.register(Minutes)
class MinutesAdmin(ContentLanguageInputsMixin, TranslationAdmin):
    """The text of the minutes. Their workflow is not typed in here.

    Circulating, approving (after which the worker renders and keeps the PDF with its SHA-256)
    and re-opening are steps of the minutes workflow, done with the buttons on the meeting's
    page or, for a re-opening, by recording one here; the admin shows status and approval
    read-only.
    Approved minutes are locked (a database trigger enforces it).
    """

    list_display = (
        "__str__",
        "committee_name",
        "status",
        "done_on",
        "circulated_at",
        "approved_at",
        "approved_by",
    )
    list_filter = ("status", "meeting__committee")
    list_select_related = ("meeting__committee", "approved_by")
    search_fields = (
        "meeting__title",
        "meeting__city",
        "meeting__committee__name",
        "meeting__committee__short_name",
    )
    autocomplete_fields = ("meeting",)
    readonly_fields = (
        "status",
        "circulated_at",
        "comment_deadline",
        "approved_at",
        "approved_by",
        "pdf",
        "pdf_sha256",
    )
    fieldsets = (
        (None, {"fields": ("meeting", "next_session", "version")}),
        (
            _("Closing formula"),
            {
                "fields": (
                    "done_at",
                    "done_on",
                    "original_count",
                    "authentic_languages",
                    "prevailing_language",
                )
            },
        ),
        (
            _("Workflow"),
            {
                "fields": readonly_fields,
                "description": _(
                    "Minutes are circulated from the meeting's page, and approved there by "
                    "each head of delegation or by recording a signature on paper. Approved "
                    "minutes change only after a recorded re-opening."
                ),
            },
        ),
    )
    inlines = (
        MinutesCirculationInline,
        MinutesCommentInline,
        MinutesApprovalInline,
        MinutesReopeningInline,
    )
    form = VersionedModelForm

    def get_queryset(self, request):
        # Autocomplete answers list minutes by str(), which names meeting and committee.
        # (With select_related here, the changelist does not apply list_select_related.)
        return super().get_queryset(request).select_related(*self.list_select_related)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return (*self.readonly_fields, "meeting")
        return self.readonly_fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "authentic_languages":
            return languages_formfield(db_field)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == Minutes.Status.APPROVED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == Minutes.Status.APPROVED:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("committee"), ordering="meeting__committee__short_name")
    def committee_name(self, obj):
        return obj.meeting.committee.short_name


class MinutesReopeningForm(forms.ModelForm):
    def clean_minutes(self):
        minutes = self.cleaned_data["minutes"]
        if minutes.status != Minutes.Status.APPROVED:
            raise forms.ValidationError(_("Only approved minutes can be re-opened."))
        return minutes


@admin.register(MinutesReopening)
class MinutesReopeningAdmin(admin.ModelAdmin):
    """The audit record of re-opened minutes: recorded once, never changed or deleted."""

    form = MinutesReopeningForm
    list_display = ("minutes", "reopened_at", "reopened_by", "reason")
    list_filter = ("minutes__meeting__committee",)
    list_select_related = ("minutes__meeting__committee", "reopened_by")
    search_fields = ("reason", "minutes__meeting__title", "minutes__meeting__city")
    autocomplete_fields = ("minutes",)
    date_hierarchy = "reopened_at"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("minutes", "reason")
        return (
            "minutes",
            "reason",
            "reopened_at",
            "reopened_by",
            "previous_pdf_sha256",
            "superseded_pdf",
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The one way minutes are re-opened: the service keeps the superseded PDF and its
        # checksum with the record and sends the minutes back for correction.
        reopening = services.minutes_reopen(
            minutes=obj.minutes, user=request.user, reason=obj.reason
        )
        # The admin logs and redirects to the object it saved: make it the recorded one.
        obj.pk = reopening.pk
        obj.refresh_from_db()


class WorkflowRecordAdmin(ViewOnlyAdmin):
    """Records of the minutes workflow, made on the meeting's pages by their services: read
    here, never added, changed or deleted (the history keeps them as they were)."""


@admin.register(MinutesCirculation)
class MinutesCirculationAdmin(WorkflowRecordAdmin):
    list_display = ("minutes", "number", "circulated_at", "circulated_by", "comment_deadline")
    list_filter = ("minutes__meeting__committee",)
    list_select_related = ("minutes__meeting__committee", "circulated_by")
    date_hierarchy = "circulated_at"
    exclude = ("texts",)


@admin.register(MinutesComment)
class MinutesCommentAdmin(WorkflowRecordAdmin):
    list_display = ("minutes", "party", "agenda_item", "paragraph", "created_at", "answer")
    list_filter = ("answer", "party", "minutes__meeting__committee")
    list_select_related = ("minutes__meeting__committee", "party", "agenda_item")
    search_fields = ("text", "answer_reason")
    date_hierarchy = "created_at"


@admin.register(MinutesApproval)
class MinutesApprovalAdmin(WorkflowRecordAdmin):
    list_display = ("minutes", "party", "signatory", "method", "approved_at", "withdrawn_at")
    list_filter = ("method", "party", "minutes__meeting__committee")
    list_select_related = ("minutes__meeting__committee", "party", "signatory")
    date_hierarchy = "approved_at"
