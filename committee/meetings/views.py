from itertools import groupby

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from committee.core.translations import localized
from committee.meetings import editions, record
from committee.meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    Minutes,
    MinutesComment,
    MinutesReopening,
)
from committee.members import rules


def _related_model(model, name: str):
    """The model of a reverse relation, found without importing its app."""
    return model._meta.get_field(name).related_model


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
                    Prefetch(
                        "pledges",
                        queryset=_related_model(AgendaItem, "pledges").objects.select_related(
                            "responsible_party", "agreement"
                        ),
                    ),
                    Prefetch(
                        "pledge_reviews",
                        queryset=_related_model(
                            AgendaItem, "pledge_reviews"
                        ).objects.select_related(
                            "pledge__responsible_party",
                            "pledge__agreement",
                            "pledge__agenda_item__meeting",
                        ),
                    ),
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
    visible_comments = (
        rules.comments_visible_to(
            request.user, MinutesComment.objects.filter(minutes__meeting=OuterRef("pk"))
        )
        .order_by()
        .values("minutes")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = queryset.annotate(visible_comment_count=Coalesce(Subquery(visible_comments), 0))
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
    may_read_minutes = minutes is not None and rules.can_view_minutes(request.user, minutes)
    state = (
        record.workflow_state(
            minutes,
            for_confirmation=False,
            heads=record.heads_of_delegation(meeting, meeting.attendances.all()),
        )
        if may_read_minutes
        else {}
    )
    heads = {row["party"].pk: row["head"] for row in state.get("delegations", []) if row["head"]}
    head = rules.head_of_delegation(request.user, heads)
    # The link to the comments counts those the reader may see (the other delegation's only
    # once answered), counted with the meeting.
    visible_comment_count = (
        meeting.visible_comment_count if may_read_minutes and not minutes.is_draft else None
    )
    # While the worker makes the approved minutes' sealed PDF, the page says how it goes.
    record_rendering = (
        editions.record_rendering(minutes) if may_read_minutes and minutes.record_pending else None
    )
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            **state,
            "record_rendering": record_rendering,
            "may_approve": head is not None
            and minutes.is_circulated
            and head.party_id not in state["approved_parties"],
            "meeting": meeting,
            "attendance": attendance,
            "minutes": minutes,
            "may_read_minutes": may_read_minutes,
            "agenda_items": record.show_as_circulated(
                minutes,
                request.user,
                list(meeting.agenda_items.all()),
                latest=state.get("circulation", ...),
            ),
            "visible_comment_count": visible_comment_count,
            "may_read_proceedings": rules.can_read_proceedings(request.user, minutes),
            "may_edit": rules.can_edit_records(request.user),
            "today": timezone.localdate(),
            "now": timezone.now(),
        },
    )


def get_minutes_for_user(request: HttpRequest, pk: int) -> Minutes:
    """The minutes of meeting `pk` with their meeting and committee, if the user may read
    them: 404 for another committee's, and for a draft unless the user is the secretariat."""
    minutes = rules.scope_to_committees(Minutes.objects.all(), request.user, "meeting__committee")
    minutes = get_object_or_404(
        minutes.select_related("meeting__committee", "meeting__host_party"), meeting_id=pk
    )
    if not rules.can_view_minutes(request.user, minutes):
        raise Http404
    return minutes
