"""What happened to a session's minutes, for whoever tells people about it (the notifications
app). Each is sent inside the transaction that made the change, so what a receiver records
or queues stands or falls with it."""

from django.dispatch import Signal

# circulation: the MinutesCirculation just made
minutes_circulated = Signal()
# comment: the MinutesComment just answered
comment_answered = Signal()
# minutes: the Minutes approved by the last head of delegation, sent once their sealed record
# is stored (committee/meetings/tasks.py)
minutes_approved = Signal()
# reopening: the MinutesReopening just recorded
minutes_reopened = Signal()
