"""{% page_header %}: the service's header and main menu, kept rendered between requests.

Every page has it, and it costs about half a millisecond to render: the committee and its
parties, the menu with the reader's section marked, the language switcher. So it is kept as a
part (committee/core/freshness.py) under the data version, the reader's login and language,
and the section. What differs at every request is left as a hole in the kept part and filled
in for each: the CSRF token of its two forms, and the address the language switcher returns
to. A hole is an HTML comment, which no escaped text of the page can contain.

The header names no record that a permission rule decides on: the committee it names is one
of the reader's own memberships, which the data version covers.
"""

from django import template
from django.middleware.csrf import get_token
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from committee.core import freshness

register = template.Library()

CSRF_HOLE = mark_safe("<!--csrf-token-->")
ADDRESS_HOLE = mark_safe("<!--this-address-->")


@register.simple_tag(takes_context=True)
def page_header(context) -> SafeString:
    request = context["request"]
    match = request.resolver_match
    before_second_factor = bool(context.get("before_second_factor"))
    part = freshness.kept_part(
        request,
        "page_header",
        freshness.data_version(),
        "includes/_navbar.html",
        lambda: {
            "csrf_token": CSRF_HOLE,
            "this_address": ADDRESS_HOLE,
            "before_second_factor": before_second_factor,
        },
        reader=(),
        vary_on=[
            match.namespace if match else None,
            match.url_name if match else None,
            before_second_factor,
        ],
    )
    # The page's own token where it has one: masking a token anew costs as much as the rest.
    token = context.get("csrf_token") or get_token(request)
    return mark_safe(  # noqa: S308 (the kept part as rendered; the holes' values escaped)
        part.replace(CSRF_HOLE, str(token)).replace(ADDRESS_HOLE, escape(request.get_full_path()))
    )
