"""The iCalendar feed of sessions and the page that issues its secret address."""

import datetime
import re
import zoneinfo

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committee.meetings.models import Meeting
from committee.members.models import CalendarToken
from tests import factories

SETTINGS_URL = "/meetings/calendar/"


@pytest.fixture
def sessions(world):
    """Two sessions of the world's committee (one cancelled) and one of the other committee."""
    start = datetime.datetime(2026, 9, 14, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Kabul"))
    return {
        "kabul": factories.MeetingFactory(
            committee=world.committee,
            number=1,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=8),
            time_zone="Asia/Kabul",
            venue="Ministry of Commerce",
            city="Kabul",
        ),
        "almaty": factories.MeetingFactory(
            committee=world.committee,
            number=2,
            title="Second session",
            starts_at=start + datetime.timedelta(days=180),
            ends_at=start + datetime.timedelta(days=181),
            time_zone="Asia/Almaty",
            city="Almaty",
            status=Meeting.Status.CANCELLED,
        ),
        "foreign": factories.MeetingFactory(
            committee=world.other_committee, number=1, city="Tashkent"
        ),
    }


def feed(client, raw: str):
    return client.get("/meetings.ics", {"token": raw})


def events_by_uid(response) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@testserver"


def test_it_lists_the_sessions_of_the_users_committees(client, world, sessions):
    raw = CalendarToken.issue(world.azizi)

    response = feed(client, raw)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = events_by_uid(response)
    assert set(events) == {uid(sessions["kabul"]), uid(sessions["almaty"])}
    kabul = events[uid(sessions["kabul"])]
    assert str(kabul["summary"]) == str(sessions["kabul"])
    assert str(kabul["location"]) == "Ministry of Commerce, Kabul"
    assert str(kabul["status"]) == "CONFIRMED"
    description = str(kabul["description"])
    assert world.committee.name in description
    assert "Planned" in description
    assert f"http://testserver/meetings/{sessions['kabul'].pk}/" in description
    assert "dtstamp" in kabul


def test_it_keeps_times_and_the_venues_time_zone(client, world, sessions):
    events = events_by_uid(feed(client, CalendarToken.issue(world.azizi)))

    for meeting in (sessions["kabul"], sessions["almaty"]):
        event = events[uid(meeting)]
        assert event.decoded("dtstart") == meeting.starts_at
        assert event.decoded("dtend") == meeting.ends_at
        assert event["dtstart"].params["TZID"] == meeting.time_zone
    # 09:00 in Kabul is 04:30 UTC: no shift on the way through the database.
    assert events[uid(sessions["kabul"])].decoded("dtstart").astimezone(datetime.UTC).time() == (
        datetime.time(4, 30)
    )


def test_it_includes_cancelled_sessions_as_cancelled(client, world, sessions):
    events = events_by_uid(feed(client, CalendarToken.issue(world.observer)))

    assert str(events[uid(sessions["almaty"])]["status"]) == "CANCELLED"


def test_it_shows_staff_every_committee(client, world, sessions):
    events = events_by_uid(feed(client, CalendarToken.issue(world.staff)))

    assert set(events) == {uid(meeting) for meeting in sessions.values()}


def test_it_shows_an_outsider_only_their_committee(client, world, sessions):
    events = events_by_uid(feed(client, CalendarToken.issue(world.outsider)))

    assert set(events) == {uid(sessions["foreign"])}


@pytest.mark.parametrize(
    "params", [{}, {"token": ""}, {"token": "not-a-token"}, {"token": "x" * 500}]
)
def test_it_404s_without_a_valid_token(client, world, params):
    CalendarToken.issue(world.azizi)

    assert client.get("/meetings.ics", params).status_code == 404


def test_it_404s_a_revoked_token(client, world):
    raw = CalendarToken.issue(world.azizi)
    client.force_login(world.azizi)

    response = client.post(SETTINGS_URL, {"action": "revoke"})

    assert response.status_code == 302
    assert not CalendarToken.objects.filter(user=world.azizi).exists()
    client.logout()
    assert feed(client, raw).status_code == 404


def test_it_404s_the_token_of_an_inactive_user(client, world):
    raw = CalendarToken.issue(world.azizi)
    world.azizi.is_active = False
    world.azizi.save(update_fields=["is_active"])

    assert feed(client, raw).status_code == 404


def test_renewing_retires_the_old_address(client, world):
    old = CalendarToken.issue(world.azizi)
    client.force_login(world.azizi)

    response = client.post(SETTINGS_URL, {"action": "issue"})

    new = re.search(r"token=([\w-]+)", response.content.decode())[1]
    assert new != old
    client.logout()
    assert feed(client, old).status_code == 404
    assert feed(client, new).status_code == 200


def test_it_stores_only_a_hash_of_the_token(world):
    raw = CalendarToken.issue(world.azizi)

    token = CalendarToken.objects.get(user=world.azizi)
    assert token.token_hash != raw
    assert raw not in token.token_hash
    assert re.fullmatch(r"[0-9a-f]{64}", token.token_hash)


def test_it_records_when_the_feed_was_fetched(client, world):
    raw = CalendarToken.issue(world.azizi)

    feed(client, raw)

    assert CalendarToken.objects.get(user=world.azizi).last_used_at is not None


def test_the_feed_is_private_and_sets_no_cookie(client, world, sessions):
    response = feed(client, CalendarToken.issue(world.azizi))

    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    assert "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_settings_page_needs_a_login(client, world):
    response = client.get(SETTINGS_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_address_is_shown_once(client, world):
    client.force_login(world.torebayev)
    page = client.get(SETTINGS_URL).content.decode()
    assert "You have no feed address." in page

    response = client.post(SETTINGS_URL, {"action": "issue"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    match = re.search(r'value="(http://testserver/meetings\.ics\?token=([\w-]+))"', page)
    assert match is not None
    assert CalendarToken.objects.get(user=world.torebayev).token_hash == (
        CalendarToken.hash_token(match[2])
    )
    later = client.get(SETTINGS_URL).content.decode()
    assert "You have an active feed address" in later
    assert match[2] not in later
    assert "meetings.ics?token=" not in later


def test_the_settings_page_refuses_an_unknown_action(client, world):
    client.force_login(world.azizi)

    assert client.post(SETTINGS_URL, {"action": "frobnicate"}).status_code == 400


def test_the_hash_must_be_sha256_hex(world):
    token = CalendarToken(user=world.azizi, token_hash="NOT-HEX" * 8)
    with pytest.raises(ValidationError, match="64 lowercase hexadecimal"):
        token.full_clean()


def add_meetings(world, count: int, *, first_number: int):
    start = timezone.now()
    Meeting.objects.bulk_create(
        Meeting(
            committee=world.committee if n % 2 else world.other_committee,
            number=first_number + n,
            starts_at=start + datetime.timedelta(days=n),
            ends_at=start + datetime.timedelta(days=n, hours=6),
            time_zone=("Asia/Kabul", "Asia/Almaty", "UTC")[n % 3],
            city="Kabul",
            status=Meeting.Status.values[n % 4],
        )
        for n in range(count)
    )


@pytest.mark.parametrize("persona", ["azizi", "staff"])
def test_the_number_of_queries_does_not_grow_with_the_sessions(client, world, persona):
    user = getattr(world, persona)
    raw = CalendarToken.issue(user)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert feed(client, raw).status_code == 200
        return len(queries)

    add_meetings(world, 2, first_number=100)
    few = count_queries()
    add_meetings(world, 40, first_number=200)
    many = count_queries()

    # The token with its user, the update of its last use, the user's memberships (not for
    # staff), the meetings with their committees.
    assert few == many == (3 if persona == "staff" else 4)
