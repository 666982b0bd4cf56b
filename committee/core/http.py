"""HTTP facts and rules that several parts of the portal need: the client's address, the
headers every response carries, the size of a request body, and what of a URL a log may keep.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control
from django.utils.html import format_html

from committee.core import uploads


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the
    outermost of them saw, taken from the right of X-Forwarded-For (the left is the client's
    to write and proves nothing)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    address = request.META.get("REMOTE_ADDR")
    if proxies:
        forwarded = [
            item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [item for item in forwarded if item]
        # Each trusted proxy appended the address it received the request from.
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def permissions_policy_middleware(get_response):
    """Permissions-Policy on every response (place it first, before WhiteNoise and the HTTPS
    redirect): the browser features in settings.PERMISSIONS_POLICY are refused to the portal's
    pages and to anything they might frame."""
    policy = settings.PERMISSIONS_POLICY
    header = ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())

    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", header)
        return response

    return middleware


def no_store_middleware(get_response):
    """Nothing the portal's views answer is kept by a browser or a proxy: pages, exports, PDFs
    and downloads carry committee data, and the rest (sign-in, health checks) gains nothing
    from a cache. Place it after WhiteNoise, which answers static files itself, so that their
    long caching stays."""

    def middleware(request):
        response = get_response(request)
        directives = {d.strip().lower() for d in response.get("Cache-Control", "").split(",")}
        if "no-store" not in directives:
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware


def request_body_limit() -> int:
    """The largest request body the portal reads: one file at the upload limit plus the other
    fields of its form at Django's limit for them (DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    return uploads.MAX_UPLOAD_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def request_body_limit_middleware(get_response):
    """Refuse a request whose body is larger than request_body_limit() with 413, before
    anything reads it: Django limits form fields but streams any size of file to disk before
    a form can look at it. The app server has no such limit; the reverse proxy's should be a
    little larger, so that this page, in the reader's language, is what they see.

    A body sent without Content-Length (chunked) is not read by Django at all."""

    def middleware(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = request_body_limit()
        if length > limit:
            # Isolated, so that "12.5 MB" keeps its order inside Dari and Pashto.
            context = {
                "size": format_html("<bdi>{}</bdi>", filesizeformat(length)),
                "limit": format_html("<bdi>{}</bdi>", filesizeformat(limit)),
            }
            return render(request, "413.html", context, status=413)
        return get_response(request)

    return middleware


# URL parameters that are secrets: whoever reads them in a log could use them (Django's own
# password-reset link, the mail settings link). Query strings are never logged at all: the
# calendar feed's secret is one.
SECRET_URL_PARAMETERS = frozenset({"token"})
REDACTED = "[removed]"


def path_for_log(path: str) -> str:
    """`path` (no query string) with the values of SECRET_URL_PARAMETERS replaced, for the app
    server's access log (gunicorn.conf.py)."""
    try:
        match = resolve(path)
    except Resolver404:
        return path
    secrets = {str(v) for name, v in match.kwargs.items() if name in SECRET_URL_PARAMETERS}
    if not secrets:
        return path
    return "/".join(REDACTED if part in secrets else part for part in path.split("/"))
