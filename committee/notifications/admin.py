"""The secretariat's view of what the portal sent: the outbox (with resend for a failed mail),
the reminders decided, who chose which mails, when the scheduled jobs ran, and the workers."""

from django.contrib import admin, messages
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from committee.core.admin_helpers import ViewOnlyAdmin
from committee.notifications import tasks
from committee.notifications.models import Mail, MailSettings, Reminder, ScheduledRun, Worker


@admin.register(Mail)
class MailAdmin(ViewOnlyAdmin):
    list_display = ["created_at", "status", "recipient", "kind", "language", "short_subject"]
    list_filter = ["status", "kind", "language"]
    list_select_related = ["recipient"]
    search_fields = ["to", "subject", "recipient__username", "recipient__last_name"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("recipient", "to", "language"),
                    ("kind", "event", "reminder"),
                    ("status", "attempts", "created_at", "sent_at"),
                    "error",
                ]
            },
        ),
        (_("Contents of the mail"), {"fields": ["subject", "text", "html"]}),
    ]

    @admin.display(description=_("subject"), ordering="subject")
    def short_subject(self, mail):
        return Truncator(mail.subject).chars(70)

    # Resending is the outbox's one action, open to staff who may read it (nobody may change
    # a mail).
    @admin.action(description=_("Send the selected failed mails again"), permissions=["view"])
    def resend(self, request, queryset):
        failed = list(queryset.filter(status=Mail.Status.FAILED))
        # Counted before resending: a mail queued again is no longer failed.
        skipped = queryset.filter(~Q(status=Mail.Status.FAILED)).count()
        for mail in failed:
            tasks.resend(mail)
        self.message_user(
            request,
            ngettext(
                "%(count)s mail is queued again.", "%(count)s mails are queued again.", len(failed)
            )
            % {"count": len(failed)},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)s mail had not failed and is left unchanged.",
                    "%(count)s mails had not failed and are left unchanged.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


@admin.register(Reminder)
class ReminderAdmin(ViewOnlyAdmin):
    list_display = ["decided_at", "pledge", "milestone", "due_on"]
    list_filter = ["milestone"]
    list_select_related = ["pledge__agreement", "pledge__agenda_item__meeting"]
    search_fields = ["pledge__title"]
    date_hierarchy = "decided_at"


@admin.register(MailSettings)
class MailSettingsAdmin(ViewOnlyAdmin):
    list_display = ["user", "reminders", "updates", "minutes", "digest", "changed_at"]
    list_filter = ["reminders", "updates", "minutes", "digest"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__last_name"]


@admin.register(ScheduledRun)
class ScheduledRunAdmin(ViewOnlyAdmin):
    list_display = ["queued_at", "job", "period"]
    list_filter = ["job"]
    date_hierarchy = "queued_at"


@admin.register(Worker)
class WorkerAdmin(ViewOnlyAdmin):
    list_display = ["worker_id", "host", "pid", "started_at", "seen_at"]
