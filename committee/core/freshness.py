"""Rendered parts of pages kept between requests, and never shown once out of date.

A large committee's lists cost tens of milliseconds to read and render (docs/performance.md),
and most requests ask for what has not changed since the last one. So the busiest parts of
the tracker, the dashboard and the pledge page are kept, rendered, in each app server
process's memory (the "fragments" cache of settings.CACHES), under a key made of:

* the **data version**: one number in the database (the table core_dataversion, made by
  this app's migration 0002) that every committed change of a table such a part shows
  moves on. The tables are those whose models carry `data_changed()` in their
  Meta.triggers, and the committees' parties (a link table without a model: members'
  migration 0009). The triggers fire at commit (deferred), so the new number and the new
  data become visible together; a page reads the number before any of its data, so a part
  rendered from older data is kept under an older number, which no later request asks for;
* the reader: their user id, and what the permission rules decide by, as the view read it
  in the same request (`reader`: members.rules.reader_key(), which this app cannot import);
* the active language and today's date;
* whatever else the part depends on, named by the view that keeps it (kept_part()): the
  address of a filtered list, the record shown.

Nothing is kept inside a transaction: data written but not yet committed must not be kept
under a number others read. Nor without the number (a database without the row yet).
A request reads the number once, the first time anything asks (read_once_per_request): the
signed-in reader kept under it (members.backends) and the page's parts then agree on it.
Each process keeps its own parts; they need no sharing, since each request checks the number
in the database. Any change of a watched table makes every kept part old: simple to trust,
and a committee changes its records far less often than it reads them.
"""

from collections.abc import Callable, Iterable
from contextvars import ContextVar

import pgtrigger
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.db import connection
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

FRAGMENTS = "fragments"
# The SQL function the triggers call (created by this app's migration 0002).
TOUCH_FUNCTION = "portal_data_changed"


def data_changed(*columns: str) -> pgtrigger.Trigger:
    """The trigger of a table whose rows kept page parts or readers show, for its model's
    Meta.triggers: at commit, the data version moves on (once per transaction). With the
    names of columns, an update counts only when it writes one of them (a login's password
    or name, not the time of its last sign-in); an insert or a delete always counts."""
    return pgtrigger.Trigger(
        name="data_changed",
        level=pgtrigger.Row,
        when=pgtrigger.After,
        operation=(
            pgtrigger.Insert | pgtrigger.Delete | pgtrigger.UpdateOf(*columns)
            if columns
            else pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete
        ),
        timing=pgtrigger.Deferred,
        func=f"PERFORM {TOUCH_FUNCTION}(); RETURN NULL;",
    )


# The data version as one value; the epoch tells apart a row made again (a database emptied
# and filled anew). A request's first query may read it along (accounts/sessions.py).
VERSION_SQL = "SELECT epoch || '.' || value FROM core_dataversion WHERE id = 1"

# The version as the current request first read it (read_once_per_request); outside a
# request, None: each call reads the database.
_read_in_request: ContextVar[list | None] = ContextVar("data_version_read", default=None)


def data_version() -> str | None:
    """The data version, read before the data it stands for; None where nothing may be kept:
    inside a transaction, or before any change was committed. In a request, the number its
    first call read: what the request reads afterwards is at least as new."""
    if connection.in_atomic_block:
        return None
    read = _read_in_request.get()
    if read:
        return read[0]
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL)
        row = cursor.fetchone()
    version = row[0] if row else None
    if read is not None and version is not None:
        read.append(version)
    return version


def remember_version(version: str | None) -> None:
    """The data version a query of this request read along (VERSION_SQL as a subquery), as
    the request's own if it has read none yet: the number stands for what the request reads
    afterwards. Inside a transaction nothing is remembered, as nothing is kept."""
    read = _read_in_request.get()
    if read == [] and version is not None and not connection.in_atomic_block:
        read.append(version)


def read_once_per_request(get_response):
    """Middleware: within one request, data_version() reads the database once."""

    def middleware(request: HttpRequest):
        token = _read_in_request.set([])
        try:
            return get_response(request)
        finally:
            _read_in_request.reset(token)

    return middleware


# What a part's context may say: until when the part holds, for a part that changes with
# the time of day and not only with the data (an upcoming meeting that ends).
KEPT_UNTIL = "kept_until"


def kept_part(
    request: HttpRequest,
    name: str,
    version: str | None,
    template_name: str,
    context: Callable[[], dict],
    *,
    reader: tuple,
    vary_on: Iterable = (),
) -> SafeString:
    """`template_name` rendered with what `context()` reads, or the part kept from when it was
    rendered under the same data version, for the same reader (their login and `reader`,
    what the permission rules decide by), language and day, and `vary_on`. The view calls
    it, so that the data is read only for a part not kept: a page puts the part where it
    goes (the part holds nothing per request: no form that posts, no message, no script).
    A context with KEPT_UNTIL (an aware datetime) is kept until then at most."""
    if version is None:
        return mark_safe(render_to_string(template_name, context(), request))  # noqa: S308
    key = make_template_fragment_key(
        name,
        [
            version,
            request.user.pk,
            reader,
            translation.get_language(),
            timezone.localdate(),
            *vary_on,
        ],
    )
    cache = caches[FRAGMENTS]
    part = cache.get(key)
    if part is None:
        values = context()
        part = render_to_string(template_name, values, request)
        until = values.get(KEPT_UNTIL)
        if until is None:
            cache.set(key, part)
        elif (seconds := (until - timezone.now()).total_seconds()) >= 1:
            cache.set(key, part, int(seconds))
    # A template's output, escaped as it was rendered.
    return mark_safe(part)  # noqa: S308
