"""The PDF sandbox (committee/core/pdf.py): the URL fetcher that reaches only our static
files, the renderer process that opens nothing itself, and the time limit."""

import io
import logging
import multiprocessing

import pypdf
import pytest

from committee.core import pdf, pdf_worker


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


# --- The URL fetcher: our static files, nothing else -----------------------------------------


BASE = pdf.PRINT_BASE_URL


def test_the_fetcher_serves_our_static_files():
    body, content_type = pdf.fetch_static(f"{BASE}static/css/print.css")
    assert content_type == "text/css"
    assert b"@page" in body


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://example.org/",
        "https://example.org/static/css/print.css",
        "http://testserver/static/css/print.css",
        "http://127.0.0.1:8000/static/css/print.css",
        "data:text/css,body{}",
        "ftp://example.org/file",
        f"{BASE}etc/passwd",
        f"{BASE}media/minutes/record.pdf",
        f"{BASE}static/../../../../etc/passwd",
        f"{BASE}static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        f"{BASE}static//etc/passwd",
        f"{BASE}static/css/missing.css",
        f"{BASE}static/",
    ],
)
def test_the_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError, match=r"Refused|No static file"):
        pdf.fetch_static(url)


class FakeConnection:
    def __init__(self, answer):
        self.answer, self.sent = answer, []

    def send(self, message):
        self.sent.append(message)

    def recv(self):
        return self.answer


def test_the_renderer_process_asks_the_parent_and_opens_nothing_itself():
    refused = FakeConnection(("refused", "Refused to fetch"))
    with pytest.raises(ValueError, match="Refused"):
        pdf_worker.ParentFetcher(refused).fetch("file:///etc/passwd")
    assert refused.sent == [("fetch", "file:///etc/passwd")]

    served = FakeConnection(("ok", b"body{}", "text/css"))
    response = pdf_worker.ParentFetcher(served).fetch(f"{BASE}static/css/print.css")
    assert response.read() == b"body{}"
    assert response.content_type == "text/css"


def test_render_pdf_fetches_neither_files_nor_the_network(web_server, tmp_path, caplog):
    address, hits = web_server
    secret = tmp_path / "secret.css"
    secret.write_text("body::before { content: 'SECRET-FILE-CONTENT'; }")
    html = f"""<!doctype html><html lang="en"><head>
      <link rel="stylesheet" href="/static/css/print.css">
      <link rel="stylesheet" href="{address}/remote.css">
      <link rel="stylesheet" href="file://{secret}">
    </head><body class="pdf">
      <div class="page-footer">Page <span class="page-number"></span> of
        <span class="page-count"></span></div>
      <p>Visible text</p>
      <img src="file:///etc/passwd" alt="">
      <img src="{address}/pixel.png" alt="">
    </body></html>"""
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        content = pdf.render_pdf(html, title="Fetch test")
    text = pdf_text(content)
    assert "Visible text" in text
    assert "Page 1 of 1" in text  # print.css, a static file, was fetched
    assert "SECRET-FILE-CONTENT" not in text
    assert "root:" not in text
    assert hits == []
    refused = [record.security_event for record in caplog.records]
    assert {event["event"] for event in refused} == {"pdf.fetch_refused"}
    refused_urls = {event["url"] for event in refused}
    for url in ("file:///etc/passwd", f"file://{secret}", f"{address}/remote.css"):
        assert url in refused_urls
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert not reader.pages[0].images


# --- Time limit -------------------------------------------------------------------------------


def test_rendering_stops_at_the_time_limit(settings):
    settings.PDF_RENDER_TIMEOUT = 0.001
    rows = "".join(f"<tr><td>{n}</td><td>row</td></tr>" for n in range(3000))
    with pytest.raises(pdf.PDFRenderTimeout, match=r"longer than 0\.001 seconds"):
        pdf.render_pdf(f"<table>{rows}</table>")
    assert multiprocessing.active_children() == []  # the renderer was stopped


def test_render_timeout_is_read_at_call_time(settings):
    assert pdf.render_timeout() == 60
    settings.PDF_RENDER_TIMEOUT = 5
    assert pdf.render_timeout() == 5


# --- A document in parts, laid out at the same time ------------------------------------------


def part(name: str, pages: int) -> str:
    """A document of `pages` pages, each naming its part, under print.css's page footer."""
    sheets = "".join(
        f"<p>{name} sheet {n}</p>" + ('<div class="break"></div>' if n < pages - 1 else "")
        for n in range(pages)
    )
    return f"""<!doctype html><html lang="en"><head>
      <link rel="stylesheet" href="/static/css/print.css">
      <style>.break {{ break-after: page; }}</style>
    </head><body class="pdf">
      <div class="page-footer">Page <span class="page-number"></span> of
        <span class="page-count"></span></div>
      {sheets}
    </body></html>"""


def test_parts_are_one_pdf_a_their_pages_numbered_as_the_wholes():
    content = pdf.render_pdf_parts(
        [part("First", 2), part("Second", 3), part("Third", 1)], title="Parts", lang="en"
    )
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 6
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    expected = [("First", 0), ("First", 1), ("Second", 0), ("Second", 1), ("Second", 2)]
    for number, ((name, sheet), text) in enumerate(
        zip([*expected, ("Third", 0)], texts, strict=True), 1
    ):
        assert f"{name} sheet {sheet}" in text
        assert f"Page {number} of 6" in text
    # The first part's catalogue: PDF/A-3b, with the document's metadata.
    assert reader.xmp_metadata.pdfaid_part == "3"
    assert reader.xmp_metadata.pdfaid_conformance == "B"
    assert reader.metadata.title == "Parts"
    assert content.startswith(b"%PDF-1.7")
    assert multiprocessing.active_children() == []


def test_a_part_that_fails_fails_the_whole_and_stops_the_others(settings):
    settings.PDF_RENDER_TIMEOUT = 0.001
    rows = "".join(f"<tr><td>{n}</td><td>row</td></tr>" for n in range(3000))
    with pytest.raises(pdf.PDFRenderTimeout):
        pdf.render_pdf_parts([part("First", 1), f"<table>{rows}</table>"])
    assert multiprocessing.active_children() == []
