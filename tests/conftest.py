import datetime
import functools
import http.server
import json
import logging
import threading
import time

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import timezone, translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from committee.accounts import sessions
from committee.core import freshness
from committee.core.security_log import JsonFormatter
from committee.members import backends
from committee.members.models import Member
from tests import factories
from tests.app_server import AppServer


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_page_parts_kept_from_before():
    """Each test starts with no rendered page parts and no signed-in readers kept
    (committee/core/freshness.py, committee/members/backends.py), so that what one test's
    pages kept cannot answer for another's: a test tells what it keeps by itself."""
    caches[freshness.FRAGMENTS].clear()
    caches[backends.READERS].clear()


@pytest.fixture(autouse=True)
def _english_to_start_with():
    """Each test starts in the default language: a request of the test before may have left
    its user's language active on the thread, and a record created while Dari is active
    writes its texts into the Dari columns."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


class World:
    """Two delegations on one committee, a second committee nobody here belongs to, and
    the personas of the design: an Afghan official, a Kazakh official, an observer, staff."""

    def __init__(self):
        self.today = timezone.localdate()
        self.af = factories.PartyFactory(name="Afghanistan", short_name="AF", country_code="AF")
        self.kz = factories.PartyFactory(name="Kazakhstan", short_name="KZ", country_code="KZ")
        self.committee = factories.CommitteeFactory(parties=[self.af, self.kz])
        self.other_committee = factories.CommitteeFactory()

        self.azizi = factories.UserFactory(
            username="azizi", first_name="Nooruddin", last_name="Azizi"
        )
        self.torebayev = factories.UserFactory(username="torebayev")
        self.observer = factories.UserFactory(username="observer")
        self.staff = factories.UserFactory(username="secretariat", is_staff=True)
        self.outsider = factories.UserFactory(username="outsider")
        factories.MemberFactory(
            committee=self.committee, party=self.af, user=self.azizi, role=Member.Role.CO_CHAIR
        )
        factories.MemberFactory(committee=self.committee, party=self.kz, user=self.torebayev)
        factories.MemberFactory(
            committee=self.committee, party=self.kz, user=self.observer, role=Member.Role.OBSERVER
        )
        factories.MemberFactory(committee=self.other_committee, user=self.outsider)

        self.agreement = factories.AgreementFactory(committee=self.committee, reference="AF-KZ/1")
        self.sector = factories.SectorFactory(name="Trade", slug="trade")
        self.af_pledge = self.pledge(
            responsible_party=self.af, title="Afghan exports of dried fruit", days=10
        )
        self.kz_pledge = self.pledge(
            responsible_party=self.kz, title="Space at Khorgos port", days=-5
        )
        self.joint_pledge = self.pledge(
            responsible_party=None,
            title="Annual trade to 3 billion",
            days=200,
            indicator="Annual bilateral trade",
            indicator_unit="USD billion",
            baseline_value=1,
            baseline_year=2025,
            target_value=3,
        )
        self.foreign_pledge = factories.PledgeFactory(
            agreement=factories.AgreementFactory(committee=self.other_committee),
            title="Another committee's pledge",
        )

    def pledge(self, *, days: int, **kwargs):
        return factories.PledgeFactory(
            agreement=self.agreement,
            sector=self.sector,
            due_on=self.today + datetime.timedelta(days=days),
            **kwargs,
        )


@pytest.fixture
def world(db):
    return World()


def verify_otp(client, user) -> TOTPDevice:
    """Pass the second factor in `client`'s session (after force_login) with a confirmed TOTP
    device of `user`, as /accounts/verify/ would after a right code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test device", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def force_login(client, user):
    """client.force_login(user), and for staff the second factor too: staff pass it before
    any page. For helpers that take a client; tests ask for the `sign_in` fixture."""
    client.force_login(user)
    if user.is_staff or user.is_superuser:
        verify_otp(client, user)
    # As a sign-in through the page leaves it: written just now, so that the next request does
    # not write it again (committee/accounts/sessions.py) and query counts hold from the first.
    session = client.session
    session[sessions.WRITTEN_AT] = int(time.time())
    session.save()
    return user


@pytest.fixture
def sign_in(client):
    """sign_in(user): the client signs in as `user`, with the second factor for staff."""
    return functools.partial(force_login, client)


@pytest.fixture
def secretariat(sign_in):
    """Staff, logged in with the second factor: the secretariat edits everything in the admin."""
    return sign_in(factories.UserFactory(username="secretariat", is_staff=True, is_superuser=True))


def run_worker() -> None:
    """Run every queued background task to the end, for real, in this process (run_tasks)."""
    run_tasks()


@pytest.fixture
def worker(db):
    """worker(): run what is queued (the PDFs the worker makes, the mails), as `manage.py
    worker` does; see run_tasks."""
    return run_worker


def body(response) -> bytes:
    """The bytes of a response, whether rendered (HttpResponse) or streamed from storage
    (FileResponse: the kept PDFs)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def web_server():
    """A local HTTP server that counts what it is asked for."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red; }")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


@pytest.fixture
def app_server(transactional_db, tmp_path):
    """start(*arguments, folder=tmp_path, environment=None, wait=True): gunicorn with the
    repository's configuration, on a free port, against the test database (committed:
    transactional_db), stopped after the test (tests/app_server.py)."""
    servers = []

    def start(*arguments, folder=tmp_path, environment=None, wait=True):
        servers.append(AppServer(folder, *arguments, environment=environment, wait=wait))
        return servers[-1]

    yield start
    for server in servers:
        server.terminate()
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def seal_files(tmp_path_factory):
    """A self-signed seal certificate and its key (PEM), made once per run, as `make run`'s
    make_signing_certificate makes them: (certificate path, key path)."""
    from committee.core.management.commands.make_signing_certificate import make_self_signed

    folder = tmp_path_factory.mktemp("seal")
    certificate, key = make_self_signed("Test Working Committee seal", key_size=2048)
    (folder / "seal.crt").write_bytes(certificate)
    (folder / "seal.key").write_bytes(key)
    return folder / "seal.crt", folder / "seal.key"


@pytest.fixture
def events(caplog):
    """The security events logged during the test, as the JSON lines the handler writes."""
    caplog.set_level(logging.INFO, logger="portal.security")
    formatter = JsonFormatter()

    def lines(name=None):
        found = [
            formatter.format(record)
            for record in caplog.records
            if record.name == "portal.security"
        ]
        for line in found:
            assert "\n" not in line
        parsed = [json.loads(line) for line in found]
        return [event for event in parsed if name is None or event["event"] == name]

    return lines


@pytest.fixture
def mail_server(settings):
    """A real SMTP server (tests/mail_server.py) that the portal's mail goes to."""
    from tests.mail_server import MailServer

    with MailServer() as server:
        settings.MAILERS = server.mailers
        yield server


def run_tasks() -> int:
    """Run every queued background task in this process with django-tasks-db's own worker
    code, until the queue is empty; returns how many ran. (Its command loop cannot run inside
    a test's transaction: it closes a connection it finds in one.)"""
    from django.db import transaction
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().get_locked()
            if result is None:
                return ran
            result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
