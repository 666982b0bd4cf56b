"""The production app server: gunicorn started with the repository's gunicorn.conf.py, as
`make serve` and docs/deployment.md start it, against the test database.

Its workers outlive the portal's own PDF time limit, it serves pages, static files and a PDF
made in the request, and its access log keeps no secret: neither the calendar feed's (a query
string) nor one in a path (every URL parameter named `token`), nor one in a referrer."""

import os
import re
import subprocess
import time

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from committee.core.http import SECRET_URL_PARAMETERS
from committee.members.models import CalendarToken
from tests import factories
from tests.app_server import GUNICORN, ROOT, portal_environment
from tests.conftest import force_login

GUNICORN_DEFAULT_TIMEOUT = 30
PDF_RENDER_TIMEOUT_DEFAULT = 60


def _effective_config(tmp_path, **extra) -> dict[str, str]:
    """gunicorn's own account of the configuration in force (--print-config)."""
    done = subprocess.run(
        [*GUNICORN, "--print-config"],
        cwd=ROOT,
        env=portal_environment(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return {
        name.strip(): value.strip()
        for name, value in (line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    }


def test_the_workers_outlive_the_portals_pdf_time_limit(tmp_path):
    config = _effective_config(tmp_path)
    # gunicorn's default of 30 s would kill a sync worker while a PDF may still be rendering
    # in its request, before the portal could answer 503 at its own limit.
    assert config["worker_class"] == "sync"
    assert int(config["timeout"]) > PDF_RENDER_TIMEOUT_DEFAULT > GUNICORN_DEFAULT_TIMEOUT
    # A restart lets a request in progress finish, and workers are renewed, not all at once.
    assert int(config["graceful_timeout"]) >= int(config["timeout"])
    assert int(config["max_requests"]) > 0
    assert int(config["max_requests_jitter"]) > 0
    cores = len(os.sched_getaffinity(0))
    assert int(config["workers"]) == min(2 * cores + 1, 16)

    # The timeout follows the portal's limit, and the number of workers the environment.
    config = _effective_config(tmp_path, PDF_RENDER_TIMEOUT="120", WEB_CONCURRENCY="3")
    assert int(config["timeout"]) > 120
    assert int(config["workers"]) == 3


def test_gunicorn_serves_pages_static_files_and_a_pdf_made_in_the_request(
    app_server, world, client
):
    app_server = app_server()
    page = app_server.get("/accounts/login/")
    assert page.status == 200
    assert page.headers["Server"] == "gunicorn"
    assert "camera=()" in page.headers["Permissions-Policy"]
    assert b'name="csrfmiddlewaretoken"' in page.content

    static = app_server.get("/static/css/portal.css")
    assert static.status == 200
    assert "no-store" not in static.headers.get("Cache-Control", "")

    # A draft of minutes is rendered in the request (never on the worker), for the staff.
    meeting = factories.MeetingFactory(committee=world.committee)
    factories.MinutesFactory(meeting=meeting)
    force_login(client, world.staff)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    pdf = app_server.get(f"/meetings/{meeting.pk}/minutes.pdf", Cookie=cookie)
    assert pdf.status == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert "no-store" in pdf.headers["Cache-Control"]


def _paths_with_secrets(marker: str) -> list[str]:
    """Every route of the portal with a parameter in SECRET_URL_PARAMETERS, that parameter
    filled with `marker` (others with a placeholder)."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if not isinstance(pattern.pattern, RoutePattern):
                continue
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and set(pattern.pattern.converters) & set(
                SECRET_URL_PARAMETERS
            ):
                found.append("/" + route)

    walk(get_resolver().url_patterns, "")

    def fill(match):
        name = match.group(1).split(":")[-1]
        return marker if name in SECRET_URL_PARAMETERS else "MQ"

    return [re.sub(r"<([^>]+)>", fill, route) for route in found]


# Every place a secret could reach a line: request line, path, query, referrer, the raw
# headers and the WSGI environment.
EVERY_ATOM = (
    "%(r)s|%(U)s|%(q)s|%(f)s|%({referer}i)s|%({raw_uri}e)s|%({query_string}e)s|"
    "%({path_info}e)s|%({http_referer}e)s"
)


@pytest.mark.parametrize(
    "arguments",
    [(), ("--access-logformat", EVERY_ATOM)],
    ids=["the repository's format", "a format with every atom"],
)
def test_the_access_log_keeps_no_secret(app_server, world, arguments):
    app_server = app_server(*arguments)
    feed_secret = CalendarToken.issue(world.azizi)
    feed = app_server.get(f"/meetings.ics?token={feed_secret}")
    assert feed.status == 200
    assert feed.headers["Content-Type"] == "text/calendar; charset=utf-8"

    marker = "Secret0Marker0In0A0Path"
    paths = _paths_with_secrets(marker)
    # Django's password-reset link and the mail settings links, at least.
    assert len(paths) >= 3, paths
    for path in paths:
        app_server.get(path, Referer=f"{app_server.origin}{path}?token={feed_secret}")

    time.sleep(0.5)  # the access line is written after the response
    log = app_server.access_log.read_text()
    assert "/meetings.ics" in log
    assert feed_secret not in log
    assert marker not in log
    for path in paths:
        assert path.replace(marker, "[removed]") in log, log
