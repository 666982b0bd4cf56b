"""Sign-in throttling with django-axes: the lockout page.

A username is locked from one address after AXES_FAILURE_LIMIT failures, for
AXES_COOLOFF_TIME; colleagues behind the same ministry gateway keep signing in, and the same
username from another address is not locked either.
"""

import datetime
import math

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The page shown instead of the sign-in form while a username is locked from an address:
    until when, why, and what still works. Status 429 with Retry-After."""
    from axes.models import AccessAttempt  # logging's set-up imports this module early

    username = (credentials or {}).get("username") or request.POST.get("username", "")
    cool_off = settings.AXES_COOLOFF_TIME
    last_failure = (
        AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    now = timezone.now()
    until = (last_failure or now) + cool_off
    minutes = max(1, math.ceil((until - now) / datetime.timedelta(minutes=1)))
    response = render(
        request,
        "registration/locked_out.html",
        {
            "username": username,
            "until": until,
            "minutes": minutes,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cool_off_minutes": int(cool_off / datetime.timedelta(minutes=1)),
        },
        status=429,
    )
    response["Retry-After"] = str(max(1, math.ceil((until - now).total_seconds())))
    return response
