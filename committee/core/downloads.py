"""Stored files handed back to a reader: uploads, and the PDFs the portal keeps."""

from django.http import FileResponse, HttpRequest
from django.utils.cache import get_conditional_response

from committee.core.security_log import log_event


def attachment_response(request: HttpRequest, stored_file, filename: str, *, kind: str, **fields):
    """A stored upload as a download that no browser renders in the portal's origin, logged."""
    response = FileResponse(stored_file.open("rb"), as_attachment=True, filename=filename)
    log_event("file.download", request=request, kind=kind, filename=filename, **fields)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def stored_pdf_response(request: HttpRequest, stored_file, *, sha256: str, filename: str):
    """A PDF kept in storage, shown in the browser under `filename`: its SHA-256 is its ETag,
    so a client that has this very file is answered 304 without it."""
    etag = f'"{sha256}"' if sha256 else None
    if etag:
        response = get_conditional_response(request, etag=etag)
        if response is not None:
            response["Cache-Control"] = "private, no-store"
            return response
    response = FileResponse(
        stored_file.open("rb"), content_type="application/pdf", filename=filename
    )
    if etag:
        response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
