"""The domain apps' signals, turned into notice tasks. Each task is queued in the transaction
of the change it tells of (the database backend writes it as a row), so a change that rolls
back tells no one, and one that commits is told even if the web process dies next."""

import contextlib
import contextvars

from committee.agreements import signals as pledge_signals
from committee.meetings import signals as minutes_signals

_quiet = contextvars.ContextVar("notifications_quiet", default=False)


@contextlib.contextmanager
def suppressed():
    """No notices for what happens inside: the demo loader replays a past that nobody needs
    to be told of."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def _queue(event: str, pk: int) -> None:
    from committee.notifications.tasks import notify

    if not _quiet.get():
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
