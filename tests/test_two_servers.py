"""Several app servers, one database: nothing one server needs lives in another's memory or disk.

Two gunicorns, started as `make serve` and docs/deployment.md start them (DEBUG off, the
repository's gunicorn.conf.py), on two ports against the one test database, in both shared
set-ups: the database as cache with files in a shared folder, and Redis as cache with files
in an S3-compatible bucket. One person's browser goes to either, as behind a load balancer:
a sign-in on one holds on the other, an update posted on one shows on the other at once,
failed sign-ins on both count toward one lockout, a file uploaded through one downloads
through the other, and two edits of one pledge through the two are caught as a conflict.
"""

import ast
import dataclasses
import email.message
import http.client
import http.cookies
import importlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.sessions.backends import db as db_sessions
from django.db import connection
from django.utils.module_loading import import_string

from committee.agreements.models import PledgeUpdate
from committee.members.models import User
from tests.app_server import ROOT, portal_environment
from tests.mail_server import free_port

PASSWORD = "correct horse battery staple"  # tests/factories.py's UserFactory
PDF = b"%PDF-1.4\n% evidence of the shipment\n" + os.urandom(2048) + b"\n%%EOF\n"


# --- The shared services ----------------------------------------------------------------------


def _wait_for(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"{what} did not start") from None
            time.sleep(0.1)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis server: REDIS_URL's when set, else one started for this run on a free port
    (Debian's redis-server, which scripts/ensure_test_packages.sh installs), keeping nothing
    on disk."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    server = shutil.which("redis-server")
    assert server, "redis-server is missing: sudo apt-get install -y redis-server"
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    _wait_for(port, process, "redis-server")
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def s3_endpoint():
    """An S3-compatible object store on a free port: moto's stand-alone server, which speaks
    S3's HTTP API to boto3 (and so to django-storages) as a provider's would. (No other S3
    server installs from the registries this project uses.)"""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for(port, process, "The S3 server")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


S3_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "portal-test",
    "AWS_SECRET_ACCESS_KEY": "portal-test-secret",
    "AWS_S3_REGION_NAME": "us-east-1",
}


def _s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=S3_CREDENTIALS["AWS_S3_REGION_NAME"],
        aws_access_key_id=S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


@dataclasses.dataclass
class SharedSetUp:
    """What the app servers share besides the database, as environment variables."""

    environment: dict[str, str | None]
    bucket: str | None = None
    s3: object = None


@pytest.fixture(params=["database cache and shared folder", "Redis and S3 bucket"])
def shared(request, tmp_path) -> SharedSetUp:
    if request.param == "database cache and shared folder":
        return SharedSetUp(
            {
                "REDIS_URL": None,
                "STORAGE_S3_BUCKET": None,
                "MEDIA_ROOT": str(tmp_path / "shared-mount" / "media"),
            }
        )
    endpoint = request.getfixturevalue("s3_endpoint")
    s3 = _s3_client(endpoint)
    bucket = f"portal-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)
    return SharedSetUp(
        {
            "REDIS_URL": request.getfixturevalue("redis_url"),
            "STORAGE_S3_BUCKET": bucket,
            "STORAGE_S3_PREFIX": "portal",
            "AWS_S3_ENDPOINT_URL": endpoint,
            **S3_CREDENTIALS,
            # Neither server has this folder: files can only be in the bucket.
            "MEDIA_ROOT": str(tmp_path / "no-such-folder"),
        },
        bucket=bucket,
        s3=s3,
    )


@pytest.fixture
def two_servers(app_server, shared, tmp_path):
    """Two app servers, one worker each, started together, sharing what `shared` says."""
    servers = [
        app_server(
            "--workers", "1", folder=tmp_path / name, environment=shared.environment, wait=False
        )
        for name in ("a", "b")
    ]
    for server in servers:
        server.wait_until_ready()
    return servers


# --- One person's browser ----------------------------------------------------------------------


@dataclasses.dataclass
class Page:
    status: int
    headers: email.message.Message
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode()

    def hidden(self, name: str) -> str:
        found = re.search(rf'name="{name}" value="([^"]*)"', self.text)
        assert found, f"no {name} on the page"
        return found.group(1)


class Browser:
    """Cookies kept as a browser keeps them for one host: whichever app server answers behind
    the load balancer gets them all."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def get(self, server, path: str) -> Page:
        return self._request(server, "GET", path)

    def post(self, server, path: str, fields: dict, files: dict | None = None) -> Page:
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in fields.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n".encode()
                )
            for name, (filename, content, content_type) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        return self._request(server, "POST", path, body, {"Content-Type": content_type})

    def _request(self, server, method, path, body=None, headers=None) -> Page:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=90)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            page = Page(answer.status, answer.headers, answer.read())
        finally:
            connection.close()
        for header in page.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return page

    def sign_in(self, server, username: str, password: str = PASSWORD) -> Page:
        form = self.get(server, "/accounts/login/")
        return self.post(
            server,
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": form.hidden("csrfmiddlewaretoken"),
                "username": username,
                "password": password,
            },
        )


def _update_form(browser: Browser, server, pledge) -> dict:
    """The hidden fields of the update form on a pledge's page, as that server shows it."""
    page = browser.get(server, f"/pledges/{pledge.pk}/")
    assert page.status == 200
    return {
        name: page.hidden(name)
        for name in ("csrfmiddlewaretoken", "submission_key", "pledge_version")
    }


# --- The tests -----------------------------------------------------------------------------------


def test_a_person_is_served_alike_by_either_app_server(two_servers, shared, world):
    a, b = two_servers
    pledge = world.joint_pledge

    # Signed in on A, the session holds on B.
    azizi = Browser()
    assert azizi.get(b, "/").status == 302  # not signed in: to the sign-in page
    signed_in = azizi.sign_in(a, "azizi")
    assert signed_in.status == 302, signed_in.text
    assert signed_in.headers["Location"] == "/"
    dashboard = azizi.get(b, "/")
    assert dashboard.status == 200
    assert "Nooruddin Azizi" in dashboard.text

    # An update with a file, posted on A: on B at once, and the file downloads through B.
    note = f"Shipment {uuid.uuid4().hex[:8]} cleared customs at Hairatan."
    form = _update_form(azizi, a, pledge)
    posted = azizi.post(
        a,
        f"/pledges/{pledge.pk}/",
        {**form, "status": "in_progress", "progress": "40", "note": note},
        files={"evidence": ("customs-release.pdf", PDF, "application/pdf")},
    )
    assert posted.status == 302, posted.text
    on_b = azizi.get(b, f"/pledges/{pledge.pk}/")
    assert note in on_b.text
    update = PledgeUpdate.objects.get(pledge=pledge, note=note)
    link = f"/pledges/updates/{update.pk}/evidence"
    assert link in on_b.text
    download = azizi.get(b, link)
    assert download.status == 200
    assert download.content == PDF
    assert "customs-release.pdf" in download.headers["Content-Disposition"]
    if shared.bucket:
        # Kept in the bucket, private: no grant to anyone but its owner, and the storage's
        # URL for it carries no signature that would open it.
        key = f"portal/{update.evidence.name}"
        stored = shared.s3.get_object(Bucket=shared.bucket, Key=key)["Body"].read()
        assert stored == PDF
        grants = shared.s3.get_object_acl(Bucket=shared.bucket, Key=key)["Grants"]
        assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
        assert all(grant["Grantee"].get("URI") is None for grant in grants)
        assert not Path(shared.environment["MEDIA_ROOT"]).exists()
    else:
        stored = Path(shared.environment["MEDIA_ROOT"]) / update.evidence.name
        assert stored.read_bytes() == PDF

    # Two edits of the pledge from the same version, one on each server: the second is
    # refused with what changed and who changed it, and records nothing.
    torebayev = Browser()
    assert torebayev.sign_in(b, "torebayev").status == 302
    on_a = _update_form(azizi, a, pledge)
    on_b = _update_form(torebayev, b, pledge)
    assert on_a["pledge_version"] == on_b["pledge_version"]
    first = torebayev.post(
        b, f"/pledges/{pledge.pk}/", {**on_b, "status": "at_risk", "progress": "40"}
    )
    assert first.status == 302, first.text
    second = azizi.post(
        a,
        f"/pledges/{pledge.pk}/",
        {**on_a, "status": "in_progress", "progress": "60", "note": "Second convoy left."},
    )
    assert second.status == 200
    assert "while you were editing it" in second.text
    assert str(world.torebayev) in second.text
    assert not PledgeUpdate.objects.filter(pledge=pledge, note="Second convoy left.").exists()
    pledge.refresh_from_db()
    assert (pledge.status, pledge.progress) == ("at_risk", 40)

    # Each server keeps its signed-in readers (committee/members/backends.py); a login
    # deactivated in the database is signed out on both at its next request.
    assert torebayev.get(a, "/").status == 200
    assert torebayev.get(b, "/").status == 200
    User.objects.filter(pk=world.torebayev.pk).update(is_active=False)
    assert torebayev.get(a, "/").status == 302
    assert torebayev.get(b, "/").status == 302


def test_failed_sign_ins_on_either_server_count_toward_one_lockout(two_servers):
    a, b = two_servers
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    browser = Browser()
    # Two failures on each: neither server alone has seen the limit.
    for server in (a, b, a, b):
        failed = browser.sign_in(server, "observer", "not the password")
        assert failed.status == 200
        assert "Please enter a correct username and password" in failed.text
    # The fifth, on A, reaches it: locked there, and on B the right password is refused too.
    assert browser.sign_in(a, "observer", "not the password").status == 429
    locked = browser.sign_in(b, "observer")
    assert locked.status == 429
    assert int(locked.headers["Retry-After"]) > 0
    assert "sessionid" not in browser.cookies


@pytest.mark.parametrize("cache", ["database", "Redis"])
def test_what_one_process_caches_another_reads(transactional_db, tmp_path, cache, request):
    """The default cache is shared by the app servers' processes: the database's table (made
    by migrate) or Redis; never a process's own memory."""
    redis = {"REDIS_URL": request.getfixturevalue("redis_url") if cache == "Redis" else None}
    key, value = f"shared-{uuid.uuid4().hex}", uuid.uuid4().hex

    def in_another_process(code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            cwd=ROOT,
            env=portal_environment(tmp_path, **redis),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    backend = "RedisCache" if cache == "Redis" else "DatabaseCache"
    written = in_another_process(
        "from django.core.cache import caches; "
        f"caches['default'].set({key!r}, {value!r}, 60); print(type(caches['default']).__name__)"
    )
    assert written == backend
    read = in_another_process(
        f"from django.core.cache import cache; print(cache.get({key!r})); cache.delete({key!r})"
    )
    assert read == value


def test_migrate_makes_the_database_caches_table(db):
    """The test database was made by migrate, as every deployment's is."""
    assert settings.CACHES["default"]["BACKEND"].endswith(("DatabaseCache", "RedisCache"))
    assert "portal_cache" in connection.introspection.table_names()


def test_sessions_and_sign_in_attempts_are_kept_in_the_database():
    engine = importlib.import_module(settings.SESSION_ENGINE)
    assert issubclass(engine.SessionStore, db_sessions.SessionStore)
    assert issubclass(import_string(settings.AXES_HANDLER), AxesDatabaseHandler)


def _our_python_files():
    for folder in ("committee", "portal"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(), filename=str(path))


def test_stored_files_are_reached_only_through_the_storage_api():
    """An S3 bucket has no local path: no code of ours reads MEDIA_ROOT, builds a storage of
    its own, or asks a stored file for its .path (static files, local on every server, may)."""
    # The benchmark's pages (portal/bench) are addresses: their .path is a URL's.
    allowed_path_owners = {"request", "staticfiles_storage", "urlsplit", "page", "trivial"}
    found = []
    for path, tree in _our_python_files():
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            name = (
                node.attr
                if isinstance(node, ast.Attribute)
                else node.id
                if isinstance(node, ast.Name)
                else None
            )
            if name in {"MEDIA_ROOT", "FileSystemStorage"} and str(where) != ("portal/settings.py"):
                found.append(f"{where}:{node.lineno} {ast.unparse(node)}")
            if isinstance(node, ast.Attribute) and node.attr == "path":
                owner = node.value.func if isinstance(node.value, ast.Call) else node.value
                owner_name = getattr(owner, "id", getattr(owner, "attr", None))
                if owner_name not in allowed_path_owners:
                    found.append(f"{where}:{node.lineno} {ast.unparse(node)}")
    assert not found, found
