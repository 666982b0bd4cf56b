"""Sessions end after SESSION_COOKIE_AGE of idleness, without a write on every request.

Django's SESSION_SAVE_EVERY_REQUEST would push the expiry on by writing the session's row
after each request: half the queries of the lightest page, and a row lock that two tabs of
one person wait on. Instead a session is written again, with its expiry pushed on, when a
request comes at least REFRESH_AFTER after its last write. An idle session therefore ends
between SESSION_COOKIE_AGE minus REFRESH_AFTER and SESSION_COOKIE_AGE after its last
request: 7 h 55 min to 8 h.

The session's row is read together with the data version (committee/core/freshness.py),
which every signed-in request reads next for the reader it keeps: one round trip, not two,
before a page's own queries. SESSION_ENGINE names this module for its SessionStore.
"""

import time

from django.contrib.sessions.backends import db
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from committee.core import freshness

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


class SessionStore(db.SessionStore):
    """Django's database sessions, whose row comes with the data version."""

    def _get_session_from_db(self):
        # Django's own query, written out: the ORM's compiling of it cost as much as running
        # it, on every signed-in request.
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data, expire_date, ({freshness.VERSION_SQL}) FROM {table}"  # noqa: S608 (our table's name)
                " WHERE session_key = %s AND expire_date > %s",
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        session_data, expire_date, version = row
        freshness.remember_version(version)
        return self.model(
            session_key=self.session_key, session_data=session_data, expire_date=expire_date
        )
