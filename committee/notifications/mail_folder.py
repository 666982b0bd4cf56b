"""A mail backend for local development: each message becomes an .eml file in a folder, which
any mail program opens; the admin's outbox shows the same mails as text."""

import datetime
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class MailFolderBackend(BaseEmailBackend):
    def __init__(self, *, directory, **kwargs):
        super().__init__(**kwargs)
        self.directory = Path(directory)

    def send_messages(self, email_messages) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S")
            path = self.directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            path.write_bytes(message.message().as_bytes())
        return len(email_messages)
