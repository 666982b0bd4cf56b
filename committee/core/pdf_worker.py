"""The renderer's side of the process boundary: WeasyPrint, and nothing from Django.

`pdf.render_pdf` runs each document in a child process forked from a forkserver that has
this module (and so WeasyPrint) loaded. The child opens no URL and no file itself: every
resource the document asks for goes back over the pipe to the parent, whose policy serves our
own static files and refuses everything else. The parent kills the child at the deadline.

This module must not import Django or the project's models: the forkserver imports it before
(and without) Django being set up.
"""

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


def render(connection, html: str, base_url: str, metadata: dict, options: dict) -> None:
    """Lay out `html`, set the document metadata, and send back ("done", pdf bytes)."""
    try:
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
