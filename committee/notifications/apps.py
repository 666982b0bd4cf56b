from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """What the portal mails, and the worker that sends it: reminders of due and overdue
    pledges, notices of the minutes' steps and of updates, the weekly digest, each in its
    reader's language, through an outbox the secretariat can read."""

    name = "committee.notifications"
    label = "notifications"
    verbose_name = _("Mail and background work")

    def ready(self):
        from committee.notifications import events

        events.connect()
