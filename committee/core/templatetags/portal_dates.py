"""Dates in templates as the active language writes them (committee/core/calendars.py).

{% load portal_dates %}{{ pledge.due_on|long_date }} {{ update.created_at|date_time }}
"""

import datetime

from django import template
from django.utils.translation import gettext, ngettext

from committee.core import calendars

register = template.Library()


@register.filter
def long_date(value: datetime.date | None) -> str:
    """ "9 November 2026"; in Dari "9 نومبر 2026 (18 عقرب 1405 هـ ش)"."""
    return calendars.long_date(value)


@register.filter
def short_date(value: datetime.date | None) -> str:
    """For table cells: "9 Nov 2026", "09.11.2026"; in Dari with the Solar Hijri date, each
    date kept whole when the cell wraps."""
    return calendars.date_html(value, short=True)


@register.filter
def short_date_text(value: datetime.date | None) -> str:
    """short_date() as plain text, for long tables where every element costs the PDF's
    layout time (the compact implementation matrix)."""
    return calendars.long_date(value, short=True) if value else ""


@register.filter
def days_from_due(days: int | None) -> str:
    """ "3 days overdue", "due today", "due in 5 days": how late, or how soon, a thing is."""
    if days is None:
        return ""
    if days < 0:
        return ngettext("%(days)s day overdue", "%(days)s days overdue", -days) % {"days": -days}
    if days == 0:
        return gettext("due today")
    return ngettext("due in %(days)s day", "due in %(days)s days", days) % {"days": days}


@register.filter
def date_time(value: datetime.datetime | None) -> str:
    return calendars.date_time(value)
