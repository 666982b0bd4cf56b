"""Sign-in limits beyond one username from one address, read from django-axes' own table.

django-axes keeps one AccessAttempt row per username, address and browser, with the failures
since its first. A successful sign-in deletes the rows of that username from that address, and
rows whose last failure is older than AXES_COOLOFF_TIME are deleted at every sign-in. What the
table holds is therefore the failures of the last 15 minutes that no success followed: an
official who mistypes a password and gets it right at the next try leaves nothing behind.
Three limits read it, on every app server alike, since the table is in PostgreSQL:

| limit | counts | then refuses, until the failures age out |
| --- | --- | --- |
| `account` (django-axes) | one username from one address | that username from that address |
| `address` | one address, any username | every sign-in from that address |
| `site` | the whole portal | a username or address with a failure, from an address new to it |

The site limit slows a guessing attack spread over many addresses without shutting the portal:
while it holds, each username can be tried about once per 15 minutes from addresses new to it,
each attacking address about once, and officials signing in from where they always do are not
affected. The numbers, and why, are in docs/deployment.md#signing-in.

Cost: one aggregate query before each sign-in, and one more during a surge when the username
or address has failures; none after. Parallel requests may each pass the check before any of
them is written, so a limit can be overshot by the number of requests served at once.
"""

from __future__ import annotations

import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessLog
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import F, Max, Q, Sum, Window
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

ACCOUNT = "account"
ADDRESS = "address"
SITE = "site"


def _recent(request: HttpRequest):
    return AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))


def _failures(request: HttpRequest, username: str | None) -> dict[str, int]:
    """The failures of the window: on the whole site, from this address, for this username."""
    failures = "failures_since_start"
    return _recent(request).aggregate(
        site=Coalesce(Sum(failures), 0),
        address=Coalesce(Sum(failures, filter=Q(ip_address=request.axes_ip_address)), 0),
        username=Coalesce(Sum(failures, filter=Q(username=username)), 0),
    )


def _signed_in_from_here_before(request: HttpRequest, username: str | None) -> bool:
    if not username or not request.axes_ip_address:
        return False
    since = timezone.now() - datetime.timedelta(days=settings.SIGN_IN_KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(
        username=username, ip_address=request.axes_ip_address, attempt_time__gte=since
    ).exists()


class ThrottlingHandler(AxesDatabaseHandler):
    """django-axes' database handler with the address and site limits added to its own
    (AXES_HANDLER). Which limit refused a sign-in is left on the request as `sign_in_pause`
    for the lockout page (sign_in.py) and the security log."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            request.sign_in_pause = ACCOUNT
            return True
        username = get_client_username(request, credentials)
        failures = _failures(request, username)
        # Kept for user_login_failed: the failure this request may add is counted there.
        request.sign_in_failures = failures
        if failures["address"] >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
            request.sign_in_pause = ADDRESS
            return True
        if (
            failures["site"] >= settings.SIGN_IN_SITE_FAILURE_LIMIT
            and (failures["address"] or failures["username"])
            and not _signed_in_from_here_before(request, username)
        ):
            request.sign_in_pause = SITE
            return True
        return False

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out:
            return
        failures = getattr(request, "sign_in_failures", None)
        # The failure that reaches the address's limit is answered with the pause at once, as
        # django-axes answers the one that reaches a username's.
        if failures and failures["address"] + 1 >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
            request.axes_locked_out = True
            request.axes_credentials = credentials
            request.sign_in_pause = ADDRESS
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def pause_ends(request: HttpRequest, username: str | None, pause: str) -> datetime.datetime:
    """When the pause that refused this sign-in ends, if nothing fails meanwhile: when enough
    of the failures behind it are older than the window (refused attempts are not counted, so
    trying again does not push it further)."""
    window = settings.AXES_COOLOFF_TIME
    recent = _recent(request)
    address = request.axes_ip_address
    if pause == ADDRESS:
        # Failures age out oldest first; the pause ends when those newer than the oldest one
        # still needed add up to fewer than the limit.
        last_needed = (
            recent.filter(ip_address=address)
            .annotate(
                newer_and_this=Window(
                    Sum("failures_since_start"),
                    order_by=[F("attempt_time").desc(), F("pk").desc()],
                )
            )
            .filter(newer_and_this__gte=settings.SIGN_IN_ADDRESS_FAILURE_LIMIT)
            .order_by("-attempt_time", "-pk")
            .values_list("attempt_time", flat=True)
            .first()
        )
    else:
        which = Q(username=username, ip_address=address)
        if pause == SITE:
            which = Q(username=username) | Q(ip_address=address)
        last_needed = recent.filter(which).aggregate(last=Max("attempt_time"))["last"]
    return (last_needed or timezone.now()) + window
