"""Is background work being done? For a monitor: 200 while a worker reports and the queue
moves, 503 with the reason when no worker has reported lately or a task has waited too long."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

from committee.notifications.models import Worker


def worker_state() -> tuple[bool, list[str]]:
    now = timezone.now()
    stale = settings.WORKER_STALE_AFTER
    alive = Worker.objects.filter(seen_at__gte=now - stale).count()
    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("run_after", "enqueued_at")
        .first()
    )
    waiting = 0
    if oldest is not None:
        run_after, enqueued_at = oldest
        # A task without a start time has run_after far in the future: it waits since queued.
        since = enqueued_at if run_after > now else max(enqueued_at, run_after)
        waiting = max(0, int((now - since).total_seconds()))
    lines = [f"workers reporting: {alive}", f"oldest waiting task: {waiting} s"]
    healthy = alive > 0 and waiting < stale.total_seconds()
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
