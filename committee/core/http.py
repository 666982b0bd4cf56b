"""Facts about an HTTP request that several parts of the portal need."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


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
