from itertools import groupby

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from committee.meetings.models import AgendaItem, Attendance, Meeting
from committee.members import rules


def _get_meeting_for_user(request, pk: int) -> Meeting:
    """The meeting with its agenda and attendance, if the user may read its committee."""
    queryset = (
        rules.scope_to_committees(Meeting.objects.all(), request.user)
        .select_related("committee", "host_party", "minutes")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related("presenter", "sector").order_by(
                    "position"
                ),
            ),
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related(
                    "member__party", "member__organization"
                ).order_by("member__party__name", "member__full_name"),
            ),
        )
    )
    return get_object_or_404(queryset, pk=pk)


@require_GET
def meeting_list(request):
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
def meeting_detail(request, pk: int):
    meeting = _get_meeting_for_user(request, pk)
    attendance = [
        (party, list(rows))
        for party, rows in groupby(meeting.attendances.all(), key=lambda a: a.member.party)
    ]
    return render(
        request,
        "meetings/meeting_detail.html",
        {"meeting": meeting, "attendance": attendance},
    )
