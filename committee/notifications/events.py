"""The domain apps' signals, turned into notice tasks. Each task is queued in the transaction
of the change it tells of (the database backend writes it as a row), so a change that rolls
back tells no one, and one that commits is told even if the web process dies next."""

from committee.agreements import signals as pledge_signals
from committee.meetings import signals as minutes_signals


def _queue(event: str, pk: int) -> None:
    from committee.notifications.tasks import notify

    notify.enqueue(event, pk)


def on_minutes_circulated(sender, circulation, **kwargs):
    _queue("minutes-circulated", circulation.pk)


def on_comment_answered(sender, comment, **kwargs):
    _queue("comment-answered", comment.pk)


def on_minutes_approved(sender, minutes, **kwargs):
    _queue("minutes-approved", minutes.pk)


def on_minutes_reopened(sender, reopening, **kwargs):
    _queue("minutes-reopened", reopening.pk)


def on_pledge_updated(sender, update, **kwargs):
    _queue("pledge-updated", update.pk)


def connect() -> None:
    minutes_signals.minutes_circulated.connect(on_minutes_circulated)
    minutes_signals.comment_answered.connect(on_comment_answered)
    minutes_signals.minutes_approved.connect(on_minutes_approved)
    minutes_signals.minutes_reopened.connect(on_minutes_reopened)
    pledge_signals.pledge_updated.connect(on_pledge_updated)
