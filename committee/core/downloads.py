"""Stored uploads handed back to a reader."""

from django.http import FileResponse, HttpRequest

from committee.core.security_log import log_event


def attachment_response(request: HttpRequest, stored_file, filename: str, *, kind: str, **fields):
    """A stored upload as a download that no browser renders in the portal's origin, logged."""
    response = FileResponse(stored_file.open("rb"), as_attachment=True, filename=filename)
    log_event("file.download", request=request, kind=kind, filename=filename, **fields)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
