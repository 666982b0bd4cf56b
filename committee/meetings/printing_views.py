"""The minutes as a print-ready page and as an archival PDF.

Both answer 404 unless the user may read the meeting's committee and its minutes (drafts are
the secretariat's; see rules.can_view_minutes), and 404 when the meeting has no minutes yet:
there is nothing to print, and the meeting page says whether minutes exist.
"""

import logging

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from committee.core.pdf import PDFRenderError, pdf_unavailable_response
from committee.core.translations import chosen_languages
from committee.meetings import printing, record
from committee.meetings.models import Meeting
from committee.members import rules

logger = logging.getLogger(__name__)


def _get_meeting_with_minutes_for_user(request: HttpRequest, pk: int) -> Meeting:
    """The meeting with all its minutes print, if the user may read those minutes."""
    meetings = rules.scope_to_committees(Meeting.objects.all(), request.user)
    meeting = get_object_or_404(printing.minutes_queryset(meetings), pk=pk)
    minutes = getattr(meeting, "minutes", None)
    if minutes is None or not rules.can_view_minutes(request.user, minutes):
        raise Http404
    meeting.item_list = record.show_as_circulated(minutes, request.user, meeting.item_list)
    return meeting


@require_GET
def minutes_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_with_minutes_for_user(request, pk)
    html = printing.render_minutes_html(
        meeting,
        original=request.GET.get("original"),
        second_language=request.GET.get("lang"),
        request=request,
    )
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Approved minutes: the PDF stored at approval (the record, byte for byte). Otherwise, for
    an original in another language (?original=) and for a side-by-side copy (?lang=), the
    PDF is rendered now."""
    meeting = _get_meeting_with_minutes_for_user(request, pk)
    minutes = meeting.minutes
    original, second_language = chosen_languages(
        request.GET.get("original"), request.GET.get("lang"), printing.record_language()
    )
    filename = printing.minutes_filename(meeting, second_language, original)
    stored = minutes.is_approved and minutes.pdf
    if stored and second_language is None and original == printing.record_language():
        response = FileResponse(
            minutes.pdf.open("rb"), content_type="application/pdf", filename=filename
        )
        if minutes.pdf_sha256:
            response["ETag"] = f'"{minutes.pdf_sha256}"'
    else:
        try:
            pdf = printing.render_minutes_pdf(
                meeting, original=original, second_language=second_language
            )
        except PDFRenderError:
            logger.exception("minutes pdf failed meeting=%s", meeting.pk)
            return pdf_unavailable_response()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    return response
