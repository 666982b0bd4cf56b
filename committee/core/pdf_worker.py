"""The renderer's side of the process boundary: WeasyPrint, and nothing from Django.

`pdf.render_pdf` runs each document in a child process forked from a forkserver that has
this module (and so WeasyPrint) loaded. The child opens no URL and no file itself: every
resource the document asks for goes back over the pipe to the parent, whose policy serves our
own static files and refuses everything else. The parent kills the child at the deadline.

This module must not import Django or the project's models: the forkserver imports it before
(and without) Django being set up.
"""

import weasyprint.layout
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


class ParentFetcher(URLFetcher):
    """Asks the parent process for each URL; the parent answers with the bytes or a refusal."""

    def __init__(self, connection):
        # No protocol is allowed here: this class never falls back to urllib.
        super().__init__(allowed_protocols=())
        self._connection = connection

    def fetch(self, url, headers=None):
        self._connection.send(("fetch", url))
        answer = self._connection.recv()
        if answer[0] != "ok":
            raise ValueError(answer[1])
        _ok, body, content_type = answer
        return URLFetcherResponse(url, body, headers={"Content-Type": content_type})


def render(
    connection, html: str, base_url: str, metadata: dict, options: dict, numbered: bool = False
) -> None:
    """Lay out `html`, set the document metadata, and send back ("done", pdf bytes).

    `numbered`: the document is one part of a larger one (pdf.render_pdf_parts). Once its
    pages are laid out, it says how many (("pages", count)) and waits for ("numbering",
    first page, total pages), which its page counters then count from, so that each page's
    footer reads as a page of the whole."""
    try:
        if numbered:
            _number_pages_from_parent(connection)
        document = HTML(
            string=html, base_url=base_url, url_fetcher=ParentFetcher(connection)
        ).render()
        for name, value in metadata.items():
            setattr(document.metadata, name, value)
        pdf = document.write_pdf(**options)
    except Exception as error:  # Reported to the parent, which raises PDFRenderError.
        connection.send(("error", f"{type(error).__name__}: {error}"))
    else:
        connection.send(("done", pdf))
    finally:
        connection.close()


def _number_pages_from_parent(connection) -> None:
    """Page margins are made once every page of the document is laid out, from each page's
    counters, in which "pages" is already the document's count: that is the moment to ask
    the parent where this part's pages stand in the whole. Only this child process (one
    document, then exit) runs the wrapped function."""
    make_margin_boxes = weasyprint.layout.make_margin_boxes
    numbering = {}

    def numbered_margin_boxes(context, page, state):
        quote_depth, counter_values, counter_scopes, page_groups = state
        if not numbering:
            connection.send(("pages", counter_values["pages"][-1]))
            answer = connection.recv()
            if answer[0] != "numbering":
                raise RuntimeError(f"Expected the pages' numbering, got {answer[0]!r}.")
            numbering["first"], numbering["total"] = answer[1], answer[2]
        counter_values = {
            **counter_values,
            "page": [counter_values["page"][-1] + numbering["first"] - 1],
            "pages": [numbering["total"]],
        }
        return make_margin_boxes(
            context, page, (quote_depth, counter_values, counter_scopes, page_groups)
        )

    weasyprint.layout.make_margin_boxes = numbered_margin_boxes
