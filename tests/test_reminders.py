"""The daily reminders of pledges (committee/notifications/reminders.py): the milestone a pledge
has reached, who is reminded, that each reminder is decided once, and the mail as it arrives
at a real SMTP server, in its reader's language."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django_tasks_db.models import DBTaskResult

from committee.agreements.models import Pledge
from committee.core import calendars
from committee.members.models import Member
from committee.notifications import reminders, tasks
from committee.notifications.models import Mail, MailSettings, Reminder
from tests import factories
from tests.conftest import run_tasks

Milestone = Reminder.Milestone


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def login_member(world, party, username: str, *, role=Member.Role.MEMBER, **user) -> Member:
    """A member of the world's committee for `party`, with a login and an address."""
    return factories.MemberFactory(
        committee=world.committee,
        party=party,
        role=role,
        full_name=username.title(),
        user=factories.UserFactory(username=username, **user),
    )


def assign(pledge: Pledge, **fields) -> Pledge:
    """Set the pledge's focal points, due date or status in the database."""
    Pledge.objects.filter(pk=pledge.pk).update(**fields)
    pledge.refresh_from_db()
    return pledge


def decided(pledge: Pledge) -> set[tuple[str, datetime.date]]:
    return set(Reminder.objects.filter(pledge=pledge).values_list("milestone", "due_on"))


def mailed(pledge: Pledge, milestone: str | None = None) -> list[str]:
    """The usernames mailed about the pledge's reminders, one entry per mail."""
    mails = Mail.objects.filter(reminder__pledge=pledge)
    if milestone:
        mails = mails.filter(reminder__milestone=milestone)
    return sorted(mails.values_list("recipient__username", flat=True))


def run_all_tasks() -> int:
    ran = run_tasks()
    failed = list(DBTaskResult.objects.failed().values_list("task_path", "exception_class_path"))
    assert not failed, failed
    return ran


# --- Milestones ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (15, []),
        (14, [Milestone.DUE_14]),
        (8, [Milestone.DUE_14]),
        (7, [Milestone.DUE_7]),
        (2, [Milestone.DUE_7]),
        (1, [Milestone.DUE_1]),
        (0, [Milestone.DUE_1]),
        (-1, [Milestone.OVERDUE]),
        (-30, [Milestone.OVERDUE]),
        (-31, [Milestone.OVERDUE, Milestone.ESCALATED]),
    ],
)
def test_the_milestone_reached_so_many_days_before_the_due_date(days_left, expected):
    assert reminders.milestones(days_left) == expected


# --- Who is reminded -----------------------------------------------------------------------


def test_the_responsible_sides_focal_point_is_reminded(world):
    karimi = login_member(world, world.af, "karimi")
    nurlan = login_member(world, world.kz, "nurlan")
    pledge = assign(world.af_pledge, focal_point=karimi, counterpart_focal_point=nurlan)

    reminders.run(today=pledge.due_on - days(10))

    assert decided(pledge) == {(Milestone.DUE_14, pledge.due_on)}
    # Not the counterpart of a one-sided pledge, nor the head of delegation.
    assert mailed(pledge) == ["karimi"]
    mail = Mail.objects.get(reminder__pledge=pledge)
    assert (mail.kind, mail.to, mail.status) == (Mail.Kind.REMINDER, "karimi@example.org", "queued")
    # Its delivery is queued with it.
    assert DBTaskResult.objects.filter(
        task_path="committee.notifications.tasks.deliver", args_kwargs__args=[mail.pk]
    ).exists()


def test_a_joint_pledge_reminds_both_sides(world):
    karimi = login_member(world, world.af, "karimi")
    nurlan = login_member(world, world.kz, "nurlan")
    pledge = assign(world.joint_pledge, focal_point=karimi, counterpart_focal_point=nurlan)

    reminders.run(today=pledge.due_on - days(7))

    assert decided(pledge) == {(Milestone.DUE_7, pledge.due_on)}
    assert mailed(pledge) == ["karimi", "nurlan"]


def _no_focal_point(world):
    return None


def _focal_point_without_login(world):
    return factories.MemberFactory(committee=world.committee, party=world.af, user=None)


def _focal_point_whose_login_is_disabled(world):
    return login_member(world, world.af, "karimi", is_active=False)


def _focal_point_who_left_the_committee(world):
    member = login_member(world, world.af, "karimi")
    Member.objects.filter(pk=member.pk).update(is_active=False)
    member.refresh_from_db()
    return member


@pytest.mark.parametrize(
    "focal_point",
    [
        _no_focal_point,
        _focal_point_without_login,
        _focal_point_whose_login_is_disabled,
        _focal_point_who_left_the_committee,
    ],
)
def test_without_a_focal_point_who_signs_in_the_head_of_delegation_is_reminded(world, focal_point):
    pledge = assign(world.af_pledge, focal_point=focal_point(world))

    reminders.run(today=pledge.due_on - days(1))

    assert decided(pledge) == {(Milestone.DUE_1, pledge.due_on)}
    assert mailed(pledge) == ["azizi"]  # the Afghan co-chair


def test_a_joint_pledge_reaches_the_side_without_a_focal_point_through_its_head(world):
    karimi = login_member(world, world.af, "karimi")
    login_member(world, world.kz, "kz-head", role=Member.Role.CO_CHAIR)
    pledge = assign(world.joint_pledge, focal_point=karimi, counterpart_focal_point=None)

    reminders.run(today=pledge.due_on - days(14))

    # The Kazakh side must act on it too: its head hears, not the Afghan head.
    assert mailed(pledge) == ["karimi", "kz-head"]


def test_escalation_after_30_days_goes_to_the_head_of_delegation(world):
    nurlan = login_member(world, world.kz, "nurlan")
    login_member(world, world.kz, "kz-head", role=Member.Role.CO_CHAIR)
    pledge = assign(world.kz_pledge, focal_point=nurlan)

    reminders.run(today=pledge.due_on + days(30))
    assert decided(pledge) == {(Milestone.OVERDUE, pledge.due_on)}
    assert mailed(pledge) == ["nurlan"]

    reminders.run(today=pledge.due_on + days(31))
    assert decided(pledge) == {
        (Milestone.OVERDUE, pledge.due_on),
        (Milestone.ESCALATED, pledge.due_on),
    }
    assert mailed(pledge, Milestone.ESCALATED) == ["kz-head"]
    escalation = Mail.objects.get(reminder__milestone=Milestone.ESCALATED, reminder__pledge=pledge)
    assert escalation.kind == Mail.Kind.ESCALATION
    with translation.override("en"):
        assert escalation.subject == ngettext(
            "Overdue by %(days)s day: %(pledge)s", "Overdue by %(days)s days: %(pledge)s", 31
        ) % {"days": 31, "pledge": f"{pledge.reference} {pledge.title}"}


def test_a_joint_pledge_is_escalated_to_both_co_chairs(world):
    login_member(world, world.kz, "kz-head", role=Member.Role.CO_CHAIR)
    pledge = assign(world.joint_pledge, due_on=world.today - days(45))

    reminders.run(today=world.today)

    assert mailed(pledge, Milestone.ESCALATED) == ["azizi", "kz-head"]


def test_closed_pledges_and_pledges_without_a_date_get_nothing(world):
    due = world.today + days(7)
    completed = assign(world.af_pledge, due_on=due, status=Pledge.Status.COMPLETED)
    cancelled = assign(world.kz_pledge, due_on=due, status=Pledge.Status.CANCELLED)
    undated = assign(world.joint_pledge, due_on=None)
    still_open = world.pledge(responsible_party=world.af, days=7)

    reminders.run(today=world.today)

    assert decided(still_open) == {(Milestone.DUE_7, due)}
    for pledge in (completed, cancelled, undated):
        assert not Reminder.objects.filter(pledge=pledge).exists(), pledge
        assert not Mail.objects.filter(reminder__pledge=pledge).exists(), pledge


# --- Each reminder once --------------------------------------------------------------------


def test_running_twice_sends_nothing_more(world):
    login_member(world, world.kz, "kz-head", role=Member.Role.CO_CHAIR)
    assign(world.joint_pledge, due_on=world.today - days(40))

    first = reminders.run(today=world.today)
    counts = (Reminder.objects.count(), Mail.objects.count(), DBTaskResult.objects.count())

    # The Afghan pledge's 14-day reminder, the Kazakh one's overdue, the joint one's overdue
    # and escalated.
    assert first == 4
    assert reminders.run(today=world.today) == 0
    assert (Reminder.objects.count(), Mail.objects.count(), DBTaskResult.objects.count()) == counts


def test_a_missed_run_catches_up_with_the_most_urgent_milestone_only(world):
    pledge = world.af_pledge

    # The runs 14 to 6 days before the date were missed: the 7-day reminder, not the 14-day.
    reminders.run(today=pledge.due_on - days(5))
    assert decided(pledge) == {(Milestone.DUE_7, pledge.due_on)}
    assert mailed(pledge) == ["azizi"]

    reminders.run(today=pledge.due_on + days(3))
    assert decided(pledge) == {
        (Milestone.DUE_7, pledge.due_on),
        (Milestone.OVERDUE, pledge.due_on),
    }
    assert mailed(pledge) == ["azizi", "azizi"]


def test_a_moved_due_date_starts_again(world):
    pledge = world.af_pledge
    first_date = pledge.due_on
    reminders.run(today=world.today)
    assert decided(pledge) == {(Milestone.DUE_14, first_date)}

    # Put off by three days: the 14-day reminder of the new date goes out.
    assign(pledge, due_on=first_date + days(3))
    reminders.run(today=world.today)
    assert decided(pledge) == {
        (Milestone.DUE_14, first_date),
        (Milestone.DUE_14, first_date + days(3)),
    }
    assert len(mailed(pledge)) == 2

    # Moved back: that date's reminder went out already.
    assign(pledge, due_on=first_date)
    assert reminders.run(today=world.today + days(1)) == 0
    assert len(mailed(pledge)) == 2


def test_a_user_who_opted_out_gets_no_reminder_but_it_is_recorded(world):
    karimi = login_member(world, world.af, "karimi")
    nurlan = login_member(world, world.kz, "nurlan")
    MailSettings.objects.create(user=karimi.user, reminders=False)
    MailSettings.objects.create(user=nurlan.user, updates=False, minutes=False)
    pledge = assign(world.joint_pledge, focal_point=karimi, counterpart_focal_point=nurlan)

    reminders.run(today=pledge.due_on - days(1))

    assert decided(pledge) == {(Milestone.DUE_1, pledge.due_on)}
    assert mailed(pledge) == ["nurlan"]


def test_a_user_without_an_address_gets_no_mail(world):
    karimi = login_member(world, world.af, "karimi", email="")
    pledge = assign(world.af_pledge, focal_point=karimi)

    reminders.run(today=world.today)

    assert decided(pledge) == {(Milestone.DUE_14, pledge.due_on)}
    assert not Mail.objects.filter(recipient=karimi.user).exists()
    assert not Mail.objects.filter(to="").exists()


# --- The mail as it arrives -----------------------------------------------------------------


def html_root(html: str) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', html)
    assert match, html[:200]
    return match.group(1), match.group(2)


def test_each_reader_gets_the_reminder_in_their_language(world, mail_server):
    karimi = login_member(world, world.af, "karimi", language="fa")
    nurlan = login_member(world, world.kz, "nurlan", language="ru")
    pledge = assign(world.joint_pledge, focal_point=karimi, counterpart_focal_point=nurlan)

    reminders.run(today=pledge.due_on - days(7))
    run_all_tasks()

    assert set(Mail.objects.values_list("status", flat=True)) == {Mail.Status.SENT}
    html = {}
    for address, language, direction in [
        ("karimi@example.org", "fa", "rtl"),
        ("nurlan@example.org", "ru", "ltr"),
    ]:
        (message,) = mail_server.inbox.to(address)
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(("plain",)).get_content()
        html[language] = message.get_body(("html",)).get_content()
        assert html_root(html[language]) == (language, direction)
        assert message["Content-Language"] == language
        with translation.override(language):
            date = calendars.long_date(pledge.due_on)
            subject = ngettext(
                "Due in %(days)s day: %(pledge)s", "Due in %(days)s days: %(pledge)s", 7
            ) % {"days": 7, "pledge": f"{pledge.reference} {pledge.title}"}
            action = gettext("Open the pledge and post an update")
        assert message["Subject"] == subject
        assert date in text
        assert date in html[language]
        assert action in html[language]
        assert f"/pledges/{pledge.pk}/" in text
    # The Dari reader's date is in the Solar Hijri calendar too; the Russian reader's is not.
    hijri = calendars.solar_hijri_date(pledge.due_on, "fa")
    assert hijri
    assert hijri in html["fa"]
    assert calendars.SOLAR_HIJRI_ERA["fa"] not in html["ru"]


def test_the_mail_carries_a_one_click_unsubscribe_link(world, mail_server):
    reminders.run(today=world.af_pledge.due_on - days(14))
    run_all_tasks()

    (message,) = mail_server.inbox.to("azizi@example.org")
    # As the mail program reads the header: one link, neither folded nor encoded.
    (header,) = [value for name, value in message.raw_items() if name == "List-Unsubscribe"]
    assert re.fullmatch(r" ?<https?://[^\s<>,]+/off>", header), header
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_html_part_escapes_what_was_typed_and_the_text_part_keeps_it(world, mail_server):
    pledge = assign(world.af_pledge, title="Roads & <bridges>")
    reminders.run(today=pledge.due_on - days(14))
    run_all_tasks()

    (message,) = mail_server.inbox.to("azizi@example.org")
    assert "Roads & <bridges>" in message["Subject"]
    assert "Roads & <bridges>" in message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Roads &amp; &lt;bridges&gt;" in html
    assert "<bridges>" not in html


# --- The command and the scheduled task ----------------------------------------------------


def test_the_command_decides_what_the_job_decides(world, mail_server):
    karimi = login_member(world, world.af, "karimi")
    login_member(world, world.kz, "kz-head", role=Member.Role.CO_CHAIR)
    assign(world.af_pledge, focal_point=karimi)
    assign(world.joint_pledge, due_on=world.today - days(40))
    day = world.today + days(2)

    def outcome():
        return (
            set(Reminder.objects.values_list("pledge_id", "milestone", "due_on")),
            sorted(Mail.objects.values_list("recipient__username", "kind", "reminder__pledge_id")),
        )

    out = io.StringIO()
    call_command("send_reminders", "--today", day.isoformat(), stdout=out)
    by_command = outcome()
    assert "4 reminder(s) decided" in out.getvalue()

    Mail.objects.all().delete()
    Reminder.objects.all().delete()
    assert reminders.run(today=day) == 4
    assert outcome() == by_command
    assert by_command[0]  # it decided something to compare

    # The worker's scheduled task, given the same day, finds everything decided.
    tasks.send_reminders.enqueue(day.isoformat())
    run_tasks()
    result = DBTaskResult.objects.get(task_path="committee.notifications.tasks.send_reminders")
    assert result.return_value == 0
    assert outcome() == by_command


def test_a_head_who_is_the_pledges_own_focal_point_is_not_escalated_to(world):
    """He had the overdue reminder as the one who acts; escalation is for those above."""
    azizi = Member.objects.get(user=world.azizi)
    pledge = assign(world.af_pledge, focal_point=azizi, due_on=world.today - days(45))

    reminders.run(today=world.today)

    assert mailed(pledge, Milestone.OVERDUE) == ["azizi"]
    assert (Milestone.ESCALATED, pledge.due_on) in decided(pledge)
    assert mailed(pledge, Milestone.ESCALATED) == []
