"""Admin of the agreement register, its pledges and their follow-up updates."""

import uuid

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from committee.agreements.models import (
    Agreement,
    DueWindow,
    Pledge,
    PledgeReview,
    PledgeUpdate,
)
from committee.agreements.services import pledge_update_post
from committee.core import calendars
from committee.core.admin_helpers import (
    ContentLanguageInputsMixin,
    ListCheckboxMixin,
    ReadOnlyInlineMixin,
    in_every_language,
    languages_formfield,
    share_choices,
)
from committee.core.pagination import KeysFirstPaginator
from committee.core.versioning import VersionedModelForm
from committee.meetings.admin import SessionLockMixin
from committee.meetings.models import Sector
from committee.members.models import Party

# The changelist shows the start of a pledge's title; its change page, the whole.
TITLE_CHARS = 70


def shortened(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a space, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    words = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return words.rstrip(" ,;:–-") + "…"


class AgreementPledgeFormSet(BaseInlineFormSet):
    """Pledges added inside an agreement belong to the agreement's committee."""

    def save_new(self, form, commit=True):
        form.instance.committee_id = self.instance.committee_id
        return super().save_new(form, commit=commit)


def name_who_moved_the_due_date(form: forms.ModelForm, user) -> None:
    """A pledge's due date moved in the admin was moved by the staff member saving it."""
    if form.instance.pk and "due_on" in form.changed_data:
        form.instance.due_moved_by = user


class PledgeInline(ContentLanguageInputsMixin, TranslationTabularInline):
    """The agreement's pledges at a glance; owners and indicators are set on each pledge."""

    model = Pledge
    form = VersionedModelForm
    formset = AgreementPledgeFormSet
    fields = (
        "number",
        "title",
        "responsible_party",
        "sector",
        "due_on",
        "status",
        "progress",
        "version",
    )
    ordering = ("number",)
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        # Each row is titled with the pledge's reference (agreement); validation on save
        # reads the related rows that Pledge.clean() compares.
        return (
            super()
            .get_queryset(request)
            .select_related(
                "agreement",
                "agenda_item__meeting",
                "lead_organization",
                "focal_point",
                "counterpart_focal_point",
            )
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        parties = Party.objects.all()
        if obj is not None and obj.committee_id:
            parties = parties.filter(committees=obj.committee_id)
        responsible = formset.form.base_fields.get("responsible_party")
        if responsible is not None:
            responsible.empty_label = _("Joint (all parties)")
        share_choices(request, formset, "responsible_party", parties)
        share_choices(request, formset, "sector", Sector.objects.all())
        return formset


class AgreementForm(forms.ModelForm):
    def clean_committee(self):
        committee = self.cleaned_data["committee"]
        instance = self.instance
        if instance.pk and committee.pk != instance.committee_id and instance.pledges.exists():
            raise forms.ValidationError(
                _("The agreement has pledges of its committee: it cannot move to another one.")
            )
        return committee


@admin.register(Agreement)
class AgreementAdmin(ContentLanguageInputsMixin, TranslationAdmin):
    form = AgreementForm
    list_display = (
        "reference",
        "title",
        "kind",
        "committee_name",
        "signed_on",
        "entry_into_force_on",
        "pledge_count",
        "open_pledge_count",
    )
    list_display_links = ("reference", "title")
    list_filter = ("kind", "committee")
    list_select_related = ("committee",)
    search_fields = ("reference", *in_every_language("title", "signed_at"))
    autocomplete_fields = ("committee", "meeting", "parties", "signatories")
    date_hierarchy = "signed_on"
    # Explicit, because a query with an aggregate ignores Meta.ordering (autocomplete pages).
    ordering = ("-signed_on", "title")
    readonly_fields = ("document_sha256",)
    fieldsets = (
        (None, {"fields": ("committee", "kind", "reference", "title", "summary")}),
        (
            _("Parties and signature"),
            {"fields": ("parties", "signatories", "meeting", "signed_on", "signed_at")},
        ),
        (_("Validity"), {"fields": ("entry_into_force_on", "expires_on")}),
        (_("Text"), {"fields": ("authentic_languages", "document", "document_sha256")}),
    )
    inlines = (PledgeInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                pledge_count=Count("pledges"),
                open_pledge_count=Count(
                    "pledges", filter=~Q(pledges__status__in=Pledge.CLOSED_STATUSES)
                ),
            )
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "authentic_languages":
            return languages_formfield(db_field)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        if formset.model is Pledge:
            for pledge_form in formset.forms:
                name_who_moved_the_due_date(pledge_form, request.user)
        super().save_formset(request, form, formset, change)

    @admin.display(description=_("committee"), ordering="committee__short_name")
    def committee_name(self, obj):
        return obj.committee.short_name

    @admin.display(description=_("pledges"), ordering="pledge_count")
    def pledge_count(self, obj):
        return obj.pledge_count

    @admin.display(description=_("open pledges"), ordering="open_pledge_count")
    def open_pledge_count(self, obj):
        return obj.open_pledge_count


class DueFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return DueWindow.choices

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.in_due_window(self.value(), timezone.localdate())


class PledgeUpdateInline(ReadOnlyInlineMixin, admin.TabularInline):
    """The follow-up history, read-only: updates are never edited; a correction is a new one."""

    model = PledgeUpdate
    fields = ("created_at", "author", "author_party", *PledgeUpdate.REPORTED_FIELDS)
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        # Rows are titled with the pledge's reference and show author and delegation.
        return (
            super()
            .get_queryset(request)
            .select_related(
                "pledge__agreement", "pledge__agenda_item__meeting", "author", "author_party"
            )
        )


@admin.register(Pledge)
class PledgeAdmin(ListCheckboxMixin, ContentLanguageInputsMixin, TranslationAdmin):
    # Narrow enough for 1366 pixels beside the navigation sidebar and the filters, in every
    # language: the reference, a shortened title, the committee and the sector in one column,
    # short party names and dates, and (static/css/admin.css) headers that wrap. Due date,
    # status and progress stay in sight.
    list_display = (
        "pledge_display",
        "responsible",
        "due",
        "status",
        "progress_display",
        "latest_update_at",
    )
    list_display_links = ("pledge_display",)
    list_filter = (DueFilter, "status", "committee", "responsible_party", "sector")
    # The reference column cites the agreement, or the session and item (Pledge.reference).
    list_select_related = (
        "committee",
        "agreement",
        "agenda_item__meeting",
        "responsible_party",
        "sector",
    )
    search_fields = (*in_every_language("title"), "agreement__reference", "indicator")
    autocomplete_fields = (
        "committee",
        "agreement",
        "agenda_item",
        "responsible_party",
        "lead_organization",
        "counterpart_organization",
        "focal_point",
        "counterpart_focal_point",
        "sector",
    )
    date_hierarchy = "due_on"
    # A page's keys first, then its rows (committee/core/pagination.py); 50 rows a page, as
    # the tracker: half the page to wait for on a slow line, and half the server's time.
    paginator = KeysFirstPaginator
    list_per_page = 50
    # A filtered list says "Show all" rather than counting all 10,000 pledges again: the
    # second count kept the list, read anew after a change, over 12 queries.
    show_full_result_count = False
    # Explicit, because a query with an aggregate ignores Meta.ordering (autocomplete pages).
    ordering = ("due_on", "agreement__reference", "number")
    readonly_fields = ("current_value", "created_at", "updated_at", "rescheduling")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "committee",
                    "agreement",
                    "agenda_item",
                    "number",
                    "title",
                    "description",
                    "version",
                )
            },
        ),
        (
            _("Responsibility"),
            {
                "fields": (
                    "responsible_party",
                    "lead_organization",
                    "counterpart_organization",
                    "focal_point",
                    "counterpart_focal_point",
                    "sector",
                )
            },
        ),
        (
            _("Follow-up"),
            {"fields": ("due_on", "rescheduling", "due_moved_reason", "status", "progress")},
        ),
        (
            _("Indicator"),
            {
                "fields": (
                    "indicator",
                    "indicator_unit",
                    ("baseline_value", "baseline_year"),
                    ("target_value", "target_on"),
                    "current_value",
                )
            },
        ),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )
    inlines = (PledgeUpdateInline,)
    form = VersionedModelForm

    class Media:
        css = {"all": ("css/admin.css",)}

    def get_queryset(self, request):
        # Autocomplete answers list pledges by str() too, which cites their reference. (With
        # select_related here, the changelist does not apply list_select_related itself.)
        return (
            super()
            .get_queryset(request)
            .select_related(*self.list_select_related)
            .with_latest_update()
        )

    @admin.display(description=_("pledge"), ordering="agreement__reference")
    def pledge_display(self, obj):
        title = shortened(obj.title, TITLE_CHARS)
        return format_html(
            '<bdi class="pledge-ref">{}</bdi> <span class="pledge-title"{}>{}</span>'
            ' <span class="pledge-about"><bdi>{}</bdi> · {}</span>',
            obj.reference,
            format_html(' title="{}"', obj.title) if title != obj.title else "",
            title,
            obj.committee.short_name,
            obj.sector,
        )

    @admin.display(description=_("rescheduled"))
    def rescheduling(self, obj):
        if not obj.rescheduled:
            return _("No: the due date is the one first agreed.")
        return obj.rescheduling_note

    def save_model(self, request, obj, form, change):
        name_who_moved_the_due_date(form, request.user)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("responsible party"), ordering="responsible_party__name")
    def responsible(self, obj):
        return obj.responsible_party.short_name if obj.responsible_party else _("Joint")

    @admin.display(description=_("Due"), ordering="due_on")
    def due(self, obj):
        return calendars.date_html(obj.due_on, short=True) or self.get_empty_value_display()

    @admin.display(description=_("Progress"), ordering="progress")
    def progress_display(self, obj):
        return f"{obj.progress} %"

    @admin.display(description=_("last update"), ordering="latest_update_at")
    def latest_update_at(self, obj):
        return (
            calendars.date_html(obj.latest_update_at, short=True) or self.get_empty_value_display()
        )


@admin.register(PledgeUpdate)
class PledgeUpdateAdmin(ListCheckboxMixin, admin.ModelAdmin):
    """Staff may post an update, under their own name; nobody edits or deletes one."""

    list_display = (
        "pledge",
        "created_at",
        "author",
        "author_party",
        "status",
        "progress",
        "indicator_value",
        "has_evidence",
    )
    list_filter = ("status", "author_party", "pledge__committee")
    list_select_related = (
        "pledge__agreement",
        "pledge__agenda_item__meeting",
        "author",
        "author_party",
    )
    search_fields = (
        "pledge__agreement__reference",
        *in_every_language("pledge__title"),
        "note",
        "author__username",
        "author__first_name",
        "author__last_name",
    )
    autocomplete_fields = ("pledge",)
    date_hierarchy = "created_at"
    add_fields = (
        "pledge",
        "status",
        "progress",
        "indicator_value",
        ("period_start", "period_end"),
        "note",
        "evidence",
    )

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        return ("created_at", "author", "author_party", *self.add_fields, "evidence_name")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The one way an update is recorded: it moves the pledge in the same transaction,
        # and the author's delegation comes from the membership rules, not from a choice.
        update = pledge_update_post(
            pledge=obj.pledge,
            author=request.user,
            status=obj.status,
            progress=obj.progress,
            submission_key=uuid.uuid4(),
            note=obj.note,
            indicator_value=obj.indicator_value,
            period_start=obj.period_start,
            period_end=obj.period_end,
            evidence=form.cleaned_data.get("evidence"),
        )
        # The admin logs and redirects to the object it saved: make it the recorded one.
        obj.pk = update.pk
        obj.refresh_from_db()

    @admin.display(description=_("evidence"), boolean=True)
    def has_evidence(self, obj):
        return bool(obj.evidence)


class PledgeReviewForm(forms.ModelForm):
    def validate_constraints(self):
        # The agenda item is shown read-only, and Django skips constraints that span a field
        # the form does not edit; its value is fixed, so they can be checked all the same.
        try:
            self.instance.validate_constraints(exclude=set(self.errors))
        except ValidationError as error:
            self.add_error(None, error)


@admin.register(PledgeReview)
class PledgeReviewAdmin(SessionLockMixin, ContentLanguageInputsMixin, TranslationAdmin):
    """What a session said about each open pledge under its review-of-implementation item.

    The list is put on the agenda from the meeting's page, which copies each pledge's state;
    here the secretariat writes the remarks and may change the order.
    """

    form = PledgeReviewForm
    list_display = (
        "pledge_reference",
        "agenda_item",
        "meeting",
        "position",
        "status",
        "progress",
        "due_on",
        "has_remarks",
    )
    list_filter = ("status", "agenda_item__meeting__committee")
    list_select_related = (
        "agenda_item__meeting__committee",
        "pledge__agreement",
        "pledge__agenda_item__meeting",
    )
    search_fields = (
        "pledge__agreement__reference",
        *in_every_language("pledge__title"),
        "remarks",
        "agenda_item__meeting__title",
    )
    date_hierarchy = "agenda_item__meeting__starts_at"
    fields = (
        "agenda_item",
        "pledge",
        "position",
        "status",
        "progress",
        "due_on",
        "latest_update_on",
        "latest_update_note",
        "taken_at",
        "remarks",
    )
    readonly_fields = (
        "agenda_item",
        "pledge",
        "status",
        "progress",
        "due_on",
        "latest_update_on",
        "latest_update_note",
        "taken_at",
    )

    def session_of(self, obj):
        return obj.agenda_item.meeting

    def get_queryset(self, request):
        # The change page asks for the meeting (lock) and cites the pledge. (With
        # select_related here, the changelist does not apply list_select_related itself.)
        return super().get_queryset(request).select_related(*self.list_select_related)

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("pledge"), ordering="pledge__agreement__reference")
    def pledge_reference(self, obj):
        return obj.pledge.reference

    @admin.display(description=_("meeting"), ordering="agenda_item__meeting__starts_at")
    def meeting(self, obj):
        return obj.agenda_item.meeting

    @admin.display(description=_("remarks"), boolean=True)
    def has_remarks(self, obj):
        return bool(obj.remarks)
