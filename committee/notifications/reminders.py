"""The daily reminder job: pledges due in 14, 7 and 1 days, overdue, and overdue by more than
30 days (escalated to the head of delegation).

Each reminder is decided once per pledge, milestone and due date: the Reminder row is unique,
and its mails are queued in the transaction that writes it. A second run, a second worker at
the same time, or a run after a worker died half way finds the row and sends nothing again.
A run that was missed catches up with the most urgent milestone only (a pledge found 5 days
before its date gets the 7-day reminder, not the 14-day one as well).
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from committee.agreements.models import Pledge
from committee.core import calendars
from committee.notifications import mails, recipients
from committee.notifications.models import Mail, Reminder

Milestone = Reminder.Milestone
ESCALATE_AFTER_DAYS = 30
FIRST_REMINDER_DAYS = 14


def milestones(days_left: int) -> list[str]:
    """The milestones a pledge has reached, `days_left` days before its due date."""
    if days_left < -ESCALATE_AFTER_DAYS:
        return [Milestone.OVERDUE, Milestone.ESCALATED]
    if days_left < 0:
        return [Milestone.OVERDUE]
    if days_left <= 1:
        return [Milestone.DUE_1]
    if days_left <= 7:
        return [Milestone.DUE_7]
    if days_left <= FIRST_REMINDER_DAYS:
        return [Milestone.DUE_14]
    return []


def run(today: datetime.date | None = None) -> int:
    """Decide and queue every reminder due today; returns how many were decided."""
    today = today or timezone.localdate()
    pledges = list(
        Pledge.objects.open()
        .filter(due_on__isnull=False, due_on__lte=today + datetime.timedelta(FIRST_REMINDER_DAYS))
        .select_related(
            "agreement",
            "agenda_item__meeting",
            "responsible_party",
            "focal_point__user",
            "focal_point__party",
            "counterpart_focal_point__user",
            "counterpart_focal_point__party",
        )
        .order_by("due_on", "pk")
    )
    sent = set(
        Reminder.objects.filter(pledge__in=pledges).values_list("pledge_id", "milestone", "due_on")
    )
    decided = 0
    for pledge in pledges:
        for milestone in milestones((pledge.due_on - today).days):
            if (pledge.pk, milestone, pledge.due_on) in sent:
                continue
            decided += _decide(pledge, milestone, today)
    return decided


def _decide(pledge: Pledge, milestone: str, today: datetime.date) -> int:
    with transaction.atomic():
        reminder, created = Reminder.objects.get_or_create(
            pledge=pledge, milestone=milestone, due_on=pledge.due_on
        )
        if not created:
            return 0  # another run decided it first
        escalated = milestone == Milestone.ESCALATED
        mails.queue(
            recipients.escalation_to(pledge) if escalated else recipients.focal_points(pledge),
            Mail.Kind.ESCALATION if escalated else Mail.Kind.REMINDER,
            lambda user: _content(pledge, milestone, today),
            reminder=reminder,
        )
    return 1


def _content(pledge: Pledge, milestone: str, today: datetime.date) -> mails.Content:
    days = (pledge.due_on - today).days
    name = f"{pledge.reference} {pledge.title}"
    if milestone == Milestone.ESCALATED:
        subject = ngettext(
            "Overdue by %(days)s day: %(pledge)s",
            "Overdue by %(days)s days: %(pledge)s",
            -days,
        ) % {"days": -days, "pledge": name}
        lead = ngettext(
            "A pledge your delegation is responsible for is overdue by more than %(limit)s "
            "day, and it is still open. As head of delegation you may want to ask its focal "
            "point for an update.",
            "A pledge your delegation is responsible for is overdue by more than %(limit)s "
            "days, and it is still open. As head of delegation you may want to ask its focal "
            "point for an update.",
            ESCALATE_AFTER_DAYS,
        ) % {"limit": ESCALATE_AFTER_DAYS}
    elif milestone == Milestone.OVERDUE:
        subject = _("Overdue: %(pledge)s") % {"pledge": name}
        lead = _(
            "This pledge was due on %(date)s and is still open. Please post an update: what has "
            "been done, and by when it will be completed."
        ) % {"date": calendars.long_date(pledge.due_on)}
    else:
        if days == 0:
            subject = _("Due today: %(pledge)s") % {"pledge": name}
        else:
            subject = ngettext(
                "Due in %(days)s day: %(pledge)s", "Due in %(days)s days: %(pledge)s", days
            ) % {"days": days, "pledge": name}
        lead = _(
            "This pledge falls due on %(date)s and is still open. Please post an update on "
            "where it stands, so that both delegations see it before the date."
        ) % {"date": calendars.long_date(pledge.due_on)}
    url = mails.absolute(pledge.get_absolute_url())
    return mails.Content(
        subject=subject,
        lead=lead,
        items=[pledge_item(pledge, url)],
        action=(_("Open the pledge and post an update"), url),
    )


def pledge_item(pledge: Pledge, url: str, detail: str = "") -> mails.Item:
    return mails.Item(
        reference=pledge.reference,
        title=pledge.title,
        detail=detail or pledge_state(pledge),
        url=url,
    )


def pledge_state(pledge: Pledge) -> str:
    """ "Due 1 December 2026 · In progress, 40%" in the active language."""
    parts = []
    if pledge.due_on:
        parts.append(_("Due %(date)s") % {"date": calendars.long_date(pledge.due_on)})
    parts.append(
        _("%(status)s, %(progress)s%%")
        % {"status": pledge.get_status_display(), "progress": pledge.progress}
    )
    return " · ".join(parts)
