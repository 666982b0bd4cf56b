"""Signing in: throttling by username and address, the second factor of staff, sessions that
end, and the password rules."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from committee.accounts import enrolment, sessions
from committee.accounts.totp import base32_from_hex, current_code, hex_from_base32
from committee.core.http import client_ip
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "kabul-almaty-2026-pass"
GATEWAY = "203.0.113.7"  # one ministry's gateway: every official behind it shares it
ELSEWHERE = "198.51.100.20"


@pytest.fixture
def azizi():
    user = factories.UserFactory(username="azizi", email="nooruddin.azizi@moic.gov.af")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def secretariat():
    user = factories.UserFactory(username="secretariat", is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def device(secretariat):
    return TOTPDevice.objects.create(user=secretariat, name="Phone", confirmed=True)


def log_in(client, username, password=PASSWORD, address=GATEWAY, **data):
    return client.post(
        reverse("login"), {"username": username, "password": password, **data}, REMOTE_ADDR=address
    )


def fail(client, username, times, address=GATEWAY):
    return [log_in(client, username, "wrong-password", address) for _ in range(times)]


# Throttling: five failures lock one username from one address for 15 minutes.


def test_five_failures_lock_the_username_from_that_address_with_a_clear_page(client, azizi):
    responses = fail(client, "azizi", 5)

    assert [r.status_code for r in responses[:4]] == [200] * 4
    locked = responses[4]
    assert locked.status_code == 429
    assert 800 <= int(locked["Retry-After"]) <= 900
    page = locked.content.decode()
    assert "Sign-in paused" in page
    assert "Try again in 15 minutes" in page
    assert "Joint Committee Portal" in page  # the portal's layout, not a bare message
    # Even the right password waits for the end of the pause.
    assert log_in(client, "azizi").status_code == 429
    assert "_auth_user_id" not in client.session


def test_colleagues_behind_the_same_gateway_and_the_user_elsewhere_still_sign_in(azizi):
    colleague = factories.UserFactory(username="torebayev")
    colleague.set_password(PASSWORD)
    colleague.save()
    fail(Client(), "azizi", 5)

    assert log_in(Client(), "torebayev").status_code == 302
    assert log_in(Client(), "azizi", address=ELSEWHERE).status_code == 302
    assert log_in(Client(), "azizi").status_code == 429


def test_a_success_clears_the_count(client, azizi):
    fail(client, "azizi", 4)
    assert log_in(client, "azizi").status_code == 302
    client.logout()

    assert [r.status_code for r in fail(client, "azizi", 4)] == [200] * 4
    assert fail(client, "azizi", 1)[0].status_code == 429


def test_the_pause_ends_after_15_minutes(client, azizi):
    fail(client, "azizi", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))

    assert log_in(client, "azizi").status_code == 302


def test_the_admin_login_form_is_throttled_too(client, azizi):
    for _ in range(5):
        response = client.post(
            reverse("admin:login"),
            {"username": "azizi", "password": "wrong-password"},
            REMOTE_ADDR=GATEWAY,
        )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "10.0.0.5"),
        (0, "192.0.2.1", "10.0.0.5"),  # no proxy trusted: the header is anyone's to write
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "6.6.6.6, 192.0.2.1", "192.0.2.1"),  # a forged left part is ignored
        (2, "192.0.2.1, 10.1.1.1", "192.0.2.1"),
        (2, "10.1.1.1", "10.0.0.5"),  # fewer hops than proxies: the direct peer
        (1, "not-an-address", None),
    ],
)
def test_behind_trusted_proxies_the_address_is_read_from_the_right(
    rf, settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


# The second factor of staff.


def verify(client, code, next_url="/admin/"):
    return client.post(reverse("otp_verify"), {"code": code, "next": next_url})


def test_staff_are_asked_for_a_code_after_the_password(client, secretariat, device):
    response = log_in(client, "secretariat", next="/admin/")
    assert response.status_code == 302

    for url in ("/admin/", "/", "/pledges/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("otp_verify") + "?next=")
    page = client.get(reverse("otp_verify"), {"next": "/admin/"})
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    # Nothing to navigate to before the code: only a way out.
    assert 'id="main-nav"' not in page.content.decode()
    assert f'action="{reverse("logout")}"' in page.content.decode()


def test_a_right_code_opens_the_admin_and_a_new_session_key(client, secretariat, device):
    log_in(client, "secretariat")
    key_before = client.session.session_key

    response = verify(client, current_code(device.key))

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session.session_key != key_before
    assert client.get("/admin/").status_code == 200
    assert client.get("/").status_code == 200


def test_a_code_cannot_be_used_twice(secretariat, device):
    code = current_code(device.key)
    first, second = Client(), Client()
    log_in(first, "secretariat")
    log_in(second, "secretariat")

    assert verify(first, code).status_code == 302
    response = verify(second, code)

    assert response.status_code == 200
    assert "used already" in response.content.decode()
    assert second.get("/admin/").status_code == 302


def test_a_wrong_code_is_refused_and_the_next_must_wait(client, settings, secretariat, device):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute's wait, however slow the machine
    log_in(client, "secretariat")
    right = current_code(device.key)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = verify(client, wrong)
    assert response.status_code == 200
    assert "not right" in response.content.decode()
    # Straight after a wrong code even the right one waits (1 s, then 2, 4 …).
    response = verify(client, right)
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_next_address_after_the_code_stays_on_this_site(client, secretariat, device):
    log_in(client, "secretariat")
    response = verify(client, current_code(device.key), next_url="https://evil.example/")
    assert response["Location"] == "/"


def shown_key(page: str) -> str:
    return "".join(re.search(r'<code class="otp-key[^>]*>([^<]+)</code>', page).group(1).split())


def test_staff_without_a_device_set_one_up_with_an_enrolment_link(client, secretariat):
    colleague = factories.UserFactory(username="chief", is_staff=True)
    token = enrolment.issue_link(secretariat, issued_by=colleague)
    log_in(client, "secretariat")
    response = client.get(reverse("otp_verify"), {"next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("otp_enrol") + "?next=%2Fadmin%2F"
    # The password alone: whom to ask, no key (tests/test_two_factor_enrolment.py).
    assert client.get(response["Location"]).status_code == 403

    response = client.get(reverse("otp_enrol_link", args=[token]))
    assert response["Location"] == reverse("otp_enrol")
    page = client.get(response["Location"]).content.decode()
    # The QR code is inline SVG with no style attribute (the CSP forbids them), and the key
    # is shown in groups of four for typing; reloading the page keeps it.
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert "style=" not in svg
    assert "<script" not in svg
    key = shown_key(page)
    enrol_page = client.get(reverse("otp_enrol")).content.decode()
    assert shown_key(enrol_page) == key
    assert 'id="main-nav"' not in enrol_page
    device = TOTPDevice.objects.get(user=secretariat)
    assert not device.confirmed
    assert base32_from_hex(device.key) == key

    response = client.post(
        reverse("otp_enrol"), {"code": current_code(hex_from_base32(key)), "next": "/admin/"}
    )

    # The recovery codes, shown once, then on to where the staff member was going.
    assert response.status_code == 200
    assert 'href="/admin/"' in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_once_a_device_is_confirmed_nobody_adds_another_with_the_password_alone(
    client, secretariat, device
):
    log_in(client, "secretariat")
    response = client.get(reverse("otp_enrol"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))
    assert TOTPDevice.objects.filter(user=secretariat).count() == 1


def test_a_deleted_device_ends_the_verified_sessions(client, secretariat, device):
    log_in(client, "secretariat")
    verify(client, current_code(device.key))
    assert client.get("/admin/").status_code == 200

    device.delete()  # in the admin, when a phone is lost

    assert client.get("/admin/").status_code == 302
    assert DEVICE_ID_SESSION_KEY not in client.session
    # Setting up a new one takes an enrolment link from a colleague.
    assert client.get(reverse("otp_verify"))["Location"].startswith(reverse("otp_enrol"))
    assert client.get(reverse("otp_enrol")).status_code == 403


def test_officials_are_never_asked_for_a_second_factor(client, azizi):
    log_in(client, "azizi")
    assert client.get("/").status_code == 200
    assert client.get(reverse("otp_verify"), {"next": "/pledges/"})["Location"] == "/pledges/"
    assert client.get(reverse("otp_enrol"))["Location"] == "/"
    assert not TOTPDevice.objects.exists()


def test_signing_out_needs_no_second_factor(client, secretariat, device):
    log_in(client, "secretariat")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_the_admin_itself_refuses_staff_without_the_second_factor(client, settings, secretariat):
    # Should the middleware ever be left out, the admin site still checks.
    settings.MIDDLEWARE = [
        name
        for name in django_settings.MIDDLEWARE
        if name != "committee.accounts.two_factor.SecondFactorMiddleware"
    ]
    client.force_login(secretariat)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# Sessions end after 8 idle hours, on signing out, and elsewhere on a password change.


def _age_session(client, seconds: int) -> None:
    """As if the session had last been written `seconds` ago, expiry and all."""
    session = client.session
    session[sessions.WRITTEN_AT] -= seconds
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(seconds=8 * 60 * 60 - seconds)
    )


def test_sessions_end_after_eight_idle_hours_and_requests_extend_them(client, azizi):
    log_in(client, "azizi")
    key = client.session.session_key
    # Within five minutes of the last write a request writes nothing: no query, no cookie.
    response = client.get("/")
    assert response.status_code == 200
    assert django_settings.SESSION_COOKIE_NAME not in response.cookies
    _age_session(client, 5 * 60)
    response = client.get("/")
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == 8 * 60 * 60
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    left = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert datetime.timedelta(hours=7, minutes=59) < left <= datetime.timedelta(hours=8)


def test_a_session_idle_for_eight_hours_has_ended(client, azizi):
    log_in(client, "azizi")
    _age_session(client, 8 * 60 * 60 + 1)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signing_out_ends_the_session_on_the_server(client, azizi):
    log_in(client, "azizi")
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/").status_code == 302


def test_a_password_change_signs_out_the_users_other_sessions(azizi):
    here, elsewhere = Client(), Client()
    log_in(here, "azizi")
    log_in(elsewhere, "azizi", address=ELSEWHERE)
    assert elsewhere.get("/").status_code == 200

    response = here.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-passphrase-for-2027",
            "new_password2": "a-new-passphrase-for-2027",
        },
    )

    assert response.status_code == 302
    assert here.get("/").status_code == 200  # this session is kept
    response = elsewhere.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Kz-Af-2026!", "at least 12 characters"),
        ("password1234", "too common"),
        ("730219846512", "entirely numeric"),
        ("nooruddin.azizi@moic", "too similar to the email address"),
    ],
)
def test_the_password_change_form_applies_the_password_rules(client, azizi, password, message):
    log_in(client, "azizi")
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    azizi.refresh_from_db()
    assert azizi.check_password(PASSWORD)
