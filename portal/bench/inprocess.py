"""Server time and queries per page, in this process, through Django's test client.

Each request goes through the whole middleware stack as a signed-in person (staff with the
second factor passed, as django-otp marks a verified session). After each one the database
connection is closed or kept as settings.CONN_MAX_AGE says, as the end of a real request does
(the test client skips that), so a new connection per request is part of the time, as it is
in production. A streamed response is read to its end inside the time. Queries are counted
with an execute wrapper (which outlives reconnections) in the first timed run.
"""

import dataclasses
import logging
import statistics
import time
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection
from django.http import QueryDict
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from committee.accounts.sessions import WRITTEN_AT
from portal.bench.pages import OFFICIAL, STAFF, Page, Subjects, stored_record


class PageFailed(Exception):
    """A page answered otherwise than 200: the benchmark measures nothing of it."""


@dataclasses.dataclass(frozen=True)
class Budget:
    """How often each page is asked for: warm-up first, then at least `least` and at most
    `most` times, stopping once `seconds` have passed."""

    warmup: int
    least: int
    most: int
    seconds: float
    quick: bool = False


FULL = Budget(warmup=2, least=5, most=30, seconds=10.0)
# For development: the PDFs are not warmed up either.
QUICK = Budget(warmup=1, least=1, most=3, seconds=0.5, quick=True)
# Too slow to repeat: once, after no warm-up.
ONCE = frozenset({"report_pdf"})
PDFS = frozenset({"minutes_pdf", "minutes_pdf_bare_weasyprint", "report_pdf"})


@dataclasses.dataclass
class Timing:
    queries: int | None
    samples: list[float]  # seconds
    failure: str = ""  # what went wrong in a run that still counts (a PDF that timed out)

    @property
    def median_ms(self) -> float | None:
        return round(statistics.median(self.samples) * 1000, 2) if self.samples else None

    @property
    def p95_ms(self) -> float | None:
        if not self.samples:
            return None
        ordered = sorted(self.samples)
        # The nearest-rank 95th percentile: with few samples, the slowest.
        rank = max(1, -(-95 * len(ordered) // 100))
        return round(ordered[rank - 1] * 1000, 2)


def host_name() -> str:
    """A name ALLOWED_HOSTS accepts, for the test client's requests."""
    for host in settings.ALLOWED_HOSTS:
        if host not in ("*",) and not host.startswith("."):
            return host
    return "localhost"


def signed_in_client(user, *, second_factor: bool) -> Client:
    """A client with a session of `user`; with `second_factor`, the session has passed it (as
    django-otp's login marks it), with the user's confirmed device."""
    client = Client(HTTP_HOST=host_name(), secure=True)
    security_log = logging.getLogger("portal.security")
    level = security_log.level
    security_log.setLevel(logging.WARNING)  # a sign-in per client is no news
    try:
        client.force_login(user)
    finally:
        security_log.setLevel(level)
    if second_factor:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Benchmark", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


class Counter:
    """Counts the queries run through it (connection.execute_wrapper)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class InProcess:
    def __init__(self, subjects: Subjects, budget: Budget):
        self.subjects = subjects
        self.budget = budget
        self.clients = {
            None: Client(HTTP_HOST=host_name(), secure=True),
            OFFICIAL: signed_in_client(subjects.official, second_factor=False),
            STAFF: signed_in_client(subjects.staff, second_factor=True),
        }
        self._minutes_html = None

    def measure(self, page: Page) -> Timing:
        """Warm-up, then the timed runs; the queries are counted in the first of them (the
        wrapper costs a function call per query)."""
        self._sessions_written_now()
        work = self._work(page)
        budget = self.budget
        once = page.name in ONCE
        warmup = 0 if once or (budget.quick and page.name in PDFS) else budget.warmup
        started = time.perf_counter()
        for _ in range(warmup):
            work()
            if time.perf_counter() - started > budget.seconds:
                break
        least, most = (1, 1) if once else (budget.least, budget.most)
        samples, queries, failure = [], None, ""
        started = time.perf_counter()
        while len(samples) < most:
            counter = Counter()
            begun = time.perf_counter()
            if queries is None:
                with connection.execute_wrapper(counter):
                    failure = self._run(work, page)
                queries = counter.count
            else:
                failure = self._run(work, page) or failure
            samples.append(time.perf_counter() - begun)
            if len(samples) >= least and time.perf_counter() - started >= budget.seconds:
                break
        return Timing(queries, samples, failure)

    def _sessions_written_now(self) -> None:
        """Each page is measured as read within five minutes of its reader's session's last
        write, as most are: the write that pushes an idle session's expiry on comes once in
        five minutes (committee/accounts/sessions.py), and would otherwise land in whichever
        page's count the run has reached by then."""
        for client in self.clients.values():
            session = client.session  # read from the database at each access: once
            if session.session_key is not None:
                session[WRITTEN_AT] = int(time.time())
                session.save()

    @staticmethod
    def _run(work, page: Page) -> str:
        """Run once; what went wrong with a PDF on the worker is a result, not an error."""
        from committee.core.pdf import PDFRenderError

        if page.name not in ONCE:
            work()
            return ""
        try:
            work()
        except PDFRenderError as error:
            return str(error)
        return ""

    def _work(self, page: Page) -> Callable[[], object]:
        if page.name == "minutes_pdf_bare_weasyprint":
            self._minutes_pdf_html()  # the HTML is made beforehand: WeasyPrint alone is timed
            return self._bare_weasyprint
        if page.name == "report_pdf":
            return self._report_pdf
        if page.name == "minutes_pdf_stored":
            stored_record(self.subjects.approved)
        client = self.clients[page.who]

        def get():
            response = client.get(page.path)
            if response.status_code != 200:
                raise PageFailed(f"{page.name}: {page.path} answered {response.status_code}")
            body = b"".join(response.streaming_content) if response.streaming else response.content
            response.close()
            # What the end of a real request does (the test client leaves it out).
            close_old_connections()
            return body

        return get

    # --- Not requests -----------------------------------------------------------------------

    def _bare_weasyprint(self) -> bytes:
        """WeasyPrint alone, in this process, on the HTML the minutes' PDF is made of, its
        static files served from disk as the PDF sandbox serves them."""
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        from committee.core.pdf import PDF_VARIANT, PRINT_BASE_URL, fetch_static

        class StaticFetcher(URLFetcher):
            def fetch(self, url, headers=None):
                body, content_type = fetch_static(url)
                return URLFetcherResponse(url, body, headers={"Content-Type": content_type})

        html = self._minutes_pdf_html()
        # What WeasyPrint says of Bootstrap's CSS, the sandbox's renderer keeps to itself.
        weasyprint_log = logging.getLogger("weasyprint")
        level = weasyprint_log.level
        weasyprint_log.setLevel(logging.ERROR)
        try:
            document = HTML(string=html, base_url=PRINT_BASE_URL, url_fetcher=StaticFetcher())
            return document.write_pdf(pdf_variant=PDF_VARIANT)
        finally:
            weasyprint_log.setLevel(level)

    def _minutes_pdf_html(self) -> str:
        if self._minutes_html is None:
            from committee.core.translations import chosen_languages
            from committee.meetings import printing

            meeting = printing.minutes_queryset().get(pk=self.subjects.meeting.pk)
            original, second = chosen_languages(None, None, printing.record_language())
            with translation.override(settings.LANGUAGE_CODE):
                self._minutes_html = printing.render_minutes_html(
                    meeting, original=original, second_language=second, for_pdf=True
                )
        return self._minutes_html

    def _report_pdf(self) -> bytes:
        """What the worker does for the report's PDF of every pledge the official reads (as
        reports.make_report, without storing the file)."""
        from committee.agreements.reports import render_report_pdf

        with translation.override(settings.LANGUAGE_CODE):
            made = render_report_pdf(
                QueryDict(""), self.subjects.official, settings.LANGUAGE_CODE, None
            )
        return made.content
