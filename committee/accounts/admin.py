"""Enrolment links and what happened to each, for the secretariat to read. Links are issued on
a user's page (action "Issue an enrolment link", members/admin.py) or by the operator on the
server; nothing is typed in here, and no secret is stored to show.

The second factor's devices themselves (django-otp's admins) are read and deleted here, never
added or moved to another account: an authenticator app is bound only through an enrolment
link, which is logged, and recovery codes only by their owner (enrolment.py).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from committee.accounts.models import EnrolmentLink, EnrolmentLinkEvent
from committee.core.admin_helpers import ReadOnlyInlineMixin, ViewOnlyAdmin

USER_SEARCH = ("username", "first_name", "last_name", "email")


class EventInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = EnrolmentLinkEvent
    fields = ("at", "kind", "actor", "reason", "ip")
    readonly_fields = fields
    extra = 0
    verbose_name_plural = _("what happened")

    def get_queryset(self, request):
        # The account too: each row is titled with the event's __str__, which names it.
        return super().get_queryset(request).select_related("account", "actor")


def issuer(link: EnrolmentLink) -> str:
    if link.channel == EnrolmentLink.Channel.COMMAND:
        return str(_("the operator, on the server"))
    return str(link.issued_by or "—")


@admin.register(EnrolmentLink)
class EnrolmentLinkAdmin(ViewOnlyAdmin):
    list_display = ("user", "issued_by_name", "created_at", "expires_at", "state_shown", "ended_at")
    list_filter = ("state", "channel")
    list_select_related = ("user", "issued_by")
    search_fields = tuple(f"user__{name}" for name in USER_SEARCH)
    date_hierarchy = "created_at"
    fields = (
        "user",
        "issued_by_name",
        "channel",
        "created_at",
        "expires_at",
        "state_shown",
        "ended_at",
    )
    readonly_fields = fields
    inlines = (EventInline,)

    @admin.display(description=_("issued by"), ordering="issued_by__username")
    def issued_by_name(self, obj):
        return issuer(obj)

    @admin.display(description=_("state"), ordering="state")
    def state_shown(self, obj):
        return EnrolmentLink.State(obj.state_now).label


@admin.register(EnrolmentLinkEvent)
class EnrolmentLinkEventAdmin(ViewOnlyAdmin):
    list_display = ("at", "kind", "account", "actor", "reason", "ip", "link")
    list_filter = ("kind", "reason")
    list_select_related = ("account", "actor", "link__user")
    search_fields = (
        *(f"account__{name}" for name in USER_SEARCH),
        *(f"actor__{name}" for name in USER_SEARCH),
    )
    date_hierarchy = "at"
    fields = ("at", "kind", "account", "actor", "reason", "ip", "link")
    readonly_fields = fields


class BoundOnlyByEnrolment:
    """A device typed in here, or given to another account, would bind an authenticator (or
    codes someone has read) without an enrolment link and without a line in the log."""

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "user", "confirmed")


class TOTPAdmin(BoundOnlyByEnrolment, TOTPDeviceAdmin):
    pass


class RecoveryCodesAdmin(BoundOnlyByEnrolment, StaticDeviceAdmin):
    pass


for model, model_admin in ((TOTPDevice, TOTPAdmin), (StaticDevice, RecoveryCodesAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
