"""A database outage: every page is a quick plain 503 with Retry-After, the health check still
answers, the readiness check says so, and the first request after the outage succeeds.

The outage is made by pointing the connection at a closed port (127.0.0.1:1). The real thing,
a PostgreSQL server stopped and started under load, is tests/test_db_outage_drill.py.
"""

import time
import uuid

import psycopg
import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import OperationalError, connection
from django.test import Client

from committee.agreements.models import PledgeUpdate
from portal.middleware import RETRY_AFTER_SECONDS

# A refused connection fails at once; the bound only catches a hang (the pool's default
# timeout is 30 s, DATABASE_CONNECT_TIMEOUT is 5 s). Not a benchmark.
QUICK_SECONDS = 10


class Outage:
    """Sends the next connections to a port where nothing listens, until end()."""

    def __init__(self, patch: pytest.MonkeyPatch):
        self.patch = patch

    def start(self):
        connection.close()
        self.patch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
        self.patch.setitem(connection.settings_dict, "PORT", "1")
        self.patch.delitem(connection.settings_dict["OPTIONS"], "host", raising=False)

    def end(self):
        connection.close()
        self.patch.undo()


@pytest.fixture
def outage(transactional_db):
    """Needs transactional_db: a test wrapped in a transaction cannot close its connection."""
    with pytest.MonkeyPatch.context() as patch:
        outage = Outage(patch)
        yield outage
        outage.end()


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "briefly unavailable" in body
    assert "Traceback" not in body
    assert "OperationalError" not in body


def test_health_and_readiness_when_the_database_answers(client, db):
    assert client.get("/healthz").content == b"ok\n"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ready\n"
    assert "no-cache" in response["Cache-Control"]


def test_an_outage_is_a_quick_503_and_the_next_request_after_it_succeeds(client, world, outage):
    client.force_login(world.azizi)
    assert client.get("/").status_code == 200
    outage.start()
    for url in ["/", "/pledges/", world.af_pledge.get_absolute_url(), "/accounts/login/"]:
        started = time.monotonic()
        response = client.get(url)
        assert time.monotonic() - started < QUICK_SECONDS
        assert_unavailable(response)
    outage.end()
    assert client.get("/").status_code == 200
    assert client.get(world.af_pledge.get_absolute_url()).status_code == 200


def test_during_an_outage_health_answers_and_readiness_does_not(client, outage):
    outage.start()
    assert client.get("/healthz").content == b"ok\n"
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < QUICK_SECONDS
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    outage.end()
    assert client.get("/readyz").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_health_answers_during_an_outage_even_with_a_session_cookie(client, world, outage):
    """A session a request carries is saved after every request (SESSION_SAVE_EVERY_REQUEST):
    the health check must not try."""
    client.force_login(world.azizi)
    outage.start()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    outage.end()
    assert client.get("/").status_code == 200  # the session is still there


def test_a_post_during_an_outage_writes_nothing(client, world, outage):
    client.force_login(world.azizi)
    outage.start()
    response = client.post(
        world.af_pledge.get_absolute_url(),
        {
            "status": "in_progress",
            "progress": "40",
            "note": "Sent during the outage",
            "submission_key": str(uuid.uuid4()),
            "pledge_version": "1",
        },
    )
    assert_unavailable(response)
    assert "it was not saved" in response.content.decode()
    outage.end()
    assert not PledgeUpdate.objects.exists()


def test_a_database_error_inside_a_view_is_a_503(client, world, monkeypatch):
    monkeypatch.setattr("portal.views.rules.memberships", lost)
    client.force_login(world.azizi)
    # No exception reaches the test client: the middleware answered, not Django's 500 path.
    assert_unavailable(client.get("/"))


def test_psycopgs_own_error_is_a_503_too(client, world, monkeypatch):
    """Django does not wrap every database call: the outage drill caught psycopg's error
    escaping from closing a server-side cursor while the tracker's filter form listed its
    choices."""

    def lost_unwrapped(*args, **kwargs):
        raise psycopg.OperationalError("consuming input failed: server closed the connection")

    monkeypatch.setattr("portal.views.rules.memberships", lost_unwrapped)
    client.force_login(world.azizi)
    assert_unavailable(client.get("/"))


def lost(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def test_a_database_lost_while_reading_the_session_is_a_503(world, monkeypatch):
    """The user is first read in LoginRequiredMiddleware, before the view: handler500 answers."""
    client = Client(raise_request_exception=False)
    client.force_login(world.azizi)
    monkeypatch.setattr(SessionStore, "load", lost)
    assert_unavailable(client.get("/"))


def test_a_database_lost_while_saving_the_session_is_a_503(world, monkeypatch):
    """Django turns a failed session save into SessionInterrupted, a 400: handler400 answers."""
    client = Client(raise_request_exception=False)
    client.force_login(world.azizi)
    monkeypatch.setattr(Session, "save", lost)
    assert_unavailable(client.get("/"))


def test_other_errors_keep_their_pages(world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug, not an outage")

    def interrupted(*args, **kwargs):
        raise UpdateError  # the session was deleted meanwhile (signed out in another tab)

    client = Client(raise_request_exception=False)
    client.force_login(world.azizi)
    with monkeypatch.context() as patch:
        patch.setattr(SessionStore, "load", broken)
        response = client.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert b"Something went wrong" in response.content
    monkeypatch.setattr(SessionStore, "save", interrupted)
    assert client.get("/").status_code == 400
