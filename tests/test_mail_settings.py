"""Which mails a user gets (/accounts/mail/), the signed, expiring link in every mail that opens
the same form without signing in, the mail program's one-click off, and the secretariat's
outbox: a refusal recorded with the server's reason, a temporary one tried again, a failed
mail sent again."""

import datetime
import re
import time

import pytest
from django.contrib import messages
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult, TaskResultStatus

from committee.members.models import User
from committee.notifications import mails, reminders, tasks
from committee.notifications.models import Mail, MailSettings, Topic
from tests import factories
from tests.conftest import force_login, run_tasks

SETTINGS_URL = "/accounts/mail/"
DELIVER = "committee.notifications.tasks.deliver"
TOPICS = ["reminders", "updates", "minutes", "digest"]


def link(user: User, topic: str = "reminders") -> str:
    return reverse("notifications:settings_link", args=[mails.settings_token(user, topic)])


def off_link(token: str) -> str:
    return reverse("notifications:one_click_off", args=[token])


class SignedLongAgo(signing.TimestampSigner):
    """Signs as signing.dumps does, with the clock turned back `days`."""

    def __init__(self, days: int, **kwargs):
        super().__init__(**kwargs)
        self.days = days

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - self.days * 24 * 3600)


def token_signed_days_ago(user: User, topic: str, days: int) -> str:
    signer = SignedLongAgo(days, salt=mails.SETTINGS_LINK_SALT)
    return signer.sign_object({"user": user.pk, "topic": topic})


def chosen(user: User) -> dict[str, bool] | None:
    """The user's stored choices, or None while they have none (the defaults)."""
    row = MailSettings.objects.filter(user=user).values(*TOPICS).first()
    return dict(row) if row else None


def form_data(*on: str) -> dict[str, str]:
    """The form as posted with the `on` topics ticked (an unticked box is not sent)."""
    return dict.fromkeys(on, "on")


# --- The page for a signed-in user ----------------------------------------------------------


def test_the_page_needs_a_sign_in(client, world):
    response = client.get(SETTINGS_URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={SETTINGS_URL}"
    assert client.post(SETTINGS_URL, form_data()).status_code == 302
    assert not MailSettings.objects.exists()


def test_a_signed_in_user_saves_their_choices(client, sign_in, world):
    sign_in(world.torebayev)
    page = client.get(SETTINGS_URL)
    assert page.status_code == 200
    # Every topic is on until changed.
    assert all(page.context["form"][topic].value() for topic in TOPICS)

    response = client.post(SETTINGS_URL, form_data("reminders", "minutes"), follow=True)

    assert response.redirect_chain == [(SETTINGS_URL, 302)]
    assert "Your mail settings are saved." in response.content.decode()
    assert chosen(world.torebayev) == {
        "reminders": True,
        "updates": False,
        "minutes": True,
        "digest": False,
    }
    assert chosen(world.azizi) is None


# --- The link in a mail ---------------------------------------------------------------------


def test_the_link_opens_the_form_without_sign_in_and_a_visit_changes_nothing(client, world):
    MailSettings.objects.create(user=world.torebayev, updates=False)
    before = MailSettings.objects.get(user=world.torebayev).changed_at

    response = client.get(link(world.torebayev, "reminders"))

    assert response.status_code == 200
    assert response.context["owner"] == world.torebayev
    assert response.context["topic"] == Topic.REMINDERS.label
    assert response.context["form"]["updates"].value() is False
    # A mail scanner opens links: only the form's POST saves.
    assert MailSettings.objects.get(user=world.torebayev).changed_at == before
    assert client.get(link(world.azizi)).status_code == 200
    assert chosen(world.azizi) is None


def test_the_link_at_the_foot_of_a_mail_opens_its_readers_settings(client, world):
    reminders.run(today=world.af_pledge.due_on - datetime.timedelta(days=14))
    mail = Mail.objects.get(reminder__pledge=world.af_pledge)
    path = reverse("notifications:settings_link", args=["TOKEN"]).replace("TOKEN/", "")
    (url,) = re.findall(rf"https?://[^/\s]+({re.escape(path)}[^/\s]+/)", mail.text)
    assert f'href="{mails.absolute(url)}"' in mail.html

    response = client.get(url)

    assert response.status_code == 200
    assert response.context["owner"] == world.azizi
    assert response.context["topic"] == Topic.REMINDERS.label


def test_the_form_behind_the_link_saves_for_the_links_user(world):
    browser = Client(enforce_csrf_checks=True)
    url = link(world.torebayev, "updates")
    page = browser.get(url)

    response = browser.post(
        url,
        {**form_data("reminders", "minutes"), "csrfmiddlewaretoken": page.context["csrf_token"]},
    )

    assert response.status_code == 302
    assert response["Location"] == url
    assert chosen(world.torebayev) == {
        "reminders": True,
        "updates": False,
        "minutes": True,
        "digest": False,
    }


def test_a_link_for_one_user_never_changes_another(world):
    browser = Client(enforce_csrf_checks=True)
    force_login(browser, world.azizi)
    MailSettings.objects.create(user=world.azizi, digest=False)
    url = link(world.torebayev)
    token = browser.get(url).context["csrf_token"]

    # Every box unticked: the browser sends the CSRF token alone.
    response = browser.post(url, {"csrfmiddlewaretoken": token})
    browser.post(off_link(mails.settings_token(world.torebayev, "updates")))

    assert response.status_code == 302
    assert chosen(world.torebayev) == dict.fromkeys(TOPICS, False)
    assert chosen(world.azizi) == {**dict.fromkeys(TOPICS, True), "digest": False}
    # Signed in as Azizi, the page is still his own.
    assert browser.get(SETTINGS_URL).context["owner"] == world.azizi


def _tampered(user: User) -> str:
    token = mails.settings_token(user, "reminders")
    last = "A" if token[-1] != "A" else "B"
    return token[:-1] + last


def _another_users_payload(user: User) -> str:
    """A valid signature around a payload edited to name another user."""
    token = mails.settings_token(user, "reminders")
    _payload, rest = token.split(":", 1)
    edited = signing.b64_encode(f'{{"user":{user.pk + 1},"topic":"reminders"}}'.encode())
    return f"{edited.decode()}:{rest}"


def _signed_for_something_else(user: User) -> str:
    return signing.dumps({"user": user.pk, "topic": "reminders"})  # the default salt


def _expired(user: User) -> str:
    return token_signed_days_ago(user, "reminders", 61)


@pytest.mark.parametrize(
    "make_token", [_tampered, _another_users_payload, _signed_for_something_else, _expired]
)
def test_a_bad_or_expired_link_gives_the_400_page_and_changes_nothing(client, world, make_token):
    MailSettings.objects.create(user=world.torebayev)
    token = make_token(world.torebayev)
    url = reverse("notifications:settings_link", args=[token])

    page = client.get(url)
    assert page.status_code == 400
    assert "This link has expired or is not complete." in page.content.decode()
    assert client.post(url, form_data()).status_code == 400
    assert Client(enforce_csrf_checks=True).post(off_link(token)).status_code == 400

    assert chosen(world.torebayev) == dict.fromkeys(TOPICS, True)
    assert MailSettings.objects.count() == 1


def test_the_link_of_a_disabled_login_gives_the_400_page(client, world):
    url = link(world.torebayev)
    token = mails.settings_token(world.torebayev, "minutes")
    User.objects.filter(pk=world.torebayev.pk).update(is_active=False)

    assert client.get(url).status_code == 400
    assert client.post(url, form_data()).status_code == 400
    assert Client(enforce_csrf_checks=True).post(off_link(token)).status_code == 400
    assert chosen(world.torebayev) is None


def test_a_link_lasts_as_many_days_as_the_setting_says(client, settings, world):
    settings.MAIL_SETTINGS_LINK_DAYS = 60
    token = token_signed_days_ago(world.torebayev, "reminders", 59)
    almost = reverse("notifications:settings_link", args=[token])
    assert client.get(almost).status_code == 200

    settings.MAIL_SETTINGS_LINK_DAYS = 30
    assert client.get(almost).status_code == 400
    assert client.get(link(world.torebayev)).status_code == 200


# --- One click in the mail program -----------------------------------------------------------


def test_the_one_click_post_turns_the_topic_off_without_csrf(world, mail_server):
    reminders.run(today=world.af_pledge.due_on - datetime.timedelta(days=14))
    run_tasks()
    (message,) = mail_server.inbox.to(world.azizi.email)
    url = re.fullmatch(r"<https?://[^/]+(/\S+)>", str(message["List-Unsubscribe"])).group(1)
    mail_program = Client(enforce_csrf_checks=True)

    # A scanner's GET changes nothing.
    assert mail_program.get(url).status_code == 405
    assert chosen(world.azizi) is None

    response = mail_program.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert chosen(world.azizi) == {**dict.fromkeys(TOPICS, True), "reminders": False}
    assert chosen(world.torebayev) is None


def test_the_one_click_answer_is_in_the_owners_language(world):
    User.objects.filter(pk=world.azizi.pk).update(language="fa")
    world.azizi.refresh_from_db()
    token = mails.settings_token(world.azizi, "digest")

    response = Client().post(reverse("notifications:one_click_off", args=[token]))

    with translation.override("fa"):
        expected = gettext("You will no longer get these mails.")
    assert expected != "You will no longer get these mails."
    assert response.content.decode() == expected


# --- The outbox ---------------------------------------------------------------------------------


@pytest.fixture
def secretariat(world, sign_in):
    """The world's staff user, a superuser as the secretariat's logins are, past the second
    factor."""
    User.objects.filter(pk=world.staff.pk).update(is_superuser=True)
    world.staff.refresh_from_db()
    return sign_in(world.staff)


def reminder_mail(world) -> Mail:
    """The 14-day reminder of the Afghan pledge, to the Afghan co-chair."""
    reminders.run(today=world.af_pledge.due_on - datetime.timedelta(days=14))
    return Mail.objects.get(reminder__pledge=world.af_pledge)


def pending_deliveries(mail: Mail):
    return DBTaskResult.objects.filter(
        task_path=DELIVER, args_kwargs__args=[mail.pk], status=TaskResultStatus.READY
    )


def said(response) -> list[tuple[int, int]]:
    """The admin's messages after an action: each one's level and the count it gives."""
    return [
        (message.level, int(re.search(r"\d+", message.message).group()))
        for message in response.context["messages"]
    ]


def test_the_outbox_lists_the_mails_for_staff_only(client, world, sign_in):
    mail = reminder_mail(world)
    url = reverse("admin:notifications_mail_changelist")

    sign_in(world.azizi)
    assert client.get(url).status_code == 302

    User.objects.filter(pk=world.staff.pk).update(is_superuser=True)
    world.staff.refresh_from_db()
    sign_in(world.staff)
    page = client.get(url)
    assert page.status_code == 200
    assert mail.to in page.content.decode()
    assert list(page.context["cl"].result_list) == [mail]
    assert client.get(reverse("admin:notifications_mail_change", args=[mail.pk])).status_code == 200


def test_a_permanent_refusal_fails_the_mail_with_the_servers_reason(world, mail_server):
    mail_server.inbox.refuse = "550 5.1.1 No such mailbox"
    mail = reminder_mail(world)

    run_tasks()

    mail.refresh_from_db()
    assert mail.status == Mail.Status.FAILED
    assert mail.error == "azizi@example.org: 550 5.1.1 No such mailbox"
    assert mail.attempts == 1
    assert mail.sent_at is None
    assert not pending_deliveries(mail).exists()
    assert mail_server.inbox.messages == []


def test_a_temporary_refusal_keeps_the_mail_queued_and_tries_again_later(world, mail_server):
    mail_server.inbox.refuse = "451 4.3.0 Try again later"
    mail = reminder_mail(world)
    started = timezone.now()

    run_tasks()

    mail.refresh_from_db()
    assert mail.status == Mail.Status.QUEUED
    assert mail.error == "azizi@example.org: 451 4.3.0 Try again later"
    assert mail.attempts == 1
    (retry,) = pending_deliveries(mail)
    assert retry.run_after >= started + tasks.RETRY_DELAYS[0]
    # Not before its time.
    assert run_tasks() == 0

    # The time comes and the server takes it.
    mail_server.inbox.refuse = ""
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_tasks()

    mail.refresh_from_db()
    assert (mail.status, mail.error, mail.attempts) == (Mail.Status.SENT, "", 2)
    assert len(mail_server.inbox.to("azizi@example.org")) == 1


def test_a_mail_refused_for_ever_fails_after_the_last_retry(world, mail_server):
    mail_server.inbox.refuse = "451 4.3.0 Try again later"
    mail = reminder_mail(world)

    for _attempt in range(len(tasks.RETRY_DELAYS) + 1):
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
        run_tasks()

    mail.refresh_from_db()
    assert mail.status == Mail.Status.FAILED
    assert mail.attempts == len(tasks.RETRY_DELAYS) + 1
    assert "451 4.3.0 Try again later" in mail.error
    assert not pending_deliveries(mail).exists()


def test_resending_a_failed_mail_from_the_outbox_delivers_it(
    client, world, secretariat, mail_server
):
    mail_server.inbox.refuse = "550 5.1.1 No such mailbox"
    failed = reminder_mail(world)
    run_tasks()
    failed.refresh_from_db()
    assert failed.status == Mail.Status.FAILED
    mail_server.inbox.refuse = ""  # the address is fixed at the other end

    response = client.post(
        reverse("admin:notifications_mail_changelist"),
        {"action": "resend", "_selected_action": [failed.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert said(response) == [(messages.SUCCESS, 1)]
    failed.refresh_from_db()
    assert (failed.status, failed.error, failed.attempts) == (Mail.Status.QUEUED, "", 0)
    assert pending_deliveries(failed).count() == 1

    run_tasks()

    failed.refresh_from_db()
    assert failed.status == Mail.Status.SENT
    (message,) = mail_server.inbox.to("azizi@example.org")
    assert message["Subject"] == failed.subject


def test_resending_leaves_mails_that_did_not_fail(client, world, secretariat, mail_server):
    mail = reminder_mail(world)
    run_tasks()
    mail.refresh_from_db()
    assert mail.status == Mail.Status.SENT

    response = client.post(
        reverse("admin:notifications_mail_changelist"),
        {"action": "resend", "_selected_action": [mail.pk]},
        follow=True,
    )

    # None queued again, one left as it was.
    assert said(response) == [(messages.SUCCESS, 0), (messages.WARNING, 1)]
    assert not pending_deliveries(mail).exists()
    run_tasks()
    assert len(mail_server.inbox.to("azizi@example.org")) == 1


# --- Query budgets ------------------------------------------------------------------------------


def count_queries(client, method: str, url: str, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data)
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(queries)


def grow(world, user: User, size: int) -> None:
    """More of everything around the page: the user's committees, their mails, other users'
    settings."""
    for n in range(size):
        committee = factories.CommitteeFactory()
        factories.MemberFactory(committee=committee, user=user)
        other = factories.UserFactory()
        MailSettings.objects.create(user=other, digest=bool(n % 2))
        factories.MailFactory(recipient=user, to=user.email, language="en", subject=f"Mail {n}")


def measure(client, sign_in, world) -> dict[str, int]:
    sign_in(world.torebayev)
    signed_in = {
        "page": count_queries(client, "get", SETTINGS_URL),
        "save": count_queries(client, "post", SETTINGS_URL, form_data("reminders")),
    }
    client.logout()
    url = link(world.torebayev)
    return {
        **signed_in,
        "link": count_queries(client, "get", url),
        "link save": count_queries(client, "post", url, form_data("minutes")),
        "one click": count_queries(
            client, "post", off_link(mails.settings_token(world.torebayev, "digest"))
        ),
    }


def test_the_mail_settings_pages_run_a_fixed_number_of_queries(client, sign_in, world):
    grow(world, world.torebayev, 1)
    small = measure(client, sign_in, world)

    grow(world, world.torebayev, 40)
    large = measure(client, sign_in, world)

    assert world.torebayev.memberships.count() > 40
    assert Mail.objects.filter(recipient=world.torebayev).count() > 40
    assert large == small
    # Opened from a mail: the user the link names, then their settings, and the committees
    # the page's header could name (several here, so no parties); saving adds one
    # statement (the row, with the history context written in front of it). One click
    # updates or creates the row under a lock (a savepoint around it), so that two at once
    # cannot collide.
    assert (small["link"], small["link save"], small["one click"]) == (3, 3, 5)
