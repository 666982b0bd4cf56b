"""The iCalendar feed of sessions, and the page where users manage their feed address.

Calendar programs cannot log in, so the feed is reached through a personal secret in its
address (see members.CalendarToken). Whoever has the address sees what its owner may read.
"""

import datetime
from urllib.parse import urlencode

import icalendar
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from committee.meetings.models import Meeting
from committee.members import rules
from committee.members.models import CalendarToken

# Secrets from token_urlsafe(32) are 43 characters; anything much longer is not ours.
MAX_TOKEN_LENGTH = 100

# How often calendar programs are asked to fetch the feed again.
REFRESH_INTERVAL = datetime.timedelta(hours=6)

ICAL_STATUS = {
    Meeting.Status.PLANNED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.POSTPONED: "TENTATIVE",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def _feed_url(request: HttpRequest, raw_token: str) -> str:
    return request.build_absolute_uri(
        reverse("calendar_feed") + "?" + urlencode({"token": raw_token})
    )


def _event(request: HttpRequest, meeting: Meeting, stamp: datetime.datetime) -> icalendar.Event:
    zone = meeting.zone
    link = request.build_absolute_uri(meeting.get_absolute_url())
    event = icalendar.Event()
    # The host makes the UID globally unique; the pk keeps it stable across edits, so a
    # changed date or a cancellation updates the entry in the user's calendar.
    event.add("uid", f"meeting-{meeting.pk}@{request.get_host()}")
    # No modification time is recorded on meetings, so DTSTAMP is the time of this feed.
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", str(meeting))
    event.add("location", ", ".join(part for part in (meeting.venue, meeting.city) if part))
    event.add(
        "description",
        "\n".join(
            [
                meeting.committee.name,
                _("Status: %(status)s") % {"status": meeting.get_status_display()},
                _("Format: %(format)s") % {"format": meeting.get_format_display()},
                link,
            ]
        ),
    )
    event.add("url", link)
    event.add("status", ICAL_STATUS[meeting.status])
    return event


@require_safe
@login_not_required
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """The sessions of the committees the token's user may read, as text/calendar.

    Queries: the token with its user, its last use, the user's memberships (none for
    staff), the meetings with their committees — whatever the number of meetings.
    """
    raw = request.GET.get("token", "")
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        raise Http404
    token = CalendarToken.objects.for_raw_token(raw).select_related("user").first()
    if token is None:
        raise Http404
    now = timezone.now()
    CalendarToken.objects.filter(pk=token.pk).update(last_used_at=now)

    meetings = list(
        rules.scope_to_committees(Meeting.objects.all(), token.user)
        .select_related("committee")
        .order_by("starts_at", "pk")
    )
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Joint Committee Portal//Sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Committee sessions"))
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    for meeting in meetings:
        calendar.add_component(_event(request, meeting, now))
    if meetings:
        # VTIMEZONE definitions for the venues' zones, over the span the feed covers only:
        # generating them for decades of transitions is slow.
        calendar.add_missing_timezones(
            first_date=meetings[0].starts_at.date() - datetime.timedelta(days=366),
            last_date=max(m.ends_at for m in meetings).date() + datetime.timedelta(days=366),
        )

    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["X-Content-Type-Options"] = "nosniff"
    # The address is a secret: no shared cache may keep a copy, and no referrer leaks it.
    patch_cache_control(response, private=True, max_age=0)
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Show the state of the user's feed address; create, renew or revoke it.

    The secret is stored only hashed, so it can be shown once: on the response to the POST
    that created it, rendered directly (200) instead of redirecting. Carrying it to a
    redirected GET would mean writing it into the session table, i.e. storing it after all.
    Reloading that page re-posts and so simply renews the address again. never_cache keeps
    browsers and proxies from storing the page that shows it.
    """
    feed_url = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "issue":
            renewing = CalendarToken.objects.filter(user=request.user).exists()
            feed_url = _feed_url(request, CalendarToken.issue(request.user))
            messages.success(
                request,
                _("Your new feed address is below; the old one no longer works.")
                if renewing
                else _("Your feed address is below."),
            )
        elif action == "revoke":
            deleted, _rows = CalendarToken.objects.filter(user=request.user).delete()
            if deleted:
                messages.success(request, _("Your feed address is revoked and no longer works."))
            return redirect("meetings:calendar_settings")
        else:
            return HttpResponseBadRequest()
    token = CalendarToken.objects.filter(user=request.user).first()
    return render(
        request,
        "meetings/calendar_settings.html",
        {"token": token, "feed_url": feed_url},
    )
