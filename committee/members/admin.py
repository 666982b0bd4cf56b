"""Admin of membership: logins, parties and their organizations, committees and members.

The helpers at the top are shared with the admins of meetings and agreements (which depend
on this app, never the other way round).
"""

from collections.abc import Callable

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.postgres.fields import ArrayField
from django.db.models import Count, Model, QuerySet
from django.forms.models import BaseModelFormSet
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname

from committee.members.models import (
    CalendarToken,
    Committee,
    Member,
    Organization,
    Party,
    User,
)

# Helpers shared by the admins of the three apps.


def in_every_language(*field_names: str) -> tuple[str, ...]:
    """The columns of translated fields in every content language, for search_fields.

    Searching "title" alone would only look at the interface language's column; staff search
    a Dari or Kazakh title as well.
    """
    return tuple(
        build_localized_fieldname(name, language)
        for name in field_names
        for language in mt_settings.AVAILABLE_LANGUAGES
    )


def share_choices(
    request: HttpRequest,
    formset: type[BaseModelFormSet],
    field_name: str,
    queryset: QuerySet,
    label: Callable[[Model], str] = str,
) -> None:
    """Give a select of an inline the same options in every row, fetched once per request.

    Django evaluates a ModelChoiceField's queryset each time a row renders, and autocomplete
    or raw-id widgets look up each row's current value: one query per row and column either
    way. Options listed once and shared keep the page's query count flat however many rows
    it has. POST still looks each submitted value up once, to validate it.
    """
    field = formset.form.base_fields.get(field_name)
    if field is None:  # read-only for this user
        return
    cache = request.__dict__.setdefault("_admin_shared_choices", {})
    key = (formset.model, field_name, str(queryset.query))
    if key not in cache:
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        cache[key] = empty + [(obj.pk, label(obj)) for obj in queryset]
    field.queryset = queryset
    field.choices = cache[key]


class ContentLanguageInputsMixin:
    """Inputs of a text kept in several languages carry their language and direction.

    modeltranslation marks a Dari or Pashto input with a CSS class only; with lang and dir
    the browser types it right to left and shapes it with a font for its script.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        language = getattr(db_field, "language", None)  # set on modeltranslation's columns
        if formfield is not None and language:
            widget = getattr(formfield.widget, "widget", formfield.widget)
            widget.attrs["lang"] = language
            widget.attrs["dir"] = "rtl" if get_language_info(language)["bidi"] else "ltr"
        return formfield


def languages_formfield(db_field: ArrayField) -> forms.Field:
    """Check boxes for an ArrayField of language codes, instead of comma-separated codes."""
    return forms.TypedMultipleChoiceField(
        choices=db_field.base_field.choices,
        widget=forms.CheckboxSelectMultiple,
        required=not db_field.blank,
        label=capfirst(db_field.verbose_name),
        help_text=db_field.help_text,
    )


# Membership.


class MembershipInline(admin.TabularInline):
    """Whom a login speaks for, on which committee; members are edited on their own page."""

    model = Member
    fields = ("committee", "party", "role", "is_active")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    verbose_name = _("membership")
    verbose_name_plural = _("memberships")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("committee", "party")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "first_name",
        "last_name",
        "email",
        "is_staff",
        "is_active",
        "last_login",
    )
    date_hierarchy = "date_joined"
    inlines = (MembershipInline,)


class OrganizationInline(admin.TabularInline):
    model = Organization
    fields = ("name", "acronym", "kind")
    extra = 0
    show_change_link = True


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "country_code", "government_name")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "country_code", "government_name")
    inlines = (OrganizationInline,)


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "party_names", "established_on", "member_count")
    search_fields = ("name", "short_name")
    autocomplete_fields = ("parties",)
    date_hierarchy = "established_on"
    # Explicit, because a query with an aggregate ignores Meta.ordering (autocomplete pages).
    ordering = ("name",)

    def get_queryset(self, request):
        # The parties column reads one prefetched list; the count is one annotation.
        return (
            super()
            .get_queryset(request)
            .prefetch_related("parties")
            .annotate(member_count=Count("members", distinct=True))
        )

    @admin.display(description=_("parties"))
    def party_names(self, obj):
        return ", ".join(party.short_name for party in obj.parties.all())

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "acronym", "party_link", "kind")
    list_filter = ("kind", "party")
    list_select_related = ("party",)
    search_fields = ("name", "acronym", "party__name", "party__short_name")
    autocomplete_fields = ("party",)

    @admin.display(description=_("party"), ordering="party__name")
    def party_link(self, obj):
        return obj.party


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "position",
        "role",
        "party_name",
        "organization_name",
        "committee_name",
        "email",
        "user",
        "is_active",
    )
    list_filter = ("is_active", "role", "committee", "party")
    list_select_related = ("committee", "party", "organization", "user")
    search_fields = (
        "full_name",
        "position",
        "email",
        "organization__name",
        "organization__acronym",
        "party__name",
        "party__short_name",
        "user__username",
    )
    autocomplete_fields = ("committee", "party", "organization", "user")
    fieldsets = (
        (None, {"fields": ("committee", "party", "organization", "role", "is_active")}),
        (_("Person"), {"fields": ("honorific", "full_name", "position")}),
        (_("Contact"), {"fields": ("email", "phone", "user")}),
    )

    @admin.display(description=_("party"), ordering="party__name")
    def party_name(self, obj):
        return obj.party.short_name

    @admin.display(description=_("organization"), ordering="organization__name")
    def organization_name(self, obj):
        if obj.organization is None:
            return ""
        return obj.organization.acronym or obj.organization.name

    @admin.display(description=_("committee"), ordering="committee__short_name")
    def committee_name(self, obj):
        return obj.committee.short_name


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    """Personal calendar feed addresses: staff see who has one and may revoke it.

    A user creates or renews their address on the calendar page, which shows the secret
    once; only its hash is stored, so there is nothing to add or change here.
    """

    list_display = ("user", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    date_hierarchy = "created_at"
    fields = ("user", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
