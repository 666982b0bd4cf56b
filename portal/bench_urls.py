"""The portal's addresses and the benchmark's bare view, for `manage.py bench` only.

The bare view is a Django view that touches no database: the throughput of the whole stack
(app server, middleware, a response) with nothing of the portal's own work. It is served
only where ROOT_URLCONF names this module: settings set it when BENCH_VIEWS is on, which
`manage.py bench` does for the app server it starts, and nothing does in production.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.middleware import database_not_required
from portal.urls import handler400, handler403, handler500, urlpatterns

BARE_PATH = "bench/bare"


@require_GET
@never_cache
@login_not_required
@database_not_required
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [*urlpatterns, path(BARE_PATH, bare, name="bench_bare")]
__all__ = ["handler400", "handler403", "handler500", "urlpatterns"]
