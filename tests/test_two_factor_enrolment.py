"""Setting up the second factor: never with a password alone, only with a one-time enrolment
link another member of the secretariat issued (or the operator, on the server, for the first);
and single-use recovery codes for when the phone is not at hand. Each step in the security log
and in the admin."""

import datetime
import io
import json
import re
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from committee.accounts import enrolment
from committee.accounts.models import EnrolmentLink, EnrolmentLinkEvent
from committee.accounts.totp import current_code, hex_from_base32
from committee.members import rules
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "kabul-almaty-2026-pass"
ASK = "Ask another member of the secretariat for an enrolment link"
KEY_PATTERN = re.compile(r'<code class="otp-key[^>]*>([^<]+)</code>')
LINK_PATTERN = re.compile(r'value="(https?://[^"]+/accounts/enrol/[^"/]+/)"')


def staff(username, **fields):
    user = factories.UserFactory(username=username, is_staff=True, **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def newcomer():
    """A new member of the secretariat: an account, a password, no authenticator app yet."""
    return staff("newcomer", first_name="Gulnara", last_name="Seitkali")


@pytest.fixture
def chief(client):
    """Another member of the secretariat, in the admin with both factors (`client`)."""
    user = staff("chief", is_superuser=True)
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return user


def signed_in(username) -> Client:
    """A browser of its own, past the password step only."""
    browser = Client()
    response = browser.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "the password was refused"
    return browser


def issue_in_admin(client, account):
    """The admin's action on the account's page; the response shows the link once."""
    return client.post(
        reverse("admin:members_user_change", args=[account.pk]),
        {
            "CHANGE_FORM-action": "issue_enrolment_link",
            "_selected_action": str(account.pk),
            "index": "0",
        },
    )


def link_shown(response) -> str:
    return LINK_PATTERN.search(response.content.decode()).group(1)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def set_up_app(browser, link_path, next_url="/"):
    """Open the link, read the key off the page, confirm it with the app's code: the page
    with the recovery codes."""
    browser.get(link_path)
    page = browser.get(reverse("otp_enrol")).content.decode()
    key = "".join(KEY_PATTERN.search(page).group(1).split())
    response = browser.post(
        reverse("otp_enrol"), {"code": current_code(hex_from_base32(key)), "next": next_url}
    )
    assert response.status_code == 200
    return response


def codes_on(response) -> list[str]:
    return re.findall(
        r'<code class="fs-5" dir="ltr" translate="no">([a-z2-7]{4}-[a-z2-7]{4})</code>',
        response.content.decode(),
    )


def assert_no_key(response):
    page = response.content.decode()
    assert "<svg" not in page
    assert "otp-key" not in page
    assert "otpauth://" not in page


# A password alone never sets up an authenticator app.


def test_a_password_alone_never_reaches_the_key(newcomer, events):
    browser = signed_in("newcomer")

    response = browser.get(reverse("otp_verify"), {"next": "/admin/"})
    assert response["Location"] == reverse("otp_enrol") + "?next=%2Fadmin%2F"
    response = browser.get(response["Location"])

    assert response.status_code == 403
    assert ASK in response.content.decode()
    assert_no_key(response)
    # Posting a code (say, of an app set up from a key seen elsewhere) changes nothing.
    response = browser.post(reverse("otp_enrol"), {"code": "123456"})
    assert response.status_code == 403
    assert_no_key(response)
    assert not TOTPDevice.objects.filter(user=newcomer).exists()
    assert browser.get("/admin/").status_code == 302
    # A link made up for the occasion is no better, and is logged.
    browser.get(reverse("otp_enrol_link", args=["made-up-link-secret"]))
    response = browser.get(reverse("otp_enrol"))
    assert response.status_code == 403
    assert "not one of this portal" in response.content.decode()
    assert_no_key(response)
    refused = events("otp.enrolment_link.refused")
    assert [(e["user"], e["reason"], e["link"]) for e in refused] == [("newcomer", "unknown", None)]
    assert EnrolmentLinkEvent.objects.get().reason == "unknown"


def test_a_deleted_device_is_not_set_up_again_with_the_password(newcomer):
    TOTPDevice.objects.create(user=newcomer, name="Lost phone", confirmed=True).delete()
    browser = signed_in("newcomer")
    response = browser.get(reverse("otp_enrol"))
    assert response.status_code == 403
    assert_no_key(response)


# A link from another member of the secretariat.


def test_a_link_from_a_colleague_sets_up_the_app_once(client, chief, newcomer, events):
    response = issue_in_admin(client, newcomer)

    assert response.status_code == 200
    page = response.content.decode()
    assert "shown only now" in page
    url = link_shown(response)
    token = url.rstrip("/").rsplit("/", 1)[1]
    link = EnrolmentLink.objects.get()
    assert (link.user, link.issued_by, link.state) == (newcomer, chief, "waiting")
    # Only a hash is stored.
    assert link.token_hash == EnrolmentLink.hash_token(token) != token
    assert datetime.timedelta(hours=71, minutes=59) < link.expires_at - timezone.now()
    assert link.expires_at - link.created_at == datetime.timedelta(hours=72)

    # The newcomer opens it before signing in: the secret leaves the address at once.
    browser = Client()
    response = browser.get(path_of(url))
    assert response.status_code == 302
    assert token not in response["Location"]
    assert response["Location"].startswith(reverse("login"))
    assert token not in str(dict(browser.session))
    response = browser.post(
        response["Location"], {"username": "newcomer", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("otp_enrol")
    assert KEY_PATTERN.search(response.content.decode())

    codes = codes_on(set_up_app(browser, path_of(url), next_url="/admin/"))

    assert len(codes) == len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=newcomer).confirmed
    link.refresh_from_db()
    assert link.state == "used"
    assert link.ended_at is not None
    assert browser.get("/admin/").status_code == 200
    # Once only: the same link, again, in another browser.
    again = signed_in("newcomer")
    again.get(path_of(url))
    response = again.get(reverse("otp_enrol"))
    assert response.status_code == 403
    assert "used already" in response.content.decode()
    assert_no_key(response)
    assert [e.kind for e in EnrolmentLinkEvent.objects.order_by("pk")] == [
        "issued",
        "used",
        "refused",
    ]
    assert EnrolmentLinkEvent.objects.get(kind="refused").reason == "used"
    issued = events("otp.enrolment_link.issued")[0]
    assert (issued["user"], issued["account"], issued["link"]) == ("chief", "newcomer", link.pk)
    assert issued["channel"] == "admin"
    assert events("otp.enrolment_link.used")[0]["account"] == "newcomer"
    assert events("otp.enrolled")[0]["user"] == "newcomer"
    assert events("otp.recovery_codes.made")[0]["count"] == 10
    assert events("otp.enrolment_link.refused")[0]["reason"] == "used"
    # Never the secret, anywhere in the log.
    assert token not in json.dumps(events())


def test_a_used_link_is_refused_even_before_a_device_exists(chief, newcomer):
    token = enrolment.issue_link(newcomer, issued_by=chief)
    set_up_app(signed_in("newcomer"), reverse("otp_enrol_link", args=[token]))
    TOTPDevice.objects.filter(user=newcomer).delete()  # the phone is lost the same day

    browser = signed_in("newcomer")
    browser.get(reverse("otp_enrol_link", args=[token]))
    response = browser.get(reverse("otp_enrol"))

    assert response.status_code == 403
    assert "used already" in response.content.decode()
    assert_no_key(response)


def test_a_link_expires(settings, chief, newcomer, events):
    settings.ENROLMENT_LINK_VALID_FOR = datetime.timedelta(hours=1)
    token = enrolment.issue_link(newcomer, issued_by=chief)
    link = EnrolmentLink.objects.get()
    assert link.expires_at - link.created_at == datetime.timedelta(hours=1)
    EnrolmentLink.objects.update(
        created_at=timezone.now() - datetime.timedelta(hours=2),
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    browser = signed_in("newcomer")
    browser.get(reverse("otp_enrol_link", args=[token]))

    response = browser.get(reverse("otp_enrol"))

    assert response.status_code == 403
    assert "expired" in response.content.decode()
    assert ASK in response.content.decode()
    assert_no_key(response)
    link.refresh_from_db()
    assert link.state == "expired"
    assert [(e.kind, e.reason) for e in link.events.order_by("pk")] == [
        ("issued", ""),
        ("expired", ""),
        ("refused", "expired"),
    ]
    assert events("otp.enrolment_link.expired")[0]["link"] == link.pk
    assert events("otp.enrolment_link.refused")[0]["reason"] == "expired"


def test_an_expiry_is_written_down_when_its_user_signs_in(chief, newcomer, events):
    enrolment.issue_link(newcomer, issued_by=chief)
    EnrolmentLink.objects.update(expires_at=timezone.now())

    response = signed_in("newcomer").get(reverse("otp_enrol"))

    assert response.status_code == 403
    assert EnrolmentLink.objects.get().state == "expired"
    assert len(events("otp.enrolment_link.expired")) == 1


def test_a_link_is_refused_to_anyone_else_and_still_works_for_its_own(chief, newcomer, events):
    staff("intruder")
    token = enrolment.issue_link(newcomer, issued_by=chief)

    intruder = signed_in("intruder")
    intruder.get(reverse("otp_enrol_link", args=[token]))
    response = intruder.get(reverse("otp_enrol"))

    assert response.status_code == 403
    assert "for another account" in response.content.decode()
    assert_no_key(response)
    assert not TOTPDevice.objects.exclude(user=chief).exists()
    refusal = EnrolmentLinkEvent.objects.get(kind="refused")
    # Recorded against the account whose link it is, with who tried.
    assert (refusal.account, refusal.actor.username, refusal.reason) == (
        newcomer,
        "intruder",
        "other_account",
    )
    logged = events("otp.enrolment_link.refused")[0]
    assert (logged["user"], logged["account"], logged["level"]) == (
        "intruder",
        "newcomer",
        "WARNING",
    )
    # Its owner is not locked out by it.
    set_up_app(signed_in("newcomer"), reverse("otp_enrol_link", args=[token]))
    assert TOTPDevice.objects.get(user=newcomer).confirmed


def test_an_official_gets_nothing_from_a_staff_link(chief, newcomer):
    official = factories.UserFactory(username="azizi")
    official.set_password(PASSWORD)
    official.save()
    token = enrolment.issue_link(newcomer, issued_by=chief)

    browser = signed_in("azizi")
    response = browser.get(reverse("otp_enrol_link", args=[token]), follow=True)

    assert response.redirect_chain[-1][0] == "/"
    assert not TOTPDevice.objects.exclude(user=chief).exists()
    assert EnrolmentLink.objects.get().state == "waiting"


def test_a_new_link_replaces_the_one_before(chief, newcomer, events):
    first = enrolment.issue_link(newcomer, issued_by=chief)
    browser = signed_in("newcomer")
    browser.get(reverse("otp_enrol_link", args=[first]))
    first_key = KEY_PATTERN.search(browser.get(reverse("otp_enrol")).content.decode()).group(1)

    second = enrolment.issue_link(newcomer, issued_by=chief)

    # The first link, and the key it showed, are dead.
    response = browser.get(reverse("otp_enrol"))
    assert response.status_code == 403
    assert "a newer one was issued" in response.content.decode()
    assert_no_key(response)
    assert [link.state for link in EnrolmentLink.objects.order_by("pk")] == [
        "replaced",
        "waiting",
    ]
    assert events("otp.enrolment_link.replaced")[0]["user"] == "chief"
    browser.get(reverse("otp_enrol_link", args=[second]))
    page = browser.get(reverse("otp_enrol")).content.decode()
    assert KEY_PATTERN.search(page).group(1) != first_key


def test_nobody_issues_a_link_for_themselves(client, chief, events):
    response = issue_in_admin(client, chief)

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Nobody issues an enrolment link for their own account" in page
    assert not EnrolmentLink.objects.exists()
    assert events("otp.enrolment_link.issue_refused")[0]["reason"] == "oneself"
    assert not rules.can_issue_enrolment_link(chief, chief)
    with pytest.raises(ValueError, match="themselves"):
        enrolment.issue_link(chief, issued_by=chief)
    # Nor behind the service's back: the database refuses it.
    with pytest.raises(IntegrityError, match="enrolment_link_not_for_oneself"):
        EnrolmentLink.objects.create(
            user=chief,
            issued_by=chief,
            token_hash="0" * 64,
            expires_at=timezone.now() + datetime.timedelta(hours=1),
        )


@pytest.mark.parametrize(
    "account",
    [
        {"is_staff": False},
        {"is_staff": True, "is_active": False},
    ],
    ids=["official", "inactive staff"],
)
def test_links_are_for_active_staff_only(client, chief, account):
    user = factories.UserFactory(**account)

    response = issue_in_admin(client, user)

    assert response.status_code == 302
    assert "for active staff accounts only" in client.get(response["Location"]).content.decode()
    assert not EnrolmentLink.objects.exists()
    assert not rules.can_issue_enrolment_link(chief, user)


def test_only_staff_who_passed_the_second_factor_issue_links(newcomer):
    # The password step alone does not open the admin.
    staff("colleague")
    browser = signed_in("colleague")
    response = issue_in_admin(browser, newcomer)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))
    assert not EnrolmentLink.objects.exists()


def test_a_link_replaces_an_app_that_was_set_up_before(chief, newcomer):
    old = TOTPDevice.objects.create(user=newcomer, name="Old phone", confirmed=True)
    token = enrolment.issue_link(newcomer, issued_by=chief)

    set_up_app(signed_in("newcomer"), reverse("otp_enrol_link", args=[token]))

    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert TOTPDevice.objects.get(user=newcomer).confirmed


def test_the_admin_shows_the_links_and_what_became_of_them(client, chief, newcomer):
    token = enrolment.issue_link(newcomer, issued_by=chief)
    # Opened by someone else: refused.
    intruder = signed_in("chief")
    intruder.get(reverse("otp_enrol_link", args=[token]))
    assert intruder.get(reverse("otp_enrol")).status_code == 403
    enrolment.issue_link(newcomer, issued_by=chief)
    link = EnrolmentLink.objects.order_by("pk").first()

    user_page = client.get(reverse("admin:members_user_change", args=[newcomer.pk]))
    link_page = client.get(reverse("admin:accounts_enrolmentlink_change", args=[link.pk]))
    events_page = client.get(reverse("admin:accounts_enrolmentlinkevent_changelist"))

    for response in (user_page, link_page, events_page):
        assert response.status_code == 200
        page = response.content.decode()
        assert token not in page
        assert link.token_hash not in page
    assert "Issue an enrolment link" in user_page.content.decode()
    assert "Replaced by a newer link" in user_page.content.decode()
    assert "Waiting to be used" in user_page.content.decode()
    assert "Opened while signed in as someone else" in link_page.content.decode()
    assert "Issued" in events_page.content.decode()
    # Records of what happened: nobody adds, changes or deletes them.
    assert client.get(reverse("admin:accounts_enrolmentlink_add")).status_code == 403
    delete = reverse("admin:accounts_enrolmentlinkevent_delete", args=[link.events.first().pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_the_admin_binds_no_device_to_anyone(client, chief, newcomer):
    # Neither typed in, nor moved to another account: only an enrolment link binds an app.
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    assert client.get(reverse("admin:otp_static_staticdevice_add")).status_code == 403
    enrolment.make_recovery_codes(newcomer)
    for url in (
        reverse("admin:otp_totp_totpdevice_change", args=[TOTPDevice.objects.get().pk]),
        reverse("admin:otp_static_staticdevice_change", args=[StaticDevice.objects.get().pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        form = response.context["adminform"].form
        assert "user" not in form.fields
        assert "confirmed" not in form.fields
        assert "key" not in form.fields
        # Deleting stays: a lost phone.
        assert response.context["has_delete_permission"]


# The first staff member of a new installation: the operator, on the server.


def test_the_operator_issues_the_first_link_on_the_server(settings, events):
    settings.PORTAL_URL = "https://portal.example.org"
    first = factories.UserFactory(username="founder", is_staff=True, is_superuser=True)
    first.set_password(PASSWORD)
    first.save()
    out = io.StringIO()

    call_command("issue_enrolment_link", "founder", stdout=out)

    url = re.search(r"https://portal\.example\.org/accounts/enrol/\S+/", out.getvalue()).group(0)
    link = EnrolmentLink.objects.get()
    assert (link.issued_by, link.channel) == (None, "command")
    issued = events("otp.enrolment_link.issued")[0]
    assert (issued["user"], issued["account"], issued["channel"]) == (None, "founder", "command")
    assert "operator" in issued
    codes = codes_on(set_up_app(signed_in("founder"), path_of(url)))
    assert len(codes) == 10


def test_the_command_refuses_accounts_that_are_not_staff():
    factories.UserFactory(username="azizi")
    with pytest.raises(CommandError, match="not an active staff account"):
        call_command("issue_enrolment_link", "azizi")
    with pytest.raises(CommandError, match="no account named 'nobody'"):
        call_command("issue_enrolment_link", "nobody")
    assert not EnrolmentLink.objects.exists()


# Recovery codes.


@pytest.fixture
def enrolled(chief, newcomer):
    """The newcomer's app key and recovery codes, as set up with a colleague's link."""
    token = enrolment.issue_link(newcomer, issued_by=chief)
    codes = codes_on(set_up_app(signed_in("newcomer"), reverse("otp_enrol_link", args=[token])))
    return TOTPDevice.objects.get(user=newcomer), codes


def use_recovery_code(browser, code):
    return browser.post(
        reverse("otp_verify"), {"code": code, "with": "recovery", "next": "/admin/"}
    )


def test_each_recovery_code_works_once(enrolled, events):
    _device, codes = enrolled
    first = signed_in("newcomer")
    page = first.get(reverse("otp_verify"), {"next": "/admin/", "with": "recovery"})
    assert "Recovery code" in page.content.decode()

    # Typed as shown, or in capitals without the hyphen.
    response = use_recovery_code(first, codes[0].upper().replace("-", " "))

    assert response["Location"] == "/admin/"
    assert first.get("/admin/").status_code == 200
    assert StaticToken.objects.count() == 9
    used = events("otp.recovery_code_used")
    assert [(e["user"], e["remaining"]) for e in used] == [("newcomer", 9)]
    assert codes[0] not in json.dumps(events())
    # The same code again, in another browser: refused.
    second = signed_in("newcomer")
    response = use_recovery_code(second, codes[0])
    assert response.status_code == 200
    assert "not right, or it was used already" in response.content.decode()
    assert second.get("/admin/").status_code == 302
    assert events("otp.failure")[0]["recovery"] is True


def test_running_low_on_recovery_codes_leads_to_new_ones(enrolled):
    _device, codes = enrolled
    StaticToken.objects.exclude(token__in=[c.replace("-", "") for c in codes[:3]]).delete()
    browser = signed_in("newcomer")

    response = use_recovery_code(browser, codes[0])

    page = browser.get(response["Location"]).content.decode()
    assert "You signed in with a recovery code, which no longer works: 2 are left." in page
    assert f'<a href="{reverse("otp_recovery_codes")}">Make new recovery codes</a>' in page


def test_recovery_codes_are_shown_once(client, enrolled):
    _device, codes = enrolled
    browser = signed_in("newcomer")
    use_recovery_code(browser, codes[0])

    page = browser.get(reverse("otp_recovery_codes")).content.decode()

    assert "You have 9 recovery codes left." in page
    assert not [code for code in codes if code in page or code.replace("-", "") in page]
    # Nor in the admin, where secrets are hidden (OTP_ADMIN_HIDE_SENSITIVE_DATA).
    # Nor in the admin (OTP_ADMIN_HIDE_SENSITIVE_DATA), where `client` is a colleague.
    device = StaticDevice.objects.get()
    response = client.get(reverse("admin:otp_static_staticdevice_change", args=[device.pk]))
    assert response.status_code == 200
    admin_page = response.content.decode()
    assert not [code for code in codes if code.replace("-", "") in admin_page]


def test_new_recovery_codes_replace_the_old(enrolled, events):
    _device, old_codes = enrolled
    browser = signed_in("newcomer")
    use_recovery_code(browser, old_codes[0])

    response = browser.post(reverse("otp_recovery_codes"))

    new_codes = codes_on(response)
    assert len(new_codes) == 10
    assert "shown only this once" in response.content.decode()
    # The session verified with an old code stays verified.
    assert browser.get("/admin/").status_code == 200
    assert [e["count"] for e in events("otp.recovery_codes.made")] == [10]
    assert use_recovery_code(signed_in("newcomer"), new_codes[0]).status_code == 302
    refused = use_recovery_code(signed_in("newcomer"), old_codes[1])
    assert refused.status_code == 200
    assert "not right, or it was used already" in refused.content.decode()


def test_recovery_codes_are_made_only_after_the_second_factor(enrolled):
    browser = signed_in("newcomer")
    response = browser.post(reverse("otp_recovery_codes"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))
    assert StaticToken.objects.count() == 10


def test_officials_have_no_recovery_codes_page(client):
    official = factories.UserFactory(username="azizi")
    client.force_login(official)
    assert client.get(reverse("otp_recovery_codes")).status_code == 404


def test_without_the_app_a_recovery_code_still_signs_in(enrolled):
    device, codes = enrolled
    device.delete()  # the phone is lost; no new link yet

    browser = signed_in("newcomer")
    # Setting up a new app still takes a link; a recovery code signs in meanwhile.
    response = browser.get(reverse("otp_enrol"))
    assert response.status_code == 403
    assert "Sign in with a recovery code meanwhile" in response.content.decode()
    assert_no_key(response)
    page = browser.get(reverse("otp_verify")).content.decode()

    assert "no authenticator app at present" in page
    assert "Recovery code" in page
    response = browser.post(reverse("otp_verify"), {"code": codes[3], "next": "/"})
    assert response["Location"] == "/"


def test_the_app_code_stays_the_default_with_recovery_codes(enrolled):
    device, _codes = enrolled
    browser = signed_in("newcomer")
    page = browser.get(reverse("otp_verify")).content.decode()
    assert 'inputmode="numeric"' in page
    assert "Phone not at hand? Use a recovery code" in page
    # The next time step's code: the one of setting up was used already.
    code = current_code(device.key, at=time.time() + 30)
    response = browser.post(reverse("otp_verify"), {"code": code, "next": "/admin/"})
    assert response["Location"] == "/admin/"
