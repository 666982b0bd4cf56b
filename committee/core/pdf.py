"""PDFs of our own pages, rendered in a sandbox.

`render_pdf` turns a page of our own HTML into PDF/A-3b with WeasyPrint, under two rules:

- **Nothing but our static files is fetched.** The document is laid out against a base URL
  that names no real host (`PRINT_BASE_URL`); `fetch_static` serves URLs under STATIC_URL on
  that base from the staticfiles finders (or STATIC_ROOT once collected) and refuses the
  rest — file:, http(s): to any host (ours included), data:, ftp: — with ValueError. Our
  templates need nothing else, and record texts are escaped, so a refused URL means a bug or
  an attempt; it is logged to the security log.
- **Rendering has a time limit** (settings.PDF_RENDER_TIMEOUT seconds, read at each call).
  WeasyPrint cannot be interrupted, and a thread that misses its deadline keeps burning a
  core until it is done, so each document is laid out in a child process that is killed at
  the deadline (PDFRenderTimeout). Children fork from a forkserver that has WeasyPrint loaded
  (`pdf_worker`), which is safe under threaded servers and costs ~10 ms per document after
  the first. The child opens nothing itself: it asks this process for each URL over the
  pipe, and `fetch_static` answers.
- **A long document may be laid out in parts** (`render_pdf_parts`), one child a part at the
  same time, since WeasyPrint keeps to one core: the parts' pages are numbered as pages of
  the whole and joined into one PDF/A under the same deadline.

What a document says is its app's business (the minutes in committee/meetings/printing.py,
the implementation matrix in committee/agreements/reports.py).
"""

from __future__ import annotations

import datetime
import io
import logging
import mimetypes
import multiprocessing
import multiprocessing.connection
import threading
import time
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pypdf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from committee.core import pdf_worker
from committee.core.security_log import log_event

logger = logging.getLogger(__name__)

PRINT_BASE_URL = "https://print.portal.invalid/"  # .invalid never resolves (RFC 6761)
PDF_VARIANT = "pdf/a-3b"


class PDFRenderError(Exception):
    """The PDF could not be produced."""


class PDFRenderTimeout(PDFRenderError):
    """Rendering took longer than settings.PDF_RENDER_TIMEOUT; the renderer was stopped."""


# --- Fetching: our static files, nothing else ------------------------------------------------


def fetch_static(url: str, *, base_url: str = PRINT_BASE_URL) -> tuple[bytes, str]:
    """The bytes and content type of one of our static files, addressed under `base_url`.

    Raises ValueError for every other URL: other schemes, other hosts, paths outside
    STATIC_URL, `..` segments, files that do not exist.
    """
    static_prefix = urljoin(base_url, settings.STATIC_URL)
    if not url.startswith(static_prefix):
        raise ValueError(f"Refused to fetch {url!r}: only the portal's static files are fetched.")
    name = unquote(urlsplit(url[len(static_prefix) :]).path)
    parts = PurePosixPath(name).parts
    if not name or name.startswith("/") or "\\" in name or "\x00" in name or ".." in parts:
        raise ValueError(f"Refused to fetch {url!r}: not a static file name.")
    path = _find_static_file(name)
    if path is None:
        raise ValueError(f"No static file {name!r}.")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return path.read_bytes(), content_type


def _find_static_file(name: str) -> Path | None:
    # The finders hold the sources (development, tests); STATIC_ROOT holds what collectstatic
    # wrote, including the hashed names that {% static %} gives under manifest storage.
    found = finders.find(name)
    if found:
        return Path(found)
    try:
        if staticfiles_storage.exists(name):
            path = Path(staticfiles_storage.path(name))
            return path if path.is_file() else None
    except (NotImplementedError, SuspiciousFileOperation):
        pass
    return None


def _answer_fetch(url: str, base_url: str) -> tuple:
    try:
        body, content_type = fetch_static(url, base_url=base_url)
    except (ValueError, OSError) as error:
        log_event("pdf.fetch_refused", level=logging.WARNING, url=url[:300], reason=str(error))
        return ("refused", str(error))
    return ("ok", body, content_type)


# --- Rendering in a child process with a deadline ---------------------------------------------

_context_lock = threading.Lock()
_context = None


def _process_context():
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([pdf_worker.__name__])
            _context = context
        return _context


def render_timeout() -> float:
    """Seconds a document may take (settings.PDF_RENDER_TIMEOUT), read at each call so that
    a test or an operator's change applies to the next document."""
    return float(settings.PDF_RENDER_TIMEOUT)


def render_pdf(html: str, **options: Any) -> bytes:
    """PDF/A-3b bytes of `html`: render_pdf_parts() of one part, with its keywords (base_url,
    title, authors, subject, keywords, created, lang, timeout). The keyword metadata override
    the HTML head's <title> and <meta name="author|description|keywords|dcterms.created">.

    Raises PDFRenderTimeout after `timeout` (default settings.PDF_RENDER_TIMEOUT) seconds and
    PDFRenderError when WeasyPrint fails.
    """
    return render_pdf_parts([html], **options)


def render_pdf_parts(
    parts: list[str],
    *,
    base_url: str = PRINT_BASE_URL,
    title: str | None = None,
    authors: list[str] | tuple[str, ...] = (),
    subject: str | None = None,
    keywords: list[str] | tuple[str, ...] = (),
    created: datetime.datetime | None = None,
    lang: str | None = None,
    timeout: float | None = None,
) -> bytes:
    """One PDF/A-3b of several HTML documents, each laid out in a child process of its own
    at the same time (WeasyPrint uses one core a document), their pages following each
    other: each part begins on a new page, and its pages are numbered as pages of the whole
    (counter(page) and counter(pages) in the page margins count the whole). The first part
    gives the document its catalogue (metadata, output intent); render_pdf's rules and
    deadline apply to the whole.
    """
    if not parts:
        raise ValueError("No document to render.")
    metadata = {
        key: value
        for key, value in {
            "title": title,
            "authors": list(authors) or None,
            "description": subject,
            "keywords": list(keywords) or None,
            "created": w3c_datetime(created),
            "modified": w3c_datetime(created),
            "lang": lang,
        }.items()
        if value
    }
    limit = render_timeout() if timeout is None else timeout
    deadline = time.monotonic() + limit
    numbered = len(parts) > 1
    context = _process_context()
    children = []  # (our end of the pipe, process)
    started = time.monotonic()
    try:
        for html in parts:
            ours, theirs = context.Pipe()
            process = context.Process(
                target=pdf_worker.render,
                args=(theirs, html, base_url, metadata, {"pdf_variant": PDF_VARIANT}, numbered),
                daemon=True,
            )
            children.append((ours, process))
            process.start()
            theirs.close()
        pdfs = _collect(children, base_url, deadline, limit)
    finally:
        for ours, process in children:
            ours.close()
            if process.is_alive():
                process.kill()
            process.join()
    pdf = pdfs[0] if len(pdfs) == 1 else _combine(pdfs)
    logger.info(
        "pdf rendered bytes=%s parts=%s seconds=%.2f",
        len(pdf),
        len(parts),
        time.monotonic() - started,
    )
    return pdf


def _collect(children: list, base_url: str, deadline: float, limit: float) -> list[bytes]:
    """Answer the children until each has sent its PDF: their fetches, and, once every part
    has said how many pages it has, where each part's pages stand in the whole."""
    index_of = {ours: index for index, (ours, _process) in enumerate(children)}
    pages: dict[int, int] = {}
    pdfs: dict[int, bytes] = {}
    while len(pdfs) < len(children):
        remaining = deadline - time.monotonic()
        waiting = [ours for ours, index in index_of.items() if index not in pdfs]
        ready = multiprocessing.connection.wait(waiting, max(remaining, 0)) if remaining > 0 else []
        if not ready:
            raise PDFRenderTimeout(
                gettext("The PDF took longer than %(seconds)s seconds to produce.")
                % {"seconds": f"{limit:g}"}
            )
        for ours in ready:
            index = index_of[ours]
            try:
                message = ours.recv()
            except EOFError:
                raise PDFRenderError("The PDF renderer stopped without an answer.") from None
            if message[0] == "fetch":
                ours.send(_answer_fetch(message[1], base_url))
            elif message[0] == "pages":
                pages[index] = message[1]
                if len(pages) == len(children):
                    total, first = sum(pages.values()), 1
                    for number, (connection, _process) in enumerate(children):
                        connection.send(("numbering", first, total))
                        first += pages[number]
            elif message[0] == "done":
                pdfs[index] = message[1]
            else:
                raise PDFRenderError(message[1])
    return [pdfs[index] for index in range(len(children))]


def _combine(pdfs: list[bytes]) -> bytes:
    """The parts' pages in one file, under the first part's catalogue and information (its
    PDF/A identification, output intent and metadata, which name the whole document)."""
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdfs[0]), keep_initial_header=True)
    for pdf in pdfs[1:]:
        writer.append(io.BytesIO(pdf))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def w3c_datetime(moment: datetime.datetime | None) -> str | None:
    """A moment as PDF metadata and <meta name="dcterms.created"> write it: UTC, seconds."""
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat()


def pdf_unavailable_response() -> HttpResponse:
    """What a PDF address answers when rendering failed or took too long: a 503 to retry,
    and the page to print meanwhile."""
    return HttpResponse(
        gettext("The PDF could not be produced just now. Try again, or print the page."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )


def page_footer() -> SafeString:
    """ "Page 1 of 5" as the active language puts it ("صفحه 1 از 5", "1-бет, барлығы 5"), with
    empty spans where WeasyPrint writes the page number and count: print.css runs it in the
    footer of every PDF page."""
    page, pages = "\x00page\x00", "\x00pages\x00"
    text = gettext("Page %(page)s of %(pages)s") % {"page": page, "pages": pages}
    html = (
        escape(text)
        .replace(escape(page), '<span class="page-number"></span>')
        .replace(escape(pages), '<span class="page-count"></span>')
    )
    return mark_safe(html)  # noqa: S308 (escaped text and our own spans)
