"""The security log: each event is one JSON line with time (UTC), event, user and address,
and never a password, code or token."""

import datetime
import json
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from committee.accounts.totp import current_code
from committee.core.security_log import JsonFormatter, log_event, request_context
from committee.meetings import services
from committee.meetings.models import Minutes
from tests import factories
from tests.conftest import run_worker
from tests.test_permissions import post_update

pytestmark = pytest.mark.django_db

PASSWORD = "kabul-almaty-2026-pass"
ADDRESS = "203.0.113.7"


@pytest.fixture
def azizi(world):
    world.azizi.set_password(PASSWORD)
    world.azizi.save()
    return world.azizi


def log_in(client, username, password=PASSWORD):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ADDRESS
    )


def only(found: list[dict]) -> dict:
    assert len(found) == 1, found
    return found[0]


def test_each_line_is_json_with_utc_time_event_user_and_address(client, azizi, events):
    log_in(client, "azizi")

    event = only(events("login.success"))
    assert list(event)[:5] == ["ts", "level", "event", "user", "ip"]
    assert event["user"] == "azizi"
    assert event["ip"] == ADDRESS
    assert event["ts"].endswith("Z")
    moment = datetime.datetime.fromisoformat(event["ts"])
    assert moment.utcoffset() == datetime.timedelta(0)
    assert abs(datetime.datetime.now(datetime.UTC) - moment) < datetime.timedelta(minutes=1)


def test_a_failed_sign_in_records_the_username_tried_and_never_the_password(
    client, azizi, events, caplog
):
    log_in(client, "azizi", password="my-Secret-Guess-42")

    event = only(events("login.failure"))
    assert (event["user"], event["ip"], event["level"]) == ("azizi", ADDRESS, "WARNING")
    # Nothing any logger wrote holds the password.
    assert "my-Secret-Guess-42" not in caplog.text
    assert "my-Secret-Guess-42" not in json.dumps(events())


def test_a_lockout_is_logged(client, azizi, events):
    for _ in range(5):
        log_in(client, "azizi", password="wrong-password")

    assert len(events("login.failure")) == 5
    event = only(events("login.lockout"))
    assert (event["user"], event["ip"], event["limit"]) == ("azizi", ADDRESS, "account")


def test_signing_out_is_logged(client, azizi, events):
    log_in(client, "azizi")
    client.post(reverse("logout"), REMOTE_ADDR=ADDRESS)

    assert only(events("logout"))["user"] == "azizi"


def test_the_second_factor_is_logged_without_the_code(client, world, events, caplog):
    world.staff.set_password(PASSWORD)
    world.staff.save()
    device = TOTPDevice.objects.create(user=world.staff, name="Phone", confirmed=True)
    log_in(client, "secretariat")
    code = current_code(device.key)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    client.post(reverse("otp_verify"), {"code": wrong}, REMOTE_ADDR=ADDRESS)
    device.refresh_from_db()
    device.throttle_reset()  # no waiting between the two tries
    client.post(reverse("otp_verify"), {"code": code}, REMOTE_ADDR=ADDRESS)

    assert only(events("otp.failure"))["user"] == "secretariat"
    verified = only(events("otp.verified"))
    assert (verified["user"], verified["ip"], verified["device"]) == (
        "secretariat",
        ADDRESS,
        "Phone",
    )
    assert code not in caplog.text
    assert wrong not in caplog.text


def test_a_refused_action_is_logged_as_permission_denied(client, world, events):
    client.force_login(world.torebayev)
    response = post_update(client, world.af_pledge)
    assert response.status_code == 403

    event = only(events("permission.denied"))
    assert event["user"] == "torebayev"
    assert (event["method"], event["path"]) == ("POST", world.af_pledge.get_absolute_url())
    assert event["level"] == "WARNING"


def test_a_refused_admin_page_is_logged_too(client, world, sign_in, events):
    sign_in(world.staff)
    response = client.get(reverse("admin:members_calendartoken_add"))
    assert response.status_code == 403

    assert only(events("permission.denied"))["path"] == reverse("admin:members_calendartoken_add")


def test_approving_and_reopening_minutes_are_logged_with_who_and_from_where(
    rf, world, events, monkeypatch
):
    from committee.meetings import printing

    monkeypatch.setattr(printing, "render_minutes_pdf", lambda meeting: b"%PDF-1.7\n%minutes\n")
    meeting = factories.MeetingFactory(committee=world.committee)
    minutes = factories.MinutesFactory(meeting=meeting)
    heads = list(factories.name_heads_of_delegation(meeting).values())
    services.minutes_circulate(minutes=minutes, user=world.staff)
    for head in heads:
        request = rf.post("/", REMOTE_ADDR=ADDRESS)
        request.user = head.user
        with request_context(request):  # as request_context_middleware does around each view
            services.minutes_approve(minutes=minutes, user=head.user)
    run_worker()  # makes the sealed PDF, logged with its checksum
    request = rf.post("/", REMOTE_ADDR=ADDRESS)
    request.user = world.staff
    approved = Minutes.objects.get(pk=minutes.pk)
    with request_context(request):
        services.minutes_reopen(minutes=approved, user=world.staff, reason="A name was misspelt.")

    assert [event["party"] for event in events("minutes.approved_by_delegation")] == [
        head.party_id for head in heads
    ]
    event = only(events("minutes.approved"))
    assert (event["user"], event["ip"]) == (heads[-1].user.username, ADDRESS)
    assert (event["minutes"], event["meeting"]) == (minutes.pk, meeting.pk)
    # Stored by the worker: on behalf of who approved last, from no address.
    event = only(events("minutes.record_stored"))
    assert (event["user"], event["ip"]) == (heads[-1].user.username, None)
    assert (event["minutes"], event["meeting"]) == (minutes.pk, meeting.pk)
    assert event["sha256"] == approved.pdf_sha256
    assert len(event["sha256"]) == 64
    event = only(events("minutes.reopened"))
    assert (event["user"], event["ip"], event["minutes"]) == ("secretariat", ADDRESS, minutes.pk)
    assert event["previous_sha256"] == approved.pdf_sha256
    assert event["reason"] == "A name was misspelt."


def test_a_downloaded_evidence_file_is_logged(client, world, events):
    update = factories.PledgeUpdateFactory(
        pledge=world.af_pledge,
        author=world.azizi,
        evidence=SimpleUploadedFile("invoice.pdf", b"%PDF-1.4\n%evidence\n"),
        evidence_name="invoice.pdf",
    )
    client.force_login(world.torebayev)

    response = client.get(reverse("pledges:evidence", args=[update.pk]), REMOTE_ADDR=ADDRESS)

    assert response.status_code == 200
    event = only(events("file.download"))
    assert (event["user"], event["ip"]) == ("torebayev", ADDRESS)
    assert (event["pledge_update"], event["pledge"]) == (update.pk, world.af_pledge.pk)
    assert event["filename"] == "invoice.pdf"


def test_fields_named_like_secrets_are_never_written(events):
    log_event("test.event", user="azizi", password="p4ss", token="t0k", otp_code="123456", n=1)

    event = only(events("test.event"))
    assert event["password"] == event["token"] == event["otp_code"] == "[removed]"
    assert event["n"] == 1


def test_a_username_with_a_line_break_stays_on_one_line(client, events):
    log_in(client, 'forged\n{"event": "login.success"}')

    event = only(events("login.failure"))
    # The sign-in form reads a name as one line (committee/core/text.py); JSON would keep
    # a line break inside the event all the same.
    assert event["user"] == 'forged {"event": "login.success"}'
    assert not events("login.success")


def test_the_security_logger_writes_json_on_its_own_handler():
    logger = logging.getLogger("portal.security")
    assert [type(handler.formatter) for handler in logger.handlers] == [JsonFormatter]
    console = logging.getLogger().handlers
    plain = [h for h in console if type(h) is logging.StreamHandler]
    record = logging.LogRecord("portal.security", logging.INFO, __file__, 1, "x", None, None)
    assert plain
    assert all(not handler.filter(record) for handler in plain)


def test_an_expected_refusal_is_one_line_without_a_traceback(client, world, caplog):
    client.force_login(world.torebayev)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert post_update(client, world.af_pledge).status_code == 403
        assert client.get("/pledges/999999/").status_code == 404

    refusals = [r for r in caplog.records if getattr(r, "status_code", None) in (403, 404)]
    # The 403 is the security log's event; the 404 Django's one line.
    assert [(r.name, r.getMessage()) for r in refusals] == [
        ("django.request", "Not Found: /pledges/999999/")
    ]
    assert all(record.exc_info is None for record in caplog.records)
    events = [r.security_event["event"] for r in caplog.records if hasattr(r, "security_event")]
    assert events.count("permission.denied") == 1
