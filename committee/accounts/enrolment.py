"""Setting up the second factor without trusting a password alone, and getting back in without
the phone.

**Enrolment links.** A staff member sets up an authenticator app only with a one-time link
that someone else issued: another member of the secretariat in the admin (the user's page,
action "Issue an enrolment link"), or, for the first staff member of a new installation, the
operator on the server (`manage.py issue_enrolment_link`). The link is shown once to whoever
issued it, who passes it on by a trusted channel. It works for its own user only, signed in
with their password, until the app is set up with it, a newer link is issued, or
ENROLMENT_LINK_VALID_FOR passes. Only a SHA-256 of its secret is stored. A link opened in a
browser is kept in the session and the address loses it at once (as Django's password reset
does), so the secret is not left in the history or a Referer.

**Recovery codes.** Setting up the app gives RECOVERY_CODE_COUNT single-use codes (django-otp's
static device), shown once; each stands in for a code from the app once. A signed-in staff
member who passed the second factor makes new ones (the old ones stop working).

Every issue, replacement, expiry, use and refusal of a link is an EnrolmentLinkEvent (read in
the admin) and a line in the security log; so is each recovery code used and each new set.
An expiry is written down when the portal next meets the link: when it is opened, when its
user signs in, or when a newer link is issued.
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from committee.accounts.models import EnrolmentLink, EnrolmentLinkEvent
from committee.core.http import client_ip
from committee.core.security_log import log_event

if TYPE_CHECKING:
    from django.http import HttpRequest

# What the session keeps of a link opened in the browser: its hash, never the secret.
SESSION_KEY = "otp_enrolment_link"
RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "Recovery codes"

State = EnrolmentLink.State
Kind = EnrolmentLinkEvent.Kind
Reason = EnrolmentLinkEvent.Reason
Channel = EnrolmentLink.Channel


class LinkRefused(Exception):
    """An enrolment link that does not let this user set up an app, and why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _record(
    kind: str,
    *,
    account,
    link: EnrolmentLink | None = None,
    actor=None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> None:
    EnrolmentLinkEvent.objects.create(
        kind=kind,
        link=link,
        account=account,
        actor=actor,
        reason=reason,
        ip=client_ip(request) if request is not None else None,
    )


def _end(link: EnrolmentLink, state: str, *, actor=None, request=None) -> None:
    """Retire a waiting link (used, replaced or expired): one event, one log line."""
    link.state = state
    link.ended_at = timezone.now()
    link.save(update_fields=["state", "ended_at"])
    _record(state, link=link, account=link.user, actor=actor, request=request)
    log_event(
        f"otp.enrolment_link.{state}",
        request=request,
        user=actor,
        account=link.user.get_username(),
        link=link.pk,
    )


def issue_link(
    user, *, issued_by=None, request: HttpRequest | None = None, operator: str = ""
) -> str:
    """A new enrolment link for `user`, retiring any earlier one; returns its secret, which is
    stored nowhere: show it to the issuer now or never. `issued_by` None is the operator on the
    server's command line (`operator`: their login on the server, for the log). Who may issue
    one for whom is rules.can_issue_enrolment_link's to say; nobody may for themselves, and
    the database refuses it too."""
    if issued_by is not None and issued_by.pk == user.pk:
        raise ValueError("nobody issues an enrolment link for themselves")
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        # The account's row lock queues two issuers of one account: the second retires the
        # first one's link instead of meeting the one-waiting-link constraint.
        type(user)._default_manager.select_for_update().filter(pk=user.pk).first()
        earlier = EnrolmentLink.objects.select_related("user").filter(
            user=user, state=State.WAITING
        )
        for link in earlier:
            expired = link.has_expired()
            _end(
                link,
                State.EXPIRED if expired else State.REPLACED,
                actor=None if expired else issued_by,
                request=request,
            )
        # A key shown for an earlier link is not confirmed with this one.
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        now = timezone.now()
        link = EnrolmentLink.objects.create(
            user=user,
            issued_by=issued_by,
            channel=Channel.COMMAND if issued_by is None else Channel.ADMIN,
            token_hash=EnrolmentLink.hash_token(raw),
            created_at=now,
            expires_at=now + settings.ENROLMENT_LINK_VALID_FOR,
        )
        _record(Kind.ISSUED, link=link, account=user, actor=issued_by, request=request)
    log_event(
        "otp.enrolment_link.issued",
        request=request,
        user=issued_by,
        account=user.get_username(),
        link=link.pk,
        channel=link.channel,
        expires_at=link.expires_at.isoformat(),
        **({"operator": operator} if issued_by is None else {}),
    )
    return raw


def open_link(request: HttpRequest, raw: str) -> None:
    """Keep a link opened in the browser in the session, to be checked on the enrolment page
    (after signing in, if need be)."""
    request.session[SESSION_KEY] = EnrolmentLink.hash_token(raw)


def _refuse(user, link: EnrolmentLink | None, reason: str, request) -> LinkRefused:
    # A link of someone else's is recorded against its owner's account: theirs is at stake.
    account = link.user if link is not None else user
    _record(Kind.REFUSED, link=link, account=account, actor=user, reason=reason, request=request)
    log_event(
        "otp.enrolment_link.refused",
        request=request,
        user=user,
        level=logging.WARNING,
        reason=reason,
        account=account.get_username(),
        link=link.pk if link is not None else None,
    )
    return LinkRefused(reason)


def _why_not(user, link: EnrolmentLink | None) -> str | None:
    if link is None:
        return Reason.UNKNOWN
    if link.user_id != user.pk:
        return Reason.OTHER_ACCOUNT
    if link.state != State.WAITING:
        return link.state  # used, replaced or expired: the reasons share their names
    if link.has_expired():
        return Reason.EXPIRED
    return None


def check_link(user, token_hash: str, *, request: HttpRequest | None = None) -> EnrolmentLink:
    """The waiting link behind `token_hash` if it lets `user` set up an app; otherwise the
    refusal is recorded (and an expiry noticed now written down) and LinkRefused raised."""
    link = EnrolmentLink.objects.select_related("user").filter(token_hash=token_hash).first()
    reason = _why_not(user, link)
    if reason is None:
        return link
    if reason == Reason.EXPIRED and link.state == State.WAITING:
        _end(link, State.EXPIRED, request=request)
    raise _refuse(user, link, reason, request)


def notice_expiry(user, *, request: HttpRequest | None = None) -> None:
    """Write down the expiry of the user's waiting link, if its time has passed."""
    now = timezone.now()
    for link in EnrolmentLink.objects.select_related("user").filter(
        user=user, state=State.WAITING, expires_at__lte=now
    ):
        _end(link, State.EXPIRED, request=request)


def complete_enrolment(
    link: EnrolmentLink, device: TOTPDevice, *, request: HttpRequest | None = None
) -> list[str]:
    """The app's first code was right: use up the link, make `device` the user's only app, and
    give them new recovery codes, which are returned (shown once, stored by django-otp).

    Under the link's row lock, so that two sessions cannot both use it."""
    user = device.user
    with transaction.atomic():
        locked = (
            EnrolmentLink.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=link.pk)
            .first()
        )
        reason = _why_not(user, locked)
        if reason is None:
            _end(locked, State.USED, actor=user, request=request)
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_codes(user)
    if reason is not None:
        if reason == Reason.EXPIRED and locked.state == State.WAITING:
            _end(locked, State.EXPIRED, request=request)
        raise _refuse(user, locked, reason, request)
    log_event("otp.recovery_codes.made", request=request, user=user, count=len(codes))
    return codes


# Recovery codes.


def _new_codes(user) -> list[str]:
    # The device stays (only its tokens change): a session verified with a recovery code
    # stays verified when its owner makes new ones.
    device = StaticDevice.objects.filter(user=user).order_by(
        "pk"
    ).first() or StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return sorted(codes)


def make_recovery_codes(user, *, request: HttpRequest | None = None) -> list[str]:
    """New recovery codes for `user`, the old ones no longer working; returned to be shown
    once."""
    with transaction.atomic():
        codes = _new_codes(user)
    log_event("otp.recovery_codes.made", request=request, user=user, count=len(codes))
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def recovery_devices(user) -> list[StaticDevice]:
    """The user's confirmed static devices that still hold a code."""
    return list(
        StaticDevice.objects.devices_for_user(user, confirmed=True)
        .filter(token_set__isnull=False)
        .distinct()
    )


def normalise_recovery_code(text: str) -> str:
    """A recovery code as stored: lowercase, without the spaces or hyphens it is shown or
    typed with."""
    return "".join(text.split()).replace("-", "").lower()


def show_recovery_code(code: str) -> str:
    """Two groups of four, easier to copy by hand: `abcd-efgh`."""
    return f"{code[:4]}-{code[4:]}"
