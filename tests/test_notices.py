"""Notices (committee/notifications/notices.py): the minutes circulated, a comment answered,
the minutes approved or re-opened, and an update to the pledge's other side. Each is queued as
a task in the transaction of the change, composed by the worker in each reader's language, and
delivered to a real SMTP server."""

import datetime
import uuid

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from committee.agreements import services as pledge_services
from committee.agreements.models import Pledge
from committee.meetings import services
from committee.meetings.models import Meeting, MinutesComment
from committee.members.models import Member, User
from committee.notifications import tasks
from committee.notifications.models import Mail
from tests import factories
from tests.conftest import run_tasks

NOTIFY = "committee.notifications.tasks.notify"


@pytest.fixture
def session(world):
    meeting = factories.MeetingFactory(committee=world.committee, number=1)
    factories.AgendaItemFactory(meeting=meeting, position=1, title="Trade", decision="Agreed.")
    factories.AttendanceFactory(meeting=meeting, member=world.azizi.memberships.get())
    factories.MinutesFactory(meeting=meeting)
    return meeting


@pytest.fixture
def languages(world):
    """The Afghan co-chair reads Dari, the Kazakh member Russian, the observer Kazakh."""
    chosen = {world.azizi: "fa", world.torebayev: "ru", world.observer: "kk"}
    for user, language in chosen.items():
        User.objects.filter(pk=user.pk).update(language=language)
    return {user.email: language for user, language in chosen.items()}


def run_all_tasks() -> int:
    ran = run_tasks()
    failed = list(DBTaskResult.objects.failed().values_list("task_path", "exception_class_path"))
    assert not failed, failed
    return ran


def told(kind: str) -> list[str]:
    """The usernames mailed this kind of notice, one entry per mail."""
    return sorted(Mail.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def login_member(world, party, username: str) -> Member:
    return factories.MemberFactory(
        committee=world.committee,
        party=party,
        full_name=username.title(),
        user=factories.UserFactory(username=username),
    )


def post_update(pledge: Pledge, author: User, note: str = "Customs data are exchanged daily."):
    return pledge_services.pledge_update_post(
        pledge=pledge,
        author=author,
        status=Pledge.Status.IN_PROGRESS,
        progress=40,
        submission_key=uuid.uuid4(),
        note=note,
    )


# --- Minutes circulated ---------------------------------------------------------------------


def test_circulating_tells_each_member_in_their_language(world, session, languages, mail_server):
    circulation = services.minutes_circulate(minutes=session.minutes, user=world.staff)

    # The web request queues one task; the worker composes the mails.
    (task,) = DBTaskResult.objects.filter(task_path=NOTIFY)
    assert task.args_kwargs["args"] == ["minutes-circulated", circulation.pk]
    assert not Mail.objects.exists()

    run_all_tasks()

    # The officials who may comment; not the observer (who hears of the approval), the
    # secretariat, nor another committee's members.
    assert told(Mail.Kind.MINUTES_CIRCULATED) == ["azizi", "torebayev"]
    assert len(mail_server.inbox.messages) == 2
    assert mail_server.inbox.to(world.observer.email) == []
    comments = settings.PORTAL_URL + reverse("meetings:minutes_comments", args=[session.pk])
    for address, language in languages.items():
        if address == world.observer.email:
            continue
        (message,) = mail_server.inbox.to(address)
        with translation.override(language):
            subject = gettext(
                "Minutes of %(meeting)s circulated for comment (version %(number)s)"
            ) % {"meeting": session, "number": 1}
            direction = "rtl" if translation.get_language_bidi() else "ltr"
        assert message["Subject"] == subject
        assert f'<html lang="{language}" dir="{direction}">' in html_of(message)
        assert comments in text_of(message)
        assert f'href="{comments}"' in html_of(message)
    assert mail_server.inbox.to(world.staff.email) == []
    assert mail_server.inbox.to(world.outsider.email) == []


def test_a_notice_run_twice_tells_no_one_twice(world, session, mail_server):
    circulation = services.minutes_circulate(minutes=session.minutes, user=world.staff)
    run_all_tasks()
    assert len(mail_server.inbox.messages) == 2

    # The worker died after composing, or the task was queued twice: it runs again.
    tasks.notify.enqueue("minutes-circulated", circulation.pk)
    run_all_tasks()

    assert len(mail_server.inbox.messages) == 2
    assert told(Mail.Kind.MINUTES_CIRCULATED) == ["azizi", "torebayev"]
    again = DBTaskResult.objects.filter(task_path=NOTIFY).order_by("enqueued_at").last()
    assert again.return_value == 0


def circulate_then_fail(meeting, user) -> None:
    """A request that circulates the minutes, then fails before its transaction commits."""
    with transaction.atomic():
        services.minutes_circulate(minutes=meeting.minutes, user=user)
        raise RuntimeError("the request failed after circulating")


def test_a_circulation_that_rolls_back_tells_no_one(world, session, mail_server):
    with pytest.raises(RuntimeError, match="failed after circulating"):
        circulate_then_fail(session, world.staff)

    assert not DBTaskResult.objects.exists()
    assert run_all_tasks() == 0
    assert not Mail.objects.exists()
    assert mail_server.inbox.messages == []


# --- A comment answered ---------------------------------------------------------------------


def test_an_answer_is_told_to_the_comments_author_only(world, session, languages, mail_server):
    services.minutes_circulate(minutes=session.minutes, user=world.staff)
    session.minutes.refresh_from_db()
    comment = services.minutes_comment(
        minutes=session.minutes, user=world.torebayev, text="Name the ministries in item 1."
    )
    services.comment_answer(
        comment=comment,
        user=world.staff,
        answer=MinutesComment.Answer.DECLINED,
        reason="The ministries are named in the annex.",
    )
    run_all_tasks()

    assert told(Mail.Kind.COMMENT_ANSWERED) == ["torebayev"]
    with translation.override("ru"):
        subject = gettext("Your comment on the minutes of %(meeting)s was answered") % {
            "meeting": session
        }
        reason = gettext("The secretariat's reason: %(reason)s") % {
            "reason": "The ministries are named in the annex."
        }
    (message,) = [m for m in mail_server.inbox.to(world.torebayev.email) if m["Subject"] == subject]
    assert reason in text_of(message)
    assert "Name the ministries in item 1." in text_of(message)
    # The others heard of the circulation (the observer not even that) and nothing more.
    assert len(mail_server.inbox.to(world.azizi.email)) == 1
    assert mail_server.inbox.to(world.observer.email) == []


def test_a_revised_answer_is_told_again_each_revision_once(world, session, mail_server):
    services.minutes_circulate(minutes=session.minutes, user=world.staff)
    session.minutes.refresh_from_db()
    comment = services.minutes_comment(
        minutes=session.minutes, user=world.torebayev, text="Name the ministries in item 1."
    )
    services.comment_answer(comment=comment, user=world.staff, answer="accepted")
    run_all_tasks()
    services.comment_answer(
        comment=comment, user=world.staff, answer="declined", reason="They are in the annex."
    )
    run_all_tasks()
    tasks.notify.enqueue("comment-answered", comment.pk)
    run_all_tasks()

    assert told(Mail.Kind.COMMENT_ANSWERED) == ["torebayev", "torebayev"]
    assert len(mail_server.inbox.to(world.torebayev.email)) == 3  # with the circulation's


# --- Minutes approved and re-opened ---------------------------------------------------------


def test_approved_minutes_are_told_to_the_members(world, session, languages, mail_server):
    minutes = factories.approve_minutes(session.minutes, world.staff)
    assert minutes.is_approved
    run_all_tasks()

    # The Kazakh head of delegation, named for the approval, hears too.
    assert told(Mail.Kind.MINUTES_APPROVED) == ["azizi", "head-kz", "observer", "torebayev"]
    minutes_page = settings.PORTAL_URL + reverse("meetings:minutes", args=[session.pk])
    for address, language in languages.items():
        with translation.override(language):
            subject = gettext("The minutes of %(meeting)s are approved") % {"meeting": session}
        (message,) = [m for m in mail_server.inbox.to(address) if m["Subject"] == subject]
        assert minutes_page in text_of(message)


def test_reopened_minutes_are_told_to_the_members_with_the_reason(
    world, session, languages, mail_server
):
    minutes = factories.approve_minutes(session.minutes, world.staff)
    run_all_tasks()
    services.minutes_reopen(minutes=minutes, user=world.staff, reason="The venue was misspelt.")
    run_all_tasks()

    assert told(Mail.Kind.MINUTES_REOPENED) == ["azizi", "head-kz", "observer", "torebayev"]
    for address, language in languages.items():
        with translation.override(language):
            subject = gettext("The minutes of %(meeting)s are re-opened") % {"meeting": session}
            reason = gettext("Reason: %(reason)s") % {"reason": "The venue was misspelt."}
        (message,) = [m for m in mail_server.inbox.to(address) if m["Subject"] == subject]
        assert reason in text_of(message)
        assert reason in html_of(message)


def test_minutes_approved_again_after_reopening_are_told_again(world, session, mail_server):
    minutes = factories.approve_minutes(session.minutes, world.staff)
    run_all_tasks()
    services.minutes_reopen(minutes=minutes, user=world.staff, reason="The venue was misspelt.")
    factories.approve_minutes(minutes, world.staff)
    run_all_tasks()

    members = ["azizi", "head-kz", "observer", "torebayev"]
    assert told(Mail.Kind.MINUTES_APPROVED) == sorted(members * 2)


# --- An update to the other side ------------------------------------------------------------


@pytest.mark.parametrize(
    ("author", "hears"), [("azizi", "nurlan"), ("torebayev", "karimi")], ids=["af", "kz"]
)
def test_an_update_on_a_joint_pledge_is_told_to_the_other_sides_focal_point(
    world, mail_server, author, hears
):
    karimi = login_member(world, world.af, "karimi")
    nurlan = login_member(world, world.kz, "nurlan")
    Pledge.objects.filter(pk=world.joint_pledge.pk).update(
        focal_point=karimi, counterpart_focal_point=nurlan
    )
    update = post_update(world.joint_pledge, getattr(world, author))
    run_all_tasks()

    assert told(Mail.Kind.PLEDGE_UPDATE) == [hears]
    (message,) = mail_server.inbox.messages
    assert message["To"] == f"{hears}@example.org"
    assert "Customs data are exchanged daily." in text_of(message)
    assert settings.PORTAL_URL + update.get_absolute_url() in text_of(message)


def test_an_update_on_a_pledge_another_side_depends_on_reaches_that_side(world, mail_server):
    karimi = login_member(world, world.af, "karimi")
    nurlan = login_member(world, world.kz, "nurlan")
    Pledge.objects.filter(pk=world.af_pledge.pk).update(
        focal_point=karimi, counterpart_focal_point=nurlan
    )
    post_update(world.af_pledge, world.azizi)
    run_all_tasks()

    assert told(Mail.Kind.PLEDGE_UPDATE) == ["nurlan"]


@pytest.mark.parametrize("author", ["azizi", "staff"])
def test_an_update_on_a_one_sided_pledge_without_a_counterpart_tells_nobody(
    world, mail_server, author
):
    karimi = login_member(world, world.af, "karimi")
    login_member(world, world.kz, "nurlan")  # on the committee, but not on this pledge
    Pledge.objects.filter(pk=world.af_pledge.pk).update(focal_point=karimi)
    # Written by the Afghan side, or by the secretariat for it.
    post_update(world.af_pledge, getattr(world, author))

    assert run_all_tasks() == 1
    assert DBTaskResult.objects.get(task_path=NOTIFY).return_value == 0
    assert not Mail.objects.exists()
    assert mail_server.inbox.messages == []


def test_the_comment_deadline_is_given_in_the_sessions_time_zone_and_named(world, session):
    """As the meeting page gives it, not in the worker's UTC."""
    Meeting.objects.filter(pk=session.pk).update(time_zone="Asia/Kabul")
    day = timezone.now().date() + datetime.timedelta(days=10)
    deadline = datetime.datetime.combine(day, datetime.time(19, 29), datetime.UTC)  # 23:59 Kabul
    services.minutes_circulate(minutes=session.minutes, user=world.staff, comment_deadline=deadline)
    run_all_tasks()

    mail = Mail.objects.get(kind=Mail.Kind.MINUTES_CIRCULATED, recipient=world.azizi)
    assert "23:59 (Asia/Kabul)" in mail.text
    assert "19:29" not in mail.text
