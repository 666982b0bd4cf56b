"""Is background work being done? For a monitor: 200 while a worker reports and the queue
moves, 503 with the reason when no worker has reported lately or a task has waited too long."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Case, F, When
from django.db.models.functions import Greatest
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

from committee.core.clock import database_now
from committee.notifications.models import Worker

# A queue may wait this long behind a burst (the Monday digest queues a mail per member)
# before the check calls the workers stopped.
WAIT_FACTOR = 5


def worker_state() -> tuple[bool, list[str]]:
    now = database_now()
    stale = settings.WORKER_STALE_AFTER
    alive = Worker.objects.filter(seen_at__gte=now - stale).count()
    # Since when each ready task waits: queued, or due later (a retry), whichever is later;
    # a task without a start time carries run_after far in the future, and waits since queued.
    since = Case(
        When(run_after__gt=now, then=F("enqueued_at")),
        default=Greatest("enqueued_at", "run_after"),
    )
    oldest = (
        DBTaskResult.objects.ready()
        .annotate(since=since)
        .order_by("since")
        .values_list("since", flat=True)
        .first()
    )
    waiting = max(0, int((now - oldest).total_seconds())) if oldest else 0
    lines = [f"workers reporting: {alive}", f"oldest waiting task: {waiting} s"]
    healthy = alive > 0 and waiting < WAIT_FACTOR * stale.total_seconds()
    if not alive:
        lines.append(f"no worker has reported in the last {int(stale.total_seconds())} s")
    elif not healthy:
        lines.append("tasks are waiting longer than they should: the workers have stopped")
    return healthy, lines


@require_GET
@never_cache
@login_not_required
def worker_health(request: HttpRequest) -> HttpResponse:
    healthy, lines = worker_state()
    return HttpResponse(
        "\n".join(["ok" if healthy else "worker stopped", *lines]) + "\n",
        content_type="text/plain",
        status=200 if healthy else 503,
    )
