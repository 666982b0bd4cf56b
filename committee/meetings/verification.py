"""/verify/: is an uploaded PDF an approved record of this portal, intact, and which one.

Two independent answers, because each can hold without the other:

- **The record**, by checksum: the file's SHA-256 against the approved minutes' PDFs
  (`Minutes.pdf_sha256`) and the PDFs that a re-opening superseded
  (`MinutesReopening.previous_pdf_sha256`). Only a byte-for-byte copy matches; a PDF saved
  again by a viewer does not, even if it looks the same.
- **The seal**, by signature (committee/core/sealing.py): whether the document is unchanged
  since it was signed, and whether the signature was made with this portal's certificate.
  Records approved while no seal was configured are found by checksum but are not signed.

Which record it is (committee, session, meeting) is shown only to users who may read that
committee (rules.can_view_committee). Others learn that the file is a record of this portal
and no more: whoever holds the file can read its committee and session on its first page, so
saying it is genuine reveals nothing the file does not; whether it is still current, when it
was re-opened and the link to the meeting are the committee's business. The uploaded file is
read in memory and never stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from committee.core import freshness, sealing, uploads
from committee.core.security_log import log_event
from committee.meetings.models import Minutes, MinutesReopening
from committee.members import rules

PDF_SIGNATURE = b"%PDF-"


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("PDF file"),
        help_text=gettext_lazy(
            "The PDF of approved minutes, as downloaded from the portal or received by mail. "
            "It is checked and not kept."
        ),
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        uploads.validate_size(upload)
        upload.seek(0)
        head = upload.read(len(PDF_SIGNATURE))
        upload.seek(0)
        if head != PDF_SIGNATURE:
            raise ValidationError(
                gettext_lazy("This file is not a PDF. Choose the PDF of the minutes."),
                code="not_pdf",
            )
        return upload


@dataclass(frozen=True)
class Verification:
    """What a file turned out to be."""

    filename: str
    sha256: str
    seal: sealing.SealCheck
    minutes: Minutes | None = None  # the minutes whose approved PDF this is (or was)
    reopening: MinutesReopening | None = None  # the re-opening that superseded it
    visible: bool = False  # the user may read the committee of that record

    @property
    def is_record(self) -> bool:
        return self.minutes is not None

    @property
    def superseded(self) -> bool:
        return self.reopening is not None

    @property
    def meeting(self):
        return self.minutes.meeting if self.minutes else None

    @property
    def record_kind(self) -> str:
        """For the security log and the tests: current, superseded or none."""
        if not self.is_record:
            return "none"
        return "superseded" if self.superseded else "current"

    def verdict(self) -> tuple[str, str]:
        """The one-line answer: a Bootstrap colour and a sentence."""
        state = self.seal.state
        if self.is_record and not self.visible:
            return "info", _("This file is, byte for byte, a record approved in this portal.")
        if self.is_record and self.superseded:
            return "warning", _(
                "This file is, byte for byte, an approved record of this portal, but it has "
                "been superseded: the minutes were re-opened and corrected."
            )
        if self.is_record:
            if state == sealing.SealState.INTACT:
                return "success", _(
                    "This file is, byte for byte, the approved record of this portal, and its "
                    "seal is intact."
                )
            return "success", _("This file is, byte for byte, the approved record of this portal.")
        if state in {sealing.SealState.INTACT, sealing.SealState.ADDED_TO}:
            return "warning", _(
                "This file carries this portal's seal, but it is not one of the approved records "
                "kept here: it was changed after sealing or comes from another installation."
            )
        return "danger", _("This file is not an approved record of this portal.")


def find_record(sha256: str) -> tuple[Minutes | None, MinutesReopening | None]:
    """The minutes whose approved PDF has this checksum now, else the re-opening that
    superseded such a PDF: (minutes, None), (minutes, reopening) or (None, None)."""
    current = (
        Minutes.objects.filter(status=Minutes.Status.APPROVED, pdf_sha256=sha256)
        .select_related("meeting__committee")
        .first()
    )
    if current is not None:
        return current, None
    reopening = (
        MinutesReopening.objects.filter(previous_pdf_sha256=sha256)
        .select_related("minutes__meeting__committee")
        .order_by("-reopened_at")
        .first()
    )
    if reopening is not None:
        return reopening.minutes, reopening
    return None, None


def verify_upload(request: HttpRequest, upload: UploadedFile) -> Verification:
    """Check an uploaded file (read whole: the form has checked its size) and log the check."""
    data = upload.read()
    sha256 = hashlib.sha256(data).hexdigest()
    minutes, reopening = find_record(sha256)
    visible = minutes is not None and rules.can_view_committee(
        request.user, minutes.meeting.committee_id
    )
    result = Verification(
        filename=uploads.clean_filename(upload.name or ""),
        sha256=sha256,
        seal=sealing.check_seal(data),
        minutes=minutes,
        reopening=reopening,
        visible=visible,
    )
    log_event(
        "record.verified",
        request=request,
        sha256=sha256,
        record=result.record_kind,
        minutes=minutes.pk if minutes else None,
        seal=str(result.seal.state),
    )
    return result


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    result = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            result = verify_upload(request, form.cleaned_data["file"])
            form = VerifyForm()  # ready for the next file
        else:
            log_event(
                "record.verify_refused",
                request=request,
                reason=",".join(
                    sorted({e.code or "invalid" for e in form.errors.as_data().get("file", [])})
                ),
            )
    else:
        form = VerifyForm()
    return render(
        request,
        "meetings/verify.html",
        {
            "form": form,
            # The form as it first shows is the same for every reader in a language, and
            # rendering it (crispy) was about a quarter of the page's cost: kept
            # (committee/core/freshness.py). A form sent back with errors is rendered anew.
            "form_part": ""
            if form.is_bound
            else freshness.kept_part(
                request,
                "verify_form",
                freshness.data_version(),
                "meetings/_verify_form_part.html",
                lambda: {"form": form},
                reader=(),
            ),
            "result": result,
            "verdict": result.verdict() if result else None,
            "seal_configured": sealing.seal_configured(),
        },
    )
