import sys
from collections import defaultdict

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from committee.agreements.models import (
    Pledge,
    PledgeUpdate,
    due_within_condition,
    overdue_condition,
)
from committee.core import freshness
from committee.core.translations import localized
from committee.meetings.models import Meeting
from committee.members import rules
from portal.middleware import (
    DATABASE_UNAVAILABLE_ERRORS,
    RETRY_AFTER_SECONDS,
    caused_by_database,
    database_not_required,
    database_unavailable_response,
)

DASHBOARD_LIST_LIMIT = 25
DUE_SOON_DAYS = 30


@require_GET
@never_cache
@login_not_required
@database_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Needs no database, so a database outage shows elsewhere."""
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
@login_not_required
@database_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and feed readers ask for by themselves: the icon the pages
    name, from the static files."""
    return redirect(static("favicon.ico"), permanent=True)


@require_GET
@never_cache
@login_not_required
@database_not_required  # it asks the database itself, and says so in plain text
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database answers. A load balancer sends no traffic while it is 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_UNAVAILABLE_ERRORS:
        response = HttpResponse("database unavailable\n", content_type="text/plain", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse("ready\n", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database that failed outside a view (reading the session or the user in
    a middleware) is a 503 to try again, like the outages the middleware catches."""
    error = sys.exception()
    if caused_by_database(error):
        return database_unavailable_response(request, error)
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception) -> HttpResponse:
    """handler400: a session that could not be saved because the database went away is a
    503 too; any other bad request is Django's 400."""
    if caused_by_database(exception):
        return database_unavailable_response(request, exception)
    return defaults.bad_request(request, exception)


def _status_table(rows, key: str):
    """Pivot (group, status, count) rows into [(group, [count per status], total)]."""
    counts = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counts[row[key] or _("Joint")][row["status"]] += row["n"]
    statuses = Pledge.Status.values
    return [
        (group, [by_status[s] for s in statuses], sum(by_status.values()))
        for group, by_status in sorted(counts.items(), key=lambda item: str(item[0]))
    ]


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: what my delegation owes soon or late, status at a glance, what's next."""
    # Before any of the data the page keeps rendered (committee/core/freshness.py).
    version = freshness.data_version()
    dashboard_part = freshness.kept_part(
        request,
        "dashboard",
        version,
        "portal/_dashboard_part.html",
        lambda: _dashboard(request),
        reader=rules.reader_key(request.user),
    )
    return render(request, "portal/home.html", {"dashboard_part": dashboard_part})


def _dashboard(request: HttpRequest) -> dict:
    """What the dashboard shows, read: for a dashboard not kept rendered."""
    user = request.user
    today = timezone.localdate()
    visible = Pledge.objects.visible_to(user)
    memberships = rules.memberships(user)
    parties = {m.party for m in memberships.values()}
    ours = Q()
    if not rules.is_secretariat(user):
        # One's delegation is per committee: a party's pledges on another committee are not ours.
        ours = Q(responsible_party__isnull=True)
        for committee_id, member in memberships.items():
            ours |= Q(committee_id=committee_id, responsible_party_id=member.party_id)
    mine = visible.filter(ours)
    overdue = mine.for_listing().overdue(today).order_by("due_on", "pk")
    due_soon = mine.for_listing().due_within(today, DUE_SOON_DAYS).order_by("due_on", "pk")
    # Every count of the page in one pass over the pledges.
    counts = list(
        # order_by(): the default order's columns would split the groups.
        visible.order_by()
        .values(
            "status",
            sector_name=localized("sector__name"),
            party_name=localized("responsible_party__name"),
        )
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=ours & overdue_condition(today)),
            due_soon=Count("pk", filter=ours & due_within_condition(today, DUE_SOON_DAYS)),
        )
    )
    indicators = (
        visible.exclude(indicator="")
        .filter(target_value__isnull=False)
        .select_related("responsible_party")
        .order_by("due_on", "pk")[:DASHBOARD_LIST_LIMIT]
    )
    meetings = list(
        rules.scope_to_committees(Meeting.objects.upcoming(timezone.now()), user).select_related(
            "committee", "host_party"
        )[:5]
    )
    return {
        "today": today,
        "parties": sorted(parties, key=lambda p: p.name),
        "overdue": overdue[:DASHBOARD_LIST_LIMIT],
        "overdue_count": sum(row["overdue"] for row in counts),
        "due_soon": due_soon[:DASHBOARD_LIST_LIMIT],
        "due_soon_count": sum(row["due_soon"] for row in counts),
        "due_soon_days": DUE_SOON_DAYS,
        "statuses": Pledge.Status.choices,
        "by_sector": _status_table(counts, "sector_name"),
        "by_party": _status_table(counts, "party_name"),
        "indicators": indicators,
        "meetings": meetings,
        # An upcoming meeting leaves the list when it ends, whatever else changes.
        freshness.KEPT_UNTIL: min((meeting.ends_at for meeting in meetings), default=None),
        "latest_updates": PledgeUpdate.objects.filter(pledge__in=visible)
        .select_related(
            "pledge__agreement", "pledge__agenda_item__meeting", "author", "author_party"
        )
        .order_by("-created_at", "-pk")[:10],
    }
