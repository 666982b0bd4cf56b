"""Uploaded files: checked by extension, size and content; stored under random names.

The name a user gave a file is kept separately, cleaned, for display and download only; it
never becomes a path on disk.
"""

import hashlib
import pathlib
import unicodedata
import uuid

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# Extension → the signatures its content may start with.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
    "docx": _ZIP,
    "xlsx": _ZIP,
    "pptx": _ZIP,
    "odt": _ZIP,
    "ods": _ZIP,
    "odp": _ZIP,
    "doc": _OLE,
    "xls": _OLE,
    "ppt": _OLE,
}
ALLOWED_EXTENSIONS = tuple(SIGNATURES)
# What a file input's `accept` attribute offers: the same list, as browsers read it.
ACCEPT = ",".join(f".{extension}" for extension in ALLOWED_EXTENSIONS)


def clean_filename(name: str) -> str:
    """The last path part of a name, without control or bidirectional-override characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"})
    kept = kept.strip().lstrip(".")
    return kept[:200] or "file"


def validate_size(upload) -> None:
    """Refuse a file larger than MAX_UPLOAD_BYTES."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="too_big",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_UPLOAD_BYTES),
            },
        )


def validate_upload(upload) -> None:
    """Refuse a file that is too big, of a type not allowed, or whose content is not its type."""
    validate_size(upload)
    extension = pathlib.PurePath(clean_filename(upload.name)).suffix.lower().lstrip(".")
    if extension not in SIGNATURES:
        raise ValidationError(
            _("Files of this type are not accepted. Send a PDF, an image or an office document."),
            code="type",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(SIGNATURES[extension]) or (
        extension == "webp" and not head[8:12] == b"WEBP"
    ):
        raise ValidationError(
            _("The file's content is not a .%(extension)s file."),
            code="content",
            params={"extension": extension},
        )


def random_path(folder: str, filename: str) -> str:
    """A random name under `folder`, keeping only the (cleaned) extension of `filename`."""
    extension = pathlib.PurePath(clean_filename(filename)).suffix.lower()[:10]
    return f"{folder}/{uuid.uuid4().hex}{extension}"


def evidence_upload_to(instance, filename: str) -> str:
    return random_path("evidence", filename)


def agreement_document_upload_to(instance, filename: str) -> str:
    return random_path("agreements", filename)


def minutes_pdf_upload_to(instance, filename: str) -> str:
    return random_path("minutes", filename)


def sha256_of(field_file) -> str:
    """The SHA-256 of a stored or uploaded file, read in chunks, left at its start."""
    digest = hashlib.sha256()
    field_file.open("rb")
    try:
        for chunk in field_file.chunks():
            digest.update(chunk)
    finally:
        field_file.seek(0)
    return digest.hexdigest()
