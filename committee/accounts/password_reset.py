"""Password-reset requests, limited per address and per e-mail address.

Django's form sends a link for every request. Here, within PASSWORD_RESET_WINDOW:

- one address may send PASSWORD_RESET_ADDRESS_LIMIT requests; the next is answered with a
  page that says so and when to try again (429). It tells nothing about accounts: the count
  is the same whatever e-mail addresses were typed.
- one e-mail address gets PASSWORD_RESET_EMAIL_LIMIT links; further requests for it are
  answered with the usual "check your e-mail" page and no mail, exactly as for an address no
  account has, so the answer never tells whether an account exists.

The counts live in PostgreSQL (PasswordResetRequest) and are read and written under one
advisory lock, so parallel requests on several app servers cannot all pass together.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import math

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import connection, transaction
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from committee.accounts.models import PasswordResetRequest
from committee.core.http import client_ip
from committee.core.security_log import log_event

# pg_advisory_xact_lock's key for the counts of password-reset requests ("PWRESET" in ASCII).
_LOCK_KEY = 0x5057524553455400


@dataclasses.dataclass(frozen=True)
class Admission:
    mail: bool = False
    refused_until: datetime.datetime | None = None


def admit(*, address: str | None, email: str) -> Admission:
    """Record one request for `email` from `address`, or refuse it when the address has used
    its requests; say whether a link may be mailed."""
    email = email.lower()
    now = timezone.now()
    window = settings.PASSWORD_RESET_WINDOW
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        PasswordResetRequest.objects.filter(requested_at__lte=now - window).delete()
        counts = PasswordResetRequest.objects.aggregate(
            address=Count("pk", filter=Q(ip_address=address)),
            mails=Count("pk", filter=Q(email=email, mailed=True)),
        )
        limit = settings.PASSWORD_RESET_ADDRESS_LIMIT
        if counts["address"] >= limit:
            # The address may ask again once its limit-th latest request is out of the window.
            oldest_needed = (
                PasswordResetRequest.objects.filter(ip_address=address)
                .order_by("-requested_at")
                .values_list("requested_at", flat=True)[limit - 1]
            )
            return Admission(refused_until=oldest_needed + window)
        mail = counts["mails"] < settings.PASSWORD_RESET_EMAIL_LIMIT
        PasswordResetRequest.objects.create(
            requested_at=now, ip_address=address, email=email, mailed=mail
        )
    return Admission(mail=mail)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password-reset page with the limits above."""

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        admission = admit(address=client_ip(self.request), email=email)
        if admission.refused_until is not None:
            log_event("password_reset.refused", request=self.request, level=logging.WARNING)
            return paused_response(self.request, admission.refused_until)
        if not admission.mail:
            log_event(
                "password_reset.limited", request=self.request, level=logging.WARNING, email=email
            )
            # The page every request gets, with no mail behind it.
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


def paused_response(request, until: datetime.datetime):
    now = timezone.now()
    response = render(
        request,
        "registration/password_reset_paused.html",
        {
            "until": until,
            "minutes": max(1, math.ceil((until - now) / datetime.timedelta(minutes=1))),
            "request_limit": settings.PASSWORD_RESET_ADDRESS_LIMIT,
            "window_minutes": int(settings.PASSWORD_RESET_WINDOW / datetime.timedelta(minutes=1)),
        },
        status=429,
    )
    response["Retry-After"] = str(max(1, math.ceil((until - now).total_seconds())))
    return response
