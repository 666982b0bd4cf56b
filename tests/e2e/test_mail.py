"""Mail, as the issue checks it: the reminders fall due (the demo clock moved on), arrive in
Dari for the Afghan focal point and in Russian for the Kazakh one; the secretariat circulates
the minutes and the delegations hear of it; a reader follows the link at the foot of a mail,
without signing in, and turns a kind of mail off."""

import datetime
import re

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from committee.meetings.models import Meeting
from committee.members.models import User
from committee.notifications.models import MailSettings, Reminder
from tests.conftest import run_tasks
from tests.e2e.conftest import open_page, screenshot

LINK = re.compile(r"https?://\S+/accounts/mail/link/[^/\s]+/")


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def test_reminders_and_notices_arrive_in_each_readers_language(
    page, secretariat, mail_server, live_server, settings
):
    settings.PORTAL_URL = live_server.url  # the links in the mails lead to this server
    # As the demo has them (the journeys' fixture reads the pages in English).
    User.objects.filter(username="azizi").update(language="fa")
    User.objects.filter(username="torebayev").update(language="ru")
    # Three weeks on, more of the demo's pledges are due or overdue.
    later = timezone.localdate() + datetime.timedelta(days=21)
    call_command("send_reminders", today=later, verbosity=0)
    run_tasks()
    assert Reminder.objects.exists()
    azizi = mail_server.inbox.to("azizi@demo.example.org")
    torebayev = mail_server.inbox.to("torebayev@demo.example.org")
    assert azizi, "no reminder reached the Afghan focal point"
    assert torebayev, "no reminder reached the Kazakh focal point"
    for message in azizi:
        assert message["Content-Language"] == "fa"
        assert 'lang="fa" dir="rtl"' in html_of(message)
        assert "هـ ش" in html_of(message)  # the Solar Hijri date beside the Gregorian one
    for message in torebayev:
        assert message["Content-Language"] == "ru"
        assert 'lang="ru" dir="ltr"' in html_of(message)

    meeting = Meeting.objects.get(number=1)
    open_page(secretariat, meeting.get_absolute_url(), str(meeting))
    secretariat.get_by_role("link", name="Circulate to the delegations…").click()
    secretariat.get_by_role("button", name="Circulate to the delegations").click()
    expect(secretariat.locator(".alert-success")).to_contain_text("Version 1")
    before = len(mail_server.inbox.messages)
    run_tasks()
    notices = mail_server.inbox.messages[before:]
    readers = {message["To"] for message in notices}
    assert {"azizi@demo.example.org", "torebayev@demo.example.org"} <= readers
    dari = next(m for m in notices if m["To"] == "azizi@demo.example.org")
    assert f"/meetings/{meeting.pk}/minutes/comments/" in html_of(dari)

    # The Afghan co-chair opens the link at the foot of the mail on a device where he is not
    # signed in, and stops the reminders.
    link = LINK.search(dari.get_body(("plain",)).get_content()).group(0)
    page.context.clear_cookies()
    page.goto(link)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    screenshot(page, "mail-settings-from-link")
    page.locator("input[name=reminders]").uncheck()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    chosen = MailSettings.objects.get(user__username="azizi")
    assert not chosen.reminders
    assert chosen.minutes
