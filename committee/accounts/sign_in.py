"""Sign-in throttling with django-axes: the lockout page.

A username is locked from one address after AXES_FAILURE_LIMIT failures, for
AXES_COOLOFF_TIME; colleagues behind the same ministry gateway keep signing in, and the same
username from another address is not locked either. An address with too many failures on any
usernames, and the whole portal under a spread-out attack, are limited too (throttling.py).
"""

import datetime
import math

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone

from committee.accounts import throttling


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The page shown instead of the sign-in form while a sign-in is paused: which limit,
    until when, and what still works. Status 429 with Retry-After."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    pause = getattr(request, "sign_in_pause", throttling.ACCOUNT)
    until = throttling.pause_ends(request, username, pause)
    now = timezone.now()
    minutes = max(1, math.ceil((until - now) / datetime.timedelta(minutes=1)))
    cool_off = settings.AXES_COOLOFF_TIME
    response = render(
        request,
        "registration/locked_out.html",
        {
            "pause": pause,
            "username": username,
            "until": until,
            "minutes": minutes,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "address_limit": settings.SIGN_IN_ADDRESS_FAILURE_LIMIT,
            "cool_off_minutes": int(cool_off / datetime.timedelta(minutes=1)),
        },
        status=429,
    )
    response["Retry-After"] = str(max(1, math.ceil((until - now).total_seconds())))
    return response
