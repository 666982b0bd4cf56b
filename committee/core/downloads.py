"""Stored files handed back to a reader: uploads, and the PDFs the portal keeps.

Files leave only through views that ask the permission rules (committee/members/rules.py).
Nothing serves MEDIA_ROOT, and nothing may link there: a link to the storage's own address
(MEDIA_URL on a disk, a bucket's address on S3) would invite an operator to serve the folder,
handing every file to anyone with its name. CheckedFileField makes `.url`, which the admin's
"Currently:" link, its read-only fields and templates all use, the address of the view.
"""

from collections.abc import Callable

from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest
from django.utils.cache import get_conditional_response

from committee.core.security_log import log_event


class CheckedFieldFile(FieldFile):
    """A stored file whose address is its field's download view."""

    @property
    def url(self) -> str:
        self._require_file()
        if self.field.download_url is None:
            raise ValueError(f"{self.field} has no download view of its own: its pages serve it.")
        return self.field.download_url(self.instance)


class CheckedFileField(models.FileField):
    """A FileField whose `.url` is the portal's checked download view, never the storage's.

    `download_url(instance)` gives the view's address; without it the file has no address
    at all (`.url` raises), for files that pages hand out through views of their own.
    """

    attr_class = CheckedFieldFile

    def __init__(self, *args, download_url: Callable[[models.Model], str] | None = None, **kwargs):
        self.download_url = download_url
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        # Where a file is served from is no concern of the database: migrations keep seeing
        # the FileField they always had.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.FileField", args, kwargs


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
