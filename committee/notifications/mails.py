"""Composing a mail in its reader's language and queueing it for delivery.

A mail is composed when it is decided, with the reader's language active (the one stored on
their account), so its subject, text and dates read as the portal's pages read to them; it is
kept in the outbox as written, and its delivery is queued in the same transaction.
"""

import dataclasses
from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from committee.members.models import User
from committee.notifications.models import Mail, MailSettings

SETTINGS_LINK_SALT = "committee.notifications.mail-settings"


@dataclasses.dataclass
class Item:
    """A line of a mail's list: a pledge, a comment, a session."""

    title: str
    detail: str = ""
    url: str = ""
    # A pledge's reference ("AF-KZ/JIWC/1 §9"), kept apart so that it reads left to right
    # inside a right-to-left line.
    reference: str = ""


@dataclasses.dataclass
class Content:
    subject: str
    lead: str
    items: list[Item] = dataclasses.field(default_factory=list)
    sections: list[tuple[str, list[Item]]] = dataclasses.field(default_factory=list)
    closing: str = ""
    action: tuple[str, str] | None = None  # (label, absolute URL)


def absolute(path: str) -> str:
    return f"{settings.PORTAL_URL}{path}"


def language_of(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE


def settings_token(user: User, topic: str) -> str:
    return signing.dumps({"user": user.pk, "topic": topic}, salt=SETTINGS_LINK_SALT)


def read_settings_token(token: str) -> tuple[int, str]:
    """The user and topic a mail-settings link was made for; raises signing.BadSignature
    (SignatureExpired when it is too old)."""
    data = signing.loads(
        token, salt=SETTINGS_LINK_SALT, max_age=settings.MAIL_SETTINGS_LINK_DAYS * 24 * 3600
    )
    return int(data["user"]), str(data["topic"])


def settings_link(user: User, topic: str) -> str:
    return absolute(reverse("notifications:settings_link", args=[settings_token(user, topic)]))


def wanted_by(users, kind: str) -> list[User]:
    """Those of `users` who get this kind of mail: active, with an address, and not opted out."""
    topic = Mail.TOPICS[kind]
    users = [user for user in users if user.is_active and user.email]
    chosen = {
        row.user_id: row.wants(topic)
        for row in MailSettings.objects.filter(user__in=[user.pk for user in users])
    }
    default = MailSettings._meta.get_field(topic).default
    return [user for user in users if chosen.get(user.pk, default)]


def queue(
    users,
    kind: str,
    compose: Callable[[User], Content],
    **fields,
) -> list[Mail]:
    """Compose `kind` for each of `users` who wants it, in their language, and queue its
    delivery; call it inside the transaction that decides the mail, so both stand or fall
    together. `compose(user)` runs with the reader's language active."""
    from committee.notifications.tasks import deliver

    mails = []
    topic = Mail.TOPICS[kind]
    readers = wanted_by(users, kind)
    if event := fields.get("event"):
        # A notice composed again (its task run twice) reaches no one twice.
        told = set(Mail.objects.filter(event=event).values_list("recipient_id", flat=True))
        readers = [user for user in readers if user.pk not in told]
    for user in readers:
        language = language_of(user)
        with translation.override(language):
            content = compose(user)
            context = {
                "content": content,
                "language": language,
                "direction": "rtl" if translation.get_language_bidi() else "ltr",
                "settings_url": settings_link(user, topic),
                "topic": topic.label,
            }
            mail = Mail.objects.create(
                recipient=user,
                to=user.email,
                language=language,
                kind=kind,
                # One line: a title with a line break must not end the mail's headers.
                subject=" ".join(content.subject.split())[:300],
                text=render_to_string("notifications/mail.txt", context),
                html=render_to_string("notifications/mail.html", context),
                **fields,
            )
        deliver.enqueue(mail.pk)
        mails.append(mail)
    return mails
