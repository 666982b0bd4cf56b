"""What happened to a pledge, for whoever tells people about it (the notifications app); sent
inside the transaction that made the change."""

from django.dispatch import Signal

# update: the PledgeUpdate just posted
pledge_updated = Signal()
