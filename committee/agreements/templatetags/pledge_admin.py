"""The admin's pledge list, its rows and its years kept rendered between requests.

At 10,000 pledges the list's rows (50 a page, each with its agreement, session, party and
sector, and the latest update) and the years of its date hierarchy are most of the page's
time (docs/performance.md). They are kept as parts (committee/core/freshness.py) under the
data version, the reader (what the permission rules decide by, and their permissions in
the admin, which decide the links and check boxes) and the list's address, with its
filters, search, order and page. The rows are read only for a list not kept
(core/pagination.RowsByKey); the counts and the filters' choices are read at every request.
"""

from django import template
from django.contrib.admin.templatetags import admin_list
from django.utils.safestring import SafeString

from committee.core import freshness
from committee.members import rules

register = template.Library()


def _kept(context, name: str, template_name: str, values) -> SafeString:
    request = context["request"]
    user = request.user
    return freshness.kept_part(
        request,
        name,
        freshness.data_version(),
        template_name,
        values,
        # A superuser has every permission, without reading them.
        reader=(
            rules.reader_key(user),
            "all" if user.is_superuser else tuple(sorted(user.get_all_permissions())),
        ),
        vary_on=[request.get_full_path()],
    )


@register.simple_tag(takes_context=True)
def kept_result_list(context, cl) -> SafeString:
    """Django's {% result_list cl %}, kept."""
    return _kept(
        context,
        "admin_pledges",
        "admin/change_list_results.html",
        lambda: admin_list.result_list(cl),
    )


@register.simple_tag(takes_context=True)
def kept_date_hierarchy(context, cl) -> SafeString:
    """Django's {% date_hierarchy cl %}, kept: the years take a pass over every due date."""
    return _kept(
        context,
        "admin_pledge_years",
        "admin/date_hierarchy.html",
        lambda: admin_list.date_hierarchy(cl) or {},
    )
