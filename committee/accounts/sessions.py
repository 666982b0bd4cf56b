"""Sessions end after SESSION_COOKIE_AGE of idleness, without a write on every request.

Django's SESSION_SAVE_EVERY_REQUEST would push the expiry on by writing the session's row
after each request: half the queries of the lightest page, and a row lock that two tabs of
one person wait on. Instead a session is written again, with its expiry pushed on, when a
request comes at least REFRESH_AFTER after its last write. An idle session therefore ends
between SESSION_COOKIE_AGE minus REFRESH_AFTER and SESSION_COOKIE_AGE after its last
request: 7 h 55 min to 8 h.
"""

import time

from django.http import HttpRequest, HttpResponse

REFRESH_AFTER = 5 * 60  # seconds
WRITTEN_AT = "_written_at"


def idle_expiry_middleware(get_response):
    """Place it right after SessionMiddleware: that saves what this marks as modified."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        session = getattr(request, "session", None)
        # A session nobody read is not loaded here either (static files, health checks).
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        if session.modified or now - session.get(WRITTEN_AT, 0) >= REFRESH_AFTER:
            session[WRITTEN_AT] = now
        return response

    return middleware
