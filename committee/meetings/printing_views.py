"""The minutes as a print-ready page and as an archival PDF.

Both answer 404 unless the user may read the meeting's committee and its minutes (drafts are
the secretariat's; see rules.can_view_minutes), and 404 when the meeting has no minutes yet:
there is nothing to print, and the meeting page says whether minutes exist.

Which PDF is served from where (editions.py): a draft is rendered live; the sealed record of
approved minutes comes from storage once the worker has made it (until then the address
says it is being prepared); every other edition is rendered once and kept.
"""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from committee.core import renderings
from committee.core.downloads import stored_pdf_response
from committee.core.pdf import PDFRenderError, pdf_unavailable_response
from committee.core.translations import chosen_languages
from committee.meetings import editions, printing, record, tasks
from committee.meetings.models import Meeting, MinutesReopening
from committee.meetings.views import get_minutes_for_user
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
    minutes = meeting.minutes
    html = printing.render_minutes_html(
        meeting,
        original=request.GET.get("original"),
        second_language=request.GET.get("lang"),
        request=request,
        toolbar={
            # The toolbar says so while the worker makes the sealed PDF (one query, only then).
            "record_rendering": editions.record_rendering(minutes)
            if minutes.record_pending
            else None,
            "may_edit": rules.can_edit_records(request.user),
        },
    )
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Approved minutes: the sealed PDF stored by the worker (the record, byte for byte), or a
    page saying it is being prepared. Any other edition of approved or circulated minutes (an
    original in another language, ?original=; a side-by-side copy, ?lang=): kept in storage,
    made by the first request for it. A draft: rendered now, for the secretariat.

    A PDF already kept is served from storage after a few small queries (_kept_pdf()); the
    record itself, with its agenda, attendance and pledges, is read only to make one."""
    original, second = chosen_languages(
        request.GET.get("original"), request.GET.get("lang"), printing.record_language()
    )
    kept = _kept_pdf(request, get_minutes_for_user(request, pk), original, second)
    if kept is not None:
        return kept
    meeting = _get_meeting_with_minutes_for_user(request, pk)
    minutes = meeting.minutes
    filename = printing.minutes_filename(meeting, second, original)
    if minutes.record_pending:
        # Every edition of approved minutes points to the sealed record: it comes first.
        return _record_pending_page(request, meeting)
    if minutes.is_approved and second is None and original == printing.record_language():
        return stored_pdf_response(
            request, minutes.pdf, sha256=minutes.pdf_sha256, filename=filename
        )
    try:
        if minutes.is_draft:
            return _live_pdf(meeting, original, second, filename)
        circulation = record.latest_circulation(minutes) if minutes.is_circulated else None
        key = editions.key_of(meeting, circulation, original, second)
        rendering = editions.stored_edition(meeting.pk, key, original, second, request.user)
    except PDFRenderError:
        logger.exception("minutes pdf failed meeting=%s", meeting.pk)
        return pdf_unavailable_response()
    return stored_pdf_response(request, rendering.file, sha256=rendering.sha256, filename=filename)


@require_GET
def minutes_superseded_pdf(request: HttpRequest, pk: int, reopening_pk: int) -> HttpResponse:
    """The sealed record that re-opening the minutes replaced, as it was approved."""
    minutes = get_minutes_for_user(request, pk)
    if not rules.can_read_superseded_records(request.user):
        raise Http404
    reopening = get_object_or_404(
        MinutesReopening.objects.exclude(superseded_pdf=""), pk=reopening_pk, minutes=minutes
    )
    # It was the approved record, whatever the minutes are now.
    stem = printing.minutes_filename(minutes.meeting).removesuffix(".pdf").removesuffix("-draft")
    return stored_pdf_response(
        request,
        reopening.superseded_pdf,
        sha256=reopening.previous_pdf_sha256,
        filename=f"{stem}-superseded-{reopening.pk}.pdf",
    )


def _kept_pdf(
    request: HttpRequest, minutes, original: str, second: str | None
) -> HttpResponse | None:
    """The sealed record of approved minutes, or an edition kept before, streamed from
    storage; None when the PDF is yet to be made (or, for a draft, is always made)."""
    if minutes.is_draft or minutes.record_pending:
        return None
    filename = printing.minutes_filename(minutes.meeting, second, original)
    if minutes.is_approved and second is None and original == printing.record_language():
        return stored_pdf_response(
            request, minutes.pdf, sha256=minutes.pdf_sha256, filename=filename
        )
    rendering = editions.kept_edition(minutes, original, second)
    if rendering is None:
        return None
    return stored_pdf_response(request, rendering.file, sha256=rendering.sha256, filename=filename)


def _live_pdf(meeting: Meeting, original: str, second: str | None, filename: str) -> HttpResponse:
    pdf = printing.render_minutes_pdf(meeting, original=original, second_language=second)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _record_pending_page(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """Where the approved minutes' PDF will be: how its making goes. The page asks again by
    itself (rendering.js, or a refresh without JavaScript) and then gets the PDF."""
    rendering = editions.record_rendering(meeting.minutes)
    pending = rendering is not None and rendering.is_pending
    response = render(
        request,
        "meetings/record_pending.html",
        {
            "meeting": meeting,
            "minutes": meeting.minutes,
            "record_rendering": rendering,
            "may_edit": rules.can_edit_records(request.user),
            "refresh": pending,
        },
        # Accepted and on its way; failed (or never asked for): unavailable, for now.
        status=202 if pending else 503,
    )
    response["Cache-Control"] = "private, no-store"
    if not pending:
        response["Retry-After"] = "60"
    return response


@require_GET
def minutes_record_status(request: HttpRequest, pk: int) -> JsonResponse:
    """How the making of the approved minutes' sealed PDF goes, for rendering.js."""
    minutes = get_minutes_for_user(request, pk)
    if not minutes.record_pending:
        # Stored (or the minutes are no longer approved): the page shows what there is.
        payload = renderings.status_payload(None, status="ready" if minutes.pdf else "")
    else:
        payload = renderings.status_payload(editions.record_rendering(minutes))
    response = JsonResponse(payload)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def minutes_record_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretariat asks again for a sealed PDF whose making failed (or was never asked
    for, for minutes approved before the worker made them)."""
    if not rules.can_edit_records(request.user):
        raise PermissionDenied(_("Only the secretariat prepares the sealed PDF again."))
    minutes = get_minutes_for_user(request, pk)
    if not minutes.record_pending:
        messages.info(request, _("No sealed PDF is pending for these minutes."))
        return redirect(minutes.meeting)
    rendering = tasks.queue_record(minutes, request.user)
    logger.info("minutes record asked again meeting=%s rendering=%s", pk, rendering.pk)
    messages.success(request, _("The sealed PDF is being prepared again."))
    return redirect(minutes.meeting)
