"""The negotiation of the minutes: the delegations' comments on each circulated version with
the secretariat's answers, and what changed from one version to the next.

Both pages answer 404 unless the user may read the minutes (rules.can_view_minutes: drafts
are the secretariat's). Who reads which comments is rules.comments_visible_to; the writes
are the services': a comment by an official of a delegation until the deadline, an answer
by the secretariat until the minutes are approved.
"""

import dataclasses
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from committee.meetings import record, services
from committee.meetings.forms import CommentAnswerForm, MinutesCommentForm, add_service_errors
from committee.meetings.models import AgendaItem, Minutes, MinutesCirculation, MinutesComment
from committee.meetings.views import get_minutes_for_user
from committee.members import rules

DRAFT = "draft"  # ?to=draft: the current text, not yet circulated (the secretariat's)


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
        rules.comments_visible_to(user, minutes.comments.all())
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
        comment_form = MinutesCommentForm(
            items=items, initial={"version": latest.number if latest else 1}
        )
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
            # The refused answer, for the error summary at the top of the page.
            "answer_form": answered[1] if answered and may_answer else None,
            "is_secretariat": rules.is_secretariat(user),
            "is_observer": rules.is_observer(user, meeting.committee_id),
        },
    )


@require_http_methods(["GET", "POST"])
def minutes_comments(request: HttpRequest, pk: int) -> HttpResponse:
    """The comments on the minutes, grouped by agenda item; the form of an official's
    comment (POST) while the minutes are circulated and the deadline has not passed."""
    minutes = get_minutes_for_user(request, pk)
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
    minutes = get_minutes_for_user(request, pk)
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


# --- What changed between versions ---------------------------------------------------------


def _version_number(value: str | None, numbers: list[int]) -> int | None:
    """A version asked for in the query string, if there is such a version."""
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number in numbers else None


@require_GET
def minutes_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """Two versions of the minutes compared, text by text in every language: by default the
    latest circulated version against the one before; ?from=N&to=M picks others, and the
    secretariat may compare the current text, not yet circulated, with the last version
    (?to=draft). A version that does not exist falls back to these defaults."""
    minutes = get_minutes_for_user(request, pk)
    versions = list(
        minutes.circulations.defer("texts").select_related("circulated_by").order_by("number")
    )
    numbers = [version.number for version in versions]
    may_compare_draft = rules.can_edit_records(request.user) and bool(versions)
    to_draft = may_compare_draft and request.GET.get("to") == DRAFT
    to = None if to_draft else _version_number(request.GET.get("to"), numbers)
    since = _version_number(request.GET.get("from"), numbers)
    if to is not None and since is not None and since > to:  # asked the other way round
        since, to = to, since
    if to is None and not to_draft and numbers:
        to = numbers[-1]
    earlier = numbers if to_draft else [number for number in numbers if number < to]
    if since not in earlier:
        since = earlier[-1] if earlier else None

    changes = None
    if since is not None:
        texts = dict(
            MinutesCirculation.objects.filter(
                minutes=minutes, number__in=[since, to or since]
            ).values_list("number", "texts")
        )
        new = record.snapshot(minutes) if to_draft else texts[to]
        changes = record.changes(texts[since], new)
    return render(
        request,
        "meetings/minutes_changes.html",
        {
            "meeting": minutes.meeting,
            "minutes": minutes,
            "versions": versions,
            "since": since,
            "to": to,
            "to_draft": to_draft,
            "may_compare_draft": may_compare_draft,
            "draft_value": DRAFT,
            "labelled_changes": [
                (label, list(rows))
                for label, rows in groupby(changes or [], key=lambda change: change.label)
            ],
            "compared": changes is not None,
        },
    )
