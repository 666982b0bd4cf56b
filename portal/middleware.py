"""While PostgreSQL is unreachable, every page answers a plain 503 at once, and heals by itself.

Django turns an exception into a response at each middleware boundary, so an outer
middleware never sees a database error raised by an inner one (the session and the user are
first read in LoginRequiredMiddleware, before any view). This middleware therefore opens the
request's connection itself, before anything below it runs: a kept connection
(CONN_MAX_AGE) is checked and replaced when the server dropped it, and a refused or
timed-out connection becomes a 503 in the time the connection attempt takes
(DATABASE_CONNECT_TIMEOUT at most).
A database that fails in the middle of a request ends as a 503 too: from a view through
process_exception, from anywhere else through `portal.views.server_error` (handler500), and
from a session save, which Django reports as a 400 (SessionInterrupted), through
`portal.views.bad_request` (handler400). A connection broken by an outage is not reused
(Django's health check), so the first request after the database is back succeeds.
"""

import logging

import psycopg
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation

logger = logging.getLogger("portal.database")

# OperationalError covers a refused or timed-out connection, a server gone mid-query, and a
# pool that has no connection to give (psycopg_pool.PoolTimeout is one); InterfaceError a
# connection already closed under us. psycopg's own classes too: Django does not wrap every
# call (closing a server-side cursor, as a form's choices iterate, raises psycopg's error).
DATABASE_UNAVAILABLE_ERRORS = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)
RETRY_AFTER_SECONDS = 5


def caused_by_database(error: BaseException | None) -> bool:
    """Whether the error, or one it was raised from or while handling, is the database's:
    Django's session store turns a failed save into SessionInterrupted (a 400)."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_UNAVAILABLE_ERRORS):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def database_not_required(view):
    """Mark a view that answers without the database (health checks): no connection is opened
    for it, it runs without the session, and a database outage does not turn it into a 503."""
    view.database_not_required = True
    return view


def database_unavailable_response(request, error: Exception) -> HttpResponse:
    """A plain page asking to try again shortly. Rendered without a request, so no context
    processor (user, messages) can reach for the database."""
    logger.error(
        "database unavailable: %s %s: %s: %s",
        request.method,
        request.path,
        type(error).__name__,
        str(error).strip().replace("\n", " "),
    )
    with translation.override(translation.get_language_from_request(request)):
        content = render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Place it before every middleware that may read the database (sessions, users)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._database_not_required(request):
            # Sessions live in the database, and one a request carries may be written at its
            # end (committee/accounts/sessions.py): without its cookie, the view runs without.
            request.COOKIES.pop(settings.SESSION_COOKIE_NAME, None)
        else:
            try:
                # A kept connection (CONN_MAX_AGE) the server has dropped is replaced here.
                connection.close_if_health_check_failed()
                connection.ensure_connection()
            except DATABASE_UNAVAILABLE_ERRORS as error:
                return database_unavailable_response(request, error)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
            return database_unavailable_response(request, exception)
        return None

    @staticmethod
    def _database_not_required(request) -> bool:
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return False
        return getattr(match.func, "database_not_required", False)
