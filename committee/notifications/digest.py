"""The weekly digest: for each member who has not turned it off, what changed on their committees'
pledges in the last seven days, what is overdue and due soon, and the next session."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from committee.agreements.models import Pledge, PledgeUpdate
from committee.core import calendars
from committee.meetings.models import Meeting
from committee.members import rules
from committee.members.models import User
from committee.notifications import mails
from committee.notifications.models import Mail
from committee.notifications.reminders import pledge_item, pledge_state

WEEK = datetime.timedelta(days=7)
DUE_SOON_DAYS = 14
# A digest lists at most this many lines under each heading, then says how many more.
LIMIT = 15


def run(today: datetime.date | None = None) -> int:
    """Queue this week's digest for every member who has not turned it off; returns how many
    were queued.
    The event names the ISO week, so a second run in the same week queues nothing."""
    today = today or timezone.localdate()
    year, week, _day = today.isocalendar()
    readers = (
        User.objects.filter(is_active=True, memberships__is_active=True).distinct().order_by("pk")
    )
    queued = 0
    for user in readers:
        with transaction.atomic():
            queued += len(
                mails.queue(
                    [user],
                    Mail.Kind.DIGEST,
                    lambda reader: _content(reader, today),
                    event=f"digest:{year}-W{week:02d}",
                )
            )
    return queued


def _items(pledges) -> list[mails.Item]:
    rows = list(pledges[: LIMIT + 1])
    items = [
        pledge_item(pledge, mails.absolute(pledge.get_absolute_url())) for pledge in rows[:LIMIT]
    ]
    if len(rows) > LIMIT:
        items.append(mails.Item(title=_("… and more on the portal.")))
    return items


def _content(user: User, today: datetime.date) -> mails.Content:
    pledges = Pledge.objects.visible_to(user).select_related("agreement", "agenda_item__meeting")
    since = timezone.now() - WEEK
    updates = list(
        PledgeUpdate.objects.filter(pledge__in=pledges, created_at__gte=since)
        .select_related("pledge__agreement", "pledge__agenda_item__meeting", "author_party")
        .order_by("-created_at")[: LIMIT + 1]
    )
    changed = [
        pledge_item(
            update.pledge,
            mails.absolute(update.get_absolute_url()),
            detail=_("%(side)s, %(date)s: %(state)s")
            % {
                "side": update.author_party or _("The secretariat"),
                "date": calendars.long_date(timezone.localtime(update.created_at).date()),
                "state": pledge_state(update.pledge),
            },
        )
        for update in updates[:LIMIT]
    ]
    if len(updates) > LIMIT:
        changed.append(mails.Item(title=_("… and more on the portal.")))
    sections = [
        (_("Updated in the last seven days"), changed),
        (_("Overdue"), _items(pledges.overdue(today).order_by("due_on", "pk"))),
        (
            ngettext("Due in the next %(days)s day", "Due in the next %(days)s days", DUE_SOON_DAYS)
            % {"days": DUE_SOON_DAYS},
            _items(pledges.due_within(today, DUE_SOON_DAYS).order_by("due_on", "pk")),
        ),
    ]
    meeting = (
        rules.scope_to_committees(Meeting.objects.all(), user)
        .filter(starts_at__gt=timezone.now(), status=Meeting.Status.PLANNED)
        .select_related("committee")
        .order_by("starts_at")
        .first()
    )
    session = []
    if meeting is not None:
        with timezone.override(meeting.zone):
            when = calendars.date_time(meeting.starts_at)
        session.append(
            mails.Item(
                title=str(meeting),
                detail=f"{when}, {meeting.city}",
                url=mails.absolute(meeting.get_absolute_url()),
            )
        )
    sections.append((_("Next session"), session))
    return mails.Content(
        subject=_("Your weekly digest of the committee's pledges, %(date)s")
        % {"date": calendars.long_date(today)},
        lead=_("What happened on your committee's pledges this week, and what comes next."),
        sections=sections,
        action=(_("Open the portal"), mails.absolute(reverse("home"))),
    )
