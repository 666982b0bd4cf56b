"""The negotiation of the minutes: the delegations' comments on each circulated version with
the secretariat's answers, and what changed from one version to the next.

Both pages answer 404 unless the user may read the minutes (rules.can_view_minutes: drafts
are the secretariat's). Who reads which comments is rules.comments_visible_to; the writes
are the services': a comment by an official of a delegation until the deadline, an answer
by the secretariat until the minutes are approved.
"""

import dataclasses

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from committee.meetings import services
from committee.meetings.forms import CommentAnswerForm, MinutesCommentForm, add_service_errors
from committee.meetings.models import AgendaItem, Minutes, MinutesComment
from committee.members import rules


def _get_minutes_for_user(request: HttpRequest, pk: int) -> Minutes:
    """The minutes of meeting `pk` with their meeting and committee, if the user may read
    them: 404 for another committee's, and for a draft unless the user is the secretariat."""
    minutes = rules.scope_to_committees(Minutes.objects.all(), request.user, "meeting__committee")
    minutes = get_object_or_404(minutes.select_related("meeting__committee"), meeting_id=pk)
    if not rules.can_view_minutes(request.user, minutes):
        raise Http404
    return minutes


def _comments_url(minutes: Minutes, comment: MinutesComment | None = None) -> str:
    url = reverse("meetings:minutes_comments", args=[minutes.meeting_id])
    return f"{url}#comment-{comment.pk}" if comment else url


def _why_closed(minutes: Minutes) -> str:
    if minutes.is_approved:
        return _("The minutes are approved: comments are closed.")
    if not minutes.is_circulated:
        return _("Comments are sent while the minutes are circulated.")
    return _("The deadline for comments has passed.")


@dataclasses.dataclass
class CommentGroup:
    """The comments on one agenda item (None: on the minutes as a whole)."""

    item: AgendaItem | None
    comments: list[MinutesComment]

    @property
    def anchor(self) -> str:
        return f"on-item-{self.item.position}" if self.item else "on-the-whole"


def _comment_groups(items: list[AgendaItem], comments: list[MinutesComment]) -> list[CommentGroup]:
    """Comments on the minutes as a whole first, then by agenda item in agenda order; only
    the groups that have comments."""
    by_item: dict[int | None, list[MinutesComment]] = {}
    for comment in comments:
        by_item.setdefault(comment.agenda_item_id, []).append(comment)
    groups = [CommentGroup(None, by_item.get(None, []))]
    groups += [CommentGroup(item, by_item.get(item.pk, [])) for item in items]
    return [group for group in groups if group.comments]


def _comments_page(
    request: HttpRequest,
    minutes: Minutes,
    *,
    comment_form: MinutesCommentForm | None = None,
    answered: tuple[int, CommentAnswerForm] | None = None,
) -> HttpResponse:
    """The page, with the forms of a refused post (`comment_form`, or `answered`: the id of
    the comment and its answer form) showing their errors.

    Queries: the agenda, the comments with their delegations, authors and who answered
    them, and the latest version: the same however many comments there are.
    """
    user = request.user
    meeting = minutes.meeting
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position"))
    comments = list(
        rules.comments_visible_to(user, minutes.comments.all(), meeting.committee_id)
        .select_related("party", "author", "answered_by")
        .annotate(version=F("circulation__number"))
        .order_by("created_at", "pk")
    )
    # The texts of a version are not read here, only its number and dates.
    latest = minutes.circulations.defer("texts").order_by("-number").first()
    may_answer = rules.can_edit_records(user) and not minutes.is_approved
    if may_answer:
        for comment in comments:
            if answered and answered[0] == comment.pk:
                comment.answer_form = answered[1]
            else:
                comment.answer_form = CommentAnswerForm(
                    prefix=f"answer-{comment.pk}",
                    initial={"answer": comment.answer, "answer_reason": comment.answer_reason},
                )
    may_comment = services.may_comment(minutes, user)
    if may_comment and comment_form is None:
        comment_form = MinutesCommentForm(items=items)
    deadline = minutes.comment_deadline
    deadline_passed = deadline is not None and timezone.now() > deadline
    is_official = rules.can_comment_on_minutes(user, minutes)
    return render(
        request,
        "meetings/minutes_comments.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "latest": latest,
            "groups": _comment_groups(items, comments),
            "comment_count": len(comments),
            "deadline": deadline,
            "comments_closed": deadline_passed or not minutes.is_circulated,
            "closed_reason": _why_closed(minutes) if is_official and not may_comment else "",
            "may_comment": may_comment,
            "delegation": rules.delegation(user, meeting.committee_id),
            "comment_form": comment_form if may_comment else None,
            "may_answer": may_answer,
            "is_secretariat": rules.is_secretariat(user),
            "is_observer": rules.is_observer(user, meeting.committee_id),
        },
    )


@require_http_methods(["GET", "POST"])
def minutes_comments(request: HttpRequest, pk: int) -> HttpResponse:
    """The comments on the minutes, grouped by agenda item; the form of an official's
    comment (POST) while the minutes are circulated and the deadline has not passed."""
    minutes = _get_minutes_for_user(request, pk)
    if request.method == "GET":
        return _comments_page(request, minutes)
    if not rules.can_comment_on_minutes(request.user, minutes):
        raise PermissionDenied(_("Only officials of the delegations comment on the minutes."))
    if not services.may_comment(minutes, request.user):
        messages.error(request, _why_closed(minutes))
        return redirect(_comments_url(minutes))
    items = list(AgendaItem.objects.filter(meeting_id=minutes.meeting_id).order_by("position"))
    form = MinutesCommentForm(request.POST, items=items)
    if form.is_valid():
        try:
            comment = services.minutes_comment(
                minutes=minutes, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your comment is sent to the secretariat."))
            return redirect(_comments_url(minutes, comment))
    return _comments_page(request, minutes, comment_form=form)


@require_POST
def minutes_comment_answer(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    """The secretariat answers a comment, or changes its answer until the minutes are
    approved."""
    minutes = _get_minutes_for_user(request, pk)
    if not rules.can_edit_records(request.user):
        raise PermissionDenied(_("Only the secretariat answers comments."))
    comment = get_object_or_404(minutes.comments.all(), pk=comment_pk)
    if minutes.is_approved:  # the page shows no answer forms any more
        messages.error(request, _("Approved minutes are re-opened before they change."))
        return redirect(_comments_url(minutes, comment))
    form = CommentAnswerForm(request.POST, prefix=f"answer-{comment.pk}")
    if form.is_valid():
        try:
            services.comment_answer(
                comment=comment,
                user=request.user,
                answer=form.cleaned_data["answer"],
                reason=form.cleaned_data["answer_reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The answer is recorded."))
            return redirect(_comments_url(minutes, comment))
    return _comments_page(request, minutes, answered=(comment.pk, form))
