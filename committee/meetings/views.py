from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from committee.core.pdf import PDFRenderError
from committee.core.translations import localized
from committee.meetings import services
from committee.meetings.models import AgendaItem, Attendance, Meeting, Minutes, MinutesReopening
from committee.members import rules


def _get_meeting_for_user(request: HttpRequest, pk: int) -> Meeting:
    """The meeting with its agenda and attendance, if the user may read its committee."""
    queryset = (
        rules.scope_to_committees(Meeting.objects.all(), request.user)
        .select_related("committee", "host_party", "minutes__approved_by", "minutes__meeting")
        .prefetch_related(
            Prefetch(
                "minutes__reopenings",
                queryset=MinutesReopening.objects.select_related("reopened_by"),
            ),
            # Pledges arising and pledge reviews are read through their reverse relations:
            # this app does not import the agreements app.
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related("presenter", "sector")
                .prefetch_related(
                    "pledges__responsible_party",
                    "pledges__agreement",
                    "pledge_reviews__pledge__responsible_party",
                    "pledge_reviews__pledge__agreement",
                    "pledge_reviews__pledge__agenda_item__meeting",
                )
                .order_by("position"),
            ),
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("member__party", "member__organization")
                .alias(party_label=localized("member__party__name"))
                .order_by("party_label", "member__party_id", "member__full_name"),
            ),
        )
    )
    return get_object_or_404(queryset, pk=pk)


@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = (
        rules.scope_to_committees(Meeting.objects.all(), request.user)
        .select_related("committee", "host_party", "minutes")
        .annotate(item_count=Count("agenda_items"))
        .order_by("-starts_at")
    )
    return render(
        request, "meetings/meeting_list.html", {"meetings": meetings, "now": timezone.now()}
    )


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_user(request, pk)
    attendance = [
        (party, list(rows))
        for party, rows in groupby(meeting.attendances.all(), key=lambda a: a.member.party)
    ]
    minutes = getattr(meeting, "minutes", None)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "attendance": attendance,
            "minutes": minutes,
            "may_read_minutes": minutes is not None
            and rules.can_view_minutes(request.user, minutes),
            "may_read_proceedings": rules.can_read_proceedings(request.user, minutes),
            "may_edit": rules.can_edit_records(request.user),
            "today": timezone.localdate(),
        },
    )


def _get_minutes_for_staff(request: HttpRequest, pk: int) -> Minutes:
    if not rules.can_edit_records(request.user):
        raise PermissionDenied(_("Only the secretariat moves minutes through their workflow."))
    minutes = rules.scope_to_committees(Minutes.objects.all(), request.user, "meeting__committee")
    return get_object_or_404(minutes.select_related("meeting"), meeting_id=pk)


@require_POST
def minutes_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Staff buttons on the meeting page: circulate, approve, re-open (with a reason)."""
    minutes = _get_minutes_for_staff(request, pk)
    try:
        if action == "circulate":
            services.minutes_circulate(minutes=minutes, user=request.user)
            messages.success(request, _("The minutes are circulated to the delegations."))
        elif action == "approve":
            minutes = services.minutes_approve(minutes=minutes, user=request.user)
            messages.success(
                request,
                _("The minutes are approved and locked. SHA-256 of the PDF: %(sha)s")
                % {"sha": minutes.pdf_sha256},
            )
        else:
            services.minutes_reopen(
                minutes=minutes, user=request.user, reason=request.POST.get("reason", "")
            )
            messages.warning(request, _("The minutes are re-opened; the re-opening is recorded."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PDFRenderError:
        # Nothing was approved: the transaction rolled back with the failed rendering.
        messages.error(
            request, _("The PDF of the minutes could not be produced just now; try again.")
        )
    return redirect(minutes.meeting)
