"""Notices of events (events.py): who is told, and what each reads, in their language."""

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from committee.agreements.models import PledgeUpdate
from committee.core import calendars
from committee.meetings.models import Meeting, Minutes, MinutesComment, MinutesReopening
from committee.members import rules
from committee.members.models import Member, User
from committee.notifications import mails, recipients
from committee.notifications.models import Mail
from committee.notifications.reminders import pledge_item

QUOTE_LENGTH = 600


def _minutes_readers(minutes: Minutes) -> list[User]:
    """The committee's members who sign in and may read these minutes now."""
    members = (
        Member.objects.active()
        .filter(committee_id=minutes.meeting.committee_id, user__isnull=False)
        .select_related("user")
        .order_by("pk")
    )
    users = {member.user.pk: member.user for member in members}
    return [user for user in users.values() if rules.can_view_minutes(user, minutes)]


def _minutes(pk: int) -> Minutes:
    return Minutes.objects.select_related("meeting__committee").get(pk=pk)


def _minutes_url(meeting: Meeting) -> str:
    return mails.absolute(reverse("meetings:minutes", args=[meeting.pk]))


def minutes_circulated(pk: int) -> list[Mail]:
    from committee.meetings.models import MinutesCirculation

    circulation = MinutesCirculation.objects.select_related("minutes__meeting__committee").get(
        pk=pk
    )
    minutes = circulation.minutes
    meeting = minutes.meeting

    def deadline() -> str:
        # As the meeting page gives it: in the session's time zone, named.
        with timezone.override(meeting.zone):
            return f"{calendars.date_time(circulation.comment_deadline)} ({meeting.time_zone})"

    def compose(user: User) -> mails.Content:
        return mails.Content(
            subject=_("Minutes of %(meeting)s circulated for comment (version %(number)s)")
            % {"meeting": meeting, "number": circulation.number},
            lead=_(
                "The secretariat has circulated version %(number)s of the minutes of "
                "%(meeting)s. Your delegation may comment until %(deadline)s; the heads of "
                "delegation then approve them."
            )
            % {
                "number": circulation.number,
                "meeting": meeting,
                "deadline": deadline(),
            },
            action=(
                _("Read the minutes and comment"),
                mails.absolute(reverse("meetings:minutes_comments", args=[meeting.pk])),
            ),
        )

    # Those who may comment: the notice asks for their comments (observers read the minutes
    # once approved, and hear of that).
    commenters = [
        user for user in _minutes_readers(minutes) if rules.can_comment_on_minutes(user, minutes)
    ]
    return mails.queue(
        commenters,
        Mail.Kind.MINUTES_CIRCULATED,
        compose,
        event=f"minutes-circulated:{pk}",
    )


def comment_answered(pk: int) -> list[Mail]:
    comment = MinutesComment.objects.select_related(
        "minutes__meeting__committee", "author", "agenda_item"
    ).get(pk=pk)
    meeting = comment.minutes.meeting
    if comment.author is None or not rules.can_view_minutes(comment.author, comment.minutes):
        return []

    def compose(user: User) -> mails.Content:
        quoted = Truncator(comment.text).chars(QUOTE_LENGTH)
        items = [mails.Item(title=_("Your comment: %(text)s") % {"text": quoted})]
        if comment.answer_reason:
            items.append(
                mails.Item(
                    title=_("The secretariat's reason: %(reason)s")
                    % {"reason": Truncator(comment.answer_reason).chars(QUOTE_LENGTH)}
                )
            )
        return mails.Content(
            subject=_("Your comment on the minutes of %(meeting)s was answered")
            % {"meeting": meeting},
            lead=_("The secretariat's answer to your comment: %(answer)s.")
            % {"answer": comment.get_answer_display()},
            items=items,
            action=(
                _("See the answer"),
                mails.absolute(reverse("meetings:minutes_comments", args=[meeting.pk])),
            ),
        )

    # Answers may be revised until approval: each revision is told once.
    return mails.queue(
        [comment.author],
        Mail.Kind.COMMENT_ANSWERED,
        compose,
        event=f"comment-answered:{pk}:{comment.answered_at:%Y%m%dT%H%M%S.%f}",
    )


def minutes_approved(pk: int) -> list[Mail]:
    minutes = _minutes(pk)
    meeting = minutes.meeting
    if not minutes.is_approved:
        return []  # re-opened before the notice was composed

    def compose(user: User) -> mails.Content:
        return mails.Content(
            subject=_("The minutes of %(meeting)s are approved") % {"meeting": meeting},
            lead=_(
                "Every head of delegation has approved the minutes of %(meeting)s. They are "
                "the committee's agreed record; the signed PDF is on the portal."
            )
            % {"meeting": meeting},
            action=(_("Open the approved minutes"), _minutes_url(meeting)),
        )

    return mails.queue(
        _minutes_readers(minutes),
        Mail.Kind.MINUTES_APPROVED,
        compose,
        event=f"minutes-approved:{pk}:{minutes.approved_at:%Y%m%dT%H%M%S.%f}",
    )


def minutes_reopened(pk: int) -> list[Mail]:
    reopening = MinutesReopening.objects.select_related("minutes__meeting__committee").get(pk=pk)
    minutes = reopening.minutes
    meeting = minutes.meeting

    def compose(user: User) -> mails.Content:
        return mails.Content(
            subject=_("The minutes of %(meeting)s are re-opened") % {"meeting": meeting},
            lead=_(
                "The approved minutes of %(meeting)s were re-opened for a correction; their "
                "approvals are withdrawn, and a corrected version will be circulated."
            )
            % {"meeting": meeting},
            items=[
                mails.Item(
                    title=_("Reason: %(reason)s")
                    % {"reason": Truncator(reopening.reason).chars(QUOTE_LENGTH)}
                )
            ],
            action=(_("Open the minutes"), _minutes_url(meeting)),
        )

    return mails.queue(
        _minutes_readers(minutes),
        Mail.Kind.MINUTES_REOPENED,
        compose,
        event=f"minutes-reopened:{pk}",
    )


def pledge_updated(pk: int) -> list[Mail]:
    update = PledgeUpdate.objects.select_related(
        "pledge__agreement",
        "pledge__agenda_item__meeting",
        "pledge__focal_point__user",
        "pledge__counterpart_focal_point__user",
        "author_party",
    ).get(pk=pk)
    pledge = update.pledge

    def compose(user: User) -> mails.Content:
        name = f"{pledge.reference} {pledge.title}"
        url = mails.absolute(update.get_absolute_url())
        side = update.author_party or _("The secretariat")
        return mails.Content(
            subject=_("Update on %(pledge)s") % {"pledge": name},
            lead=_(
                "%(side)s posted an update on a pledge that your delegation shares or depends on."
            )
            % {"side": side},
            items=[pledge_item(pledge, url)],
            closing=Truncator(update.note).chars(QUOTE_LENGTH),
            action=(_("Open the update"), url),
        )

    return mails.queue(
        recipients.counterparts(pledge, update.author_party_id),
        Mail.Kind.PLEDGE_UPDATE,
        compose,
        event=f"pledge-updated:{pk}",
    )


NOTICES = {
    "minutes-circulated": minutes_circulated,
    "comment-answered": comment_answered,
    "minutes-approved": minutes_approved,
    "minutes-reopened": minutes_reopened,
    "pledge-updated": pledge_updated,
}
