from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from committee.agreements import exports
from committee.agreements.charts import indicator_chart
from committee.agreements.filters import PledgeFilter
from committee.agreements.forms import PledgeUpdateForm
from committee.agreements.models import Agreement, Pledge, PledgeUpdate
from committee.agreements.services import (
    DuplicateSubmission,
    PledgeChanged,
    implementation_review_add,
    pledge_update_post,
)
from committee.core import freshness, history
from committee.core.downloads import attachment_response
from committee.core.pagination import KeysFirstPaginator
from committee.meetings.models import Meeting
from committee.members import rules

PLEDGES_PER_PAGE = 50
HISTORY_LENGTH = 50  # changes shown on a pledge's page; the admin lists them all


# What the facts of a pledge's page name, beside its reference (agreement, agenda item).
PLEDGE_FACTS = (
    "committee",
    "responsible_party",
    "lead_organization__party",
    "counterpart_organization__party",
    "focal_point__party",
    "due_moved_by",
    "counterpart_focal_point__party",
    "sector",
)


def _get_pledge_for_user(request: HttpRequest, pk: int) -> Pledge:
    """The pledge with what names it (its reference), if the user may read its committee; 404
    otherwise (no hint it exists). Its facts are read apart (_pledge_facts())."""
    queryset = Pledge.objects.visible_to(request.user).select_related(
        "agreement", "agenda_item__meeting"
    )
    return get_object_or_404(queryset, pk=pk)


def _pledge_facts(pledge: Pledge) -> Pledge:
    """The pledge again, with every record its facts name: read only when the facts are
    rendered, not when the page keeps them (committee/core/freshness.py)."""
    return Pledge.objects.select_related("agreement", "agenda_item__meeting", *PLEDGE_FACTS).get(
        pk=pledge.pk
    )


def _get_agreement_for_user(request: HttpRequest, pk: int) -> Agreement:
    queryset = (
        rules.scope_to_committees(Agreement.objects.all(), request.user)
        .select_related("committee", "meeting")
        .prefetch_related(
            "parties",
            "signatories__party",
            Prefetch(
                "pledges",
                queryset=Pledge.objects.for_listing().order_by("number"),
                to_attr="pledge_list",
            ),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def _filtered_pledges(request: HttpRequest):
    pledges = Pledge.objects.visible_to(request.user).for_listing()
    return PledgeFilter(request.GET or None, queryset=pledges, user=request.user)


@require_GET
def pledge_list(request: HttpRequest) -> HttpResponse:
    # Before any of the data the page keeps rendered (committee/core/freshness.py).
    version = freshness.data_version()
    pledge_filter = _filtered_pledges(request)
    query = request.GET.copy()
    query.pop("page", None)

    def list_context() -> dict:
        paginator = KeysFirstPaginator(pledge_filter.qs, PLEDGES_PER_PAGE)
        return {
            "filter": pledge_filter,
            "page": paginator.get_page(request.GET.get("page")),
            "query": query.urlencode(),
            "sorting": pledge_filter.sort_links(),
            "today": pledge_filter.today,
        }

    list_part = freshness.kept_part(
        request,
        "tracker",
        version,
        "agreements/_pledge_list_part.html",
        list_context,
        reader=rules.reader_key(request.user),
        vary_on=[request.get_full_path()],
    )
    return render(
        request,
        "agreements/pledge_list.html",
        {"filter": pledge_filter, "list_part": list_part},
    )


@require_GET
def pledge_export(request: HttpRequest, extension: str) -> HttpResponse:
    pledge_filter = _filtered_pledges(request)
    pledges = pledge_filter.qs.with_latest_update()
    response_for = exports.csv_response if extension == "csv" else exports.xlsx_response
    return response_for(pledges, pledge_filter.today)


class PledgeTimeline:
    """A pledge's updates, their indicator chart and its history of changes, each read when
    first asked for: a page that keeps them rendered reads none."""

    def __init__(self, pledge: Pledge):
        self.pledge = pledge

    @cached_property
    def updates(self) -> list[PledgeUpdate]:
        return list(
            self.pledge.updates.select_related("author", "author_party").order_by(
                "-created_at", "-pk"
            )
        )

    @cached_property
    def chart(self):
        pledge = self.pledge
        if not pledge.has_indicator:
            return None
        series = sorted(
            (
                (u.period_end or u.created_at.date(), u.indicator_value)
                for u in self.updates
                if u.indicator_value is not None
            ),
            key=lambda item: item[0],
        )
        if pledge.baseline_value is not None and pledge.baseline_year:
            series.insert(0, (None, pledge.baseline_value))
        return indicator_chart(
            [(str(date.year) if date else str(pledge.baseline_year), v) for date, v in series],
            pledge.baseline_value,
            pledge.target_value,
        )

    @cached_property
    def _history(self):
        return history.recent_changes(self.pledge, limit=HISTORY_LENGTH)

    @property
    def changes(self):
        return self._history[0]

    @property
    def older_changes(self) -> bool:
        return self._history[1]


def _pledge_parts(
    request: HttpRequest, pledge: Pledge, version: str | None, form: PledgeUpdateForm | None
) -> dict:
    """The parts of a pledge's page kept rendered until its data changes: its facts, its
    indicator's chart, its updates and history, and the update form as it first shows
    (committee/core/freshness.py). A form sent back with errors is rendered anew."""
    timeline = PledgeTimeline(pledge)  # read once for the chart and the updates alike
    reader = rules.reader_key(request.user)

    def part(name: str, context) -> str:
        return freshness.kept_part(
            request,
            name,
            version,
            f"agreements/_{name}_part.html",
            context,
            reader=reader,
            vary_on=[pledge.pk],
        )

    return {
        "facts_part": part("pledge_facts", lambda: {"pledge": _pledge_facts(pledge)}),
        "chart_part": part("pledge_chart", lambda: {"pledge": pledge, "chart": timeline.chart})
        if pledge.has_indicator
        else "",
        "timeline_part": part(
            "pledge_timeline",
            lambda: {
                "pledge": pledge,
                "updates": timeline.updates,
                "changes": timeline.changes,
                "older_changes": timeline.older_changes,
                "history_length": HISTORY_LENGTH,
            },
        ),
        # The form's fields start at the pledge's status, progress and version, which the
        # data version covers; its submission key, new at every request, is not in the part.
        "form_part": part("pledge_form", lambda: {"form": form})
        if form is not None and not form.is_bound
        else "",
    }


@require_http_methods(["GET", "POST"])
def pledge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Before any of the data the page keeps rendered (committee/core/freshness.py).
    version = freshness.data_version()
    pledge = _get_pledge_for_user(request, pk)
    may_post = rules.can_post_update(request.user, pledge)
    form = None
    if request.method == "POST":
        if not may_post:
            raise PermissionDenied(_("Only the responsible delegation reports on this pledge."))
        form = PledgeUpdateForm(request.POST, request.FILES, pledge=pledge)
        if form.is_valid():
            try:
                pledge_update_post(
                    pledge=pledge,
                    author=request.user,
                    evidence=request.FILES.get("evidence"),
                    **{k: v for k, v in form.cleaned_data.items() if k != "evidence"},
                )
            except DuplicateSubmission:
                messages.info(request, _("This update had already been recorded."))
            except PledgeChanged as conflict:
                form.changed_meanwhile(conflict.pledge, since=conflict.since)
                pledge = _get_pledge_for_user(request, pk)  # as it is now
            else:
                messages.success(request, _("Your update is recorded."))
            if not form.errors:
                return redirect(pledge)
    elif may_post:
        form = PledgeUpdateForm(pledge=pledge)

    return render(
        request,
        "agreements/pledge_detail.html",
        {
            "pledge": pledge,
            **_pledge_parts(request, pledge, version, form),
            "form": form,
            "may_post": may_post,
            "is_observer": rules.is_observer(request.user, pledge.committee_id),
        },
    )


@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_object_or_404(
        PledgeUpdate.objects.select_related("pledge").exclude(evidence=""), pk=pk
    )
    if not rules.can_view_committee(request.user, update.pledge.committee_id):
        raise Http404
    filename = update.evidence_name or update.evidence.name.rsplit("/", 1)[-1]
    return attachment_response(
        request,
        update.evidence,
        filename,
        kind="evidence",
        pledge_update=update.pk,
        pledge=update.pledge_id,
    )


@require_GET
def agreement_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed text of an agreement, to whoever may read the agreement."""
    agreement = get_object_or_404(
        rules.scope_to_committees(Agreement.objects.exclude(document=""), request.user), pk=pk
    )
    extension = agreement.document.name.rsplit(".", 1)[-1] if "." in agreement.document.name else ""
    filename = f"{agreement.reference or 'agreement-' + str(agreement.pk)}.{extension}".replace(
        "/", "-"
    )
    return attachment_response(
        request, agreement.document, filename, kind="agreement", agreement=agreement.pk
    )


@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    agreements = (
        rules.scope_to_committees(Agreement.objects.all(), request.user)
        .select_related("committee")
        .prefetch_related("parties")
        .annotate(
            pledge_count=Count("pledges", distinct=True),
            open_count=Count(
                "pledges",
                filter=~Q(pledges__status__in=Pledge.CLOSED_STATUSES),
                distinct=True,
            ),
        )
    )
    return render(request, "agreements/agreement_list.html", {"agreements": agreements})


@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _get_agreement_for_user(request, pk)
    return render(
        request,
        "agreements/agreement_detail.html",
        {"agreement": agreement, "today": timezone.localdate()},
    )


@require_POST
def implementation_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: put the review of open pledges on a session's agenda (matters arising)."""
    if not rules.can_edit_records(request.user):
        raise PermissionDenied(_("Only the secretariat prepares the agenda."))
    meeting = get_object_or_404(
        rules.scope_to_committees(Meeting.objects.all(), request.user), pk=pk
    )
    try:
        item = implementation_review_add(meeting=meeting)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(meeting)
    count = item.pledge_reviews.count()
    messages.success(
        request,
        _("Item %(position)s lists the %(count)s pledges still open.")
        % {"position": item.position, "count": count},
    )
    return redirect(item)
