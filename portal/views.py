from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
@login_not_required
def healthz(request):
    """Liveness: the process answers. Needs no database, so a database outage shows elsewhere."""
    return HttpResponse("ok\n", content_type="text/plain")


def home(request):
    return render(request, "portal/home.html")
