"""Admin of membership: logins, parties and their organizations, committees and members."""

import logging

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from committee.accounts import enrolment
from committee.accounts.admin import issuer
from committee.accounts.models import EnrolmentLink
from committee.core.admin_helpers import (
    ContentLanguageInputsMixin,
    ReadOnlyInlineMixin,
    in_every_language,
)
from committee.core.security_log import log_event
from committee.members import rules
from committee.members.models import (
    CalendarToken,
    Committee,
    Member,
    Organization,
    Party,
    User,
)

# Membership.


class MembershipInline(ReadOnlyInlineMixin, admin.TabularInline):
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


class EnrolmentLinkInline(ReadOnlyInlineMixin, admin.TabularInline):
    """The enrolment links issued for this login and what became of each; never the secret."""

    model = EnrolmentLink
    fk_name = "user"
    fields = ("created_at", "issued_by_name", "expires_at", "state_shown", "ended_at")
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        # The user too: each row is titled with its link's __str__, which names them.
        return super().get_queryset(request).select_related("user", "issued_by")

    @admin.display(description=_("issued by"))
    def issued_by_name(self, obj):
        return issuer(obj)

    @admin.display(description=_("state"))
    def state_shown(self, obj):
        return EnrolmentLink.State(obj.state_now).label


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
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Language"), {"fields": ("language",)}),
    )
    inlines = (MembershipInline, EnrolmentLinkInline)
    actions = ("issue_enrolment_link",)

    @admin.action(
        description=_("Issue an enrolment link"),
        location=admin.ActionLocation.CHANGE_FORM,
        permissions=["change"],
    )
    def issue_enrolment_link(self, request, queryset):
        """A one-time link for this staff member to set up an authenticator app, shown once
        to the issuer, who passes it on (committee/accounts/enrolment.py)."""
        account = queryset.get()
        if not rules.can_issue_enrolment_link(request.user, account):
            oneself = account.pk == request.user.pk
            log_event(
                "otp.enrolment_link.issue_refused",
                request=request,
                level=logging.WARNING,
                account=account.get_username(),
                reason="oneself" if oneself else "not_staff",
            )
            self.message_user(
                request,
                _(
                    "Nobody issues an enrolment link for their own account: ask another "
                    "member of the secretariat."
                )
                if oneself
                else _("Enrolment links are for active staff accounts only."),
                messages.ERROR,
            )
            return None
        raw = enrolment.issue_link(account, issued_by=request.user, request=request)
        link = account.enrolment_links.get(state=EnrolmentLink.State.WAITING)
        return TemplateResponse(
            request,
            "admin/members/user/enrolment_link.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Enrolment link for %(user)s") % {"user": account},
                "opts": self.opts,
                "original": account,
                "account": account,
                "url": request.build_absolute_uri(reverse("otp_enrol_link", args=[raw])),
                "link": link,
                "valid_hours": int(settings.ENROLMENT_LINK_VALID_FOR.total_seconds() // 3600),
                "has_app": TOTPDevice.objects.filter(user=account, confirmed=True).exists(),
            },
        )


class OrganizationInline(ContentLanguageInputsMixin, TranslationTabularInline):
    model = Organization
    fields = ("name", "acronym", "kind")
    extra = 0
    show_change_link = True


@admin.register(Party)
class PartyAdmin(ContentLanguageInputsMixin, TranslationAdmin):
    list_display = ("name", "short_name", "kind", "country_code", "government_name")
    list_filter = ("kind",)
    search_fields = (*in_every_language("name", "government_name"), "short_name", "country_code")
    inlines = (OrganizationInline,)


@admin.register(Committee)
class CommitteeAdmin(ContentLanguageInputsMixin, TranslationAdmin):
    list_display = ("short_name", "name", "party_names", "established_on", "member_count")
    search_fields = (*in_every_language("name"), "short_name")
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
class OrganizationAdmin(ContentLanguageInputsMixin, TranslationAdmin):
    list_display = ("name", "acronym", "party_link", "kind")
    list_filter = ("kind", "party")
    list_select_related = ("party",)
    search_fields = (*in_every_language("name"), "acronym", "party__name", "party__short_name")
    autocomplete_fields = ("party",)

    @admin.display(description=_("party"), ordering="party__name")
    def party_link(self, obj):
        return obj.party


@admin.register(Member)
class MemberAdmin(ContentLanguageInputsMixin, TranslationAdmin):
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
        *in_every_language("full_name", "position"),
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
