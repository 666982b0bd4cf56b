"""The weekly digest (committee/notifications/digest.py): for every member who has not turned it
off, what changed on their committees' pledges in the last seven days, what is overdue and due
soon, the next session, and once a week."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django_tasks_db.models import DBTaskResult

from committee.agreements.models import Pledge, PledgeUpdate
from committee.members.models import User
from committee.notifications import digest
from committee.notifications.models import Mail, MailSettings
from tests import factories

DELIVER = "committee.notifications.tasks.deliver"


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def turn_off(*users: User) -> None:
    for user in users:
        MailSettings.objects.update_or_create(user=user, defaults={"digest": False})


def digest_of(user: User) -> str:
    return Mail.objects.get(recipient=user, kind=Mail.Kind.DIGEST).text


def sections(text: str, language: str = "en") -> dict[str, str]:
    """The digest's sections by a short name, each the lines under its heading."""
    with translation.override(language):
        names = {
            gettext("Updated in the last seven days"): "updated",
            gettext("Overdue"): "overdue",
            ngettext(
                "Due in the next %(days)s day",
                "Due in the next %(days)s days",
                digest.DUE_SOON_DAYS,
            )
            % {"days": digest.DUE_SOON_DAYS}: "due soon",
            gettext("Next session"): "next session",
        }
    found: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        if line in names:
            current = names[line]
            found[current] = ""
        elif current and line.startswith(("- ", "  ")):
            found[current] += line + "\n"
        elif line:
            current = None  # the action link, the foot
    assert sorted(found) == sorted(names.values()), text
    return found


def test_every_member_gets_the_digest_unless_they_turned_it_off(world):
    turn_off(world.torebayev)
    MailSettings.objects.create(user=world.observer, minutes=False)  # the digest left on
    # Azizi and the outsider have no settings: the digest is on by default. The secretariat
    # is on no committee: its members' digests are theirs.

    assert digest.run(today=world.today) == 3

    mails = Mail.objects.filter(kind=Mail.Kind.DIGEST)
    assert sorted(mail.recipient.username for mail in mails) == ["azizi", "observer", "outsider"]
    for mail in mails:
        assert DBTaskResult.objects.filter(task_path=DELIVER, args_kwargs__args=[mail.pk]).exists()


@pytest.fixture
def week(world):
    """A week of the world's committee: what changed, what is late and soon, what comes next."""
    factories.PledgeUpdateFactory(
        pledge=world.joint_pledge, author=world.torebayev, author_party=world.kz
    )
    dormant = world.pledge(responsible_party=world.kz, title="Dormant rail study", days=100)
    old = factories.PledgeUpdateFactory(pledge=dormant, author=world.torebayev)
    PledgeUpdate.objects.filter(pk=old.pk).update(created_at=timezone.now() - days(8))
    world.pledge(responsible_party=world.af, title="Later pledge", days=20)
    world.pledge(
        responsible_party=world.af,
        title="Finished before its date",
        days=-3,
        status=Pledge.Status.COMPLETED,
    )
    now = timezone.now()
    next_session = factories.MeetingFactory(
        committee=world.committee, number=7, starts_at=now + days(20), city="Almaty"
    )
    factories.MeetingFactory(committee=world.committee, number=8, starts_at=now + days(60))
    factories.MeetingFactory(committee=world.committee, number=6, starts_at=now - days(20))
    factories.MeetingFactory(
        committee=world.committee,
        number=5,
        starts_at=now + days(10),
        status="postponed",
    )
    factories.MeetingFactory(committee=world.other_committee, number=1, starts_at=now + days(5))
    return next_session


def test_the_sections_list_the_week_the_late_the_soon_and_the_next_session(world, week):
    User.objects.filter(pk=world.azizi.pk).update(language="fa")
    digest.run(today=world.today)

    found = sections(digest_of(world.azizi), "fa")
    assert "Annual trade to 3 billion" in found["updated"]  # updated by the Kazakh side today
    assert "Dormant rail study" not in found["updated"]  # eight days ago
    assert "Space at Khorgos port" in found["overdue"]
    assert "Finished before its date" not in found["overdue"]
    assert "Afghan exports of dried fruit" in found["due soon"]
    assert "Later pledge" not in found["due soon"]
    with translation.override("fa"):
        session_name = str(week)
    assert found["next session"].startswith(f"- {session_name}\n")
    assert "Almaty" in found["next session"]
    assert found["next session"].count("- ") == 1  # one session only
    html = Mail.objects.get(recipient=world.azizi).html
    assert '<html lang="fa" dir="rtl">' in html


def test_a_long_section_lists_so_many_lines_then_points_to_the_portal(world):
    for n in range(digest.LIMIT + 1):
        world.pledge(responsible_party=world.af, title=f"Late pledge {n:02d}", days=-40 - n)
    turn_off(world.torebayev, world.observer, world.outsider)

    digest.run(today=world.today)

    overdue = sections(digest_of(world.azizi))["overdue"]
    items = [line for line in overdue.splitlines() if line.startswith("- ")]
    assert len(items) == digest.LIMIT + 1
    assert items[-1] == f"- {gettext('… and more on the portal.')}"
    # The longest overdue first.
    assert "Late pledge 15" in items[0]


def test_a_second_run_in_the_same_week_queues_nothing(world):
    turn_off(world.observer, world.outsider)
    monday = world.today - days(world.today.weekday())

    assert digest.run(today=monday) == 2
    counts = (Mail.objects.count(), DBTaskResult.objects.count())
    assert digest.run(today=monday + days(2)) == 0
    assert digest.run(today=monday + days(6)) == 0
    assert (Mail.objects.count(), DBTaskResult.objects.count()) == counts

    # The next week has its own.
    assert digest.run(today=monday + days(7)) == 2


def test_a_reader_sees_only_the_committees_they_belong_to(world, week):
    Pledge.objects.filter(pk=world.foreign_pledge.pk).update(due_on=world.today - days(3))
    factories.PledgeUpdateFactory(pledge=world.foreign_pledge, author=world.outsider)
    turn_off(world.torebayev, world.observer)

    assert digest.run(today=world.today) == 2

    ours = digest_of(world.azizi)
    assert "Space at Khorgos port" in ours
    assert "Another committee's pledge" not in ours

    theirs = sections(digest_of(world.outsider))
    assert "Another committee's pledge" in theirs["updated"]
    assert "Another committee's pledge" in theirs["overdue"]
    for title in (
        "Afghan exports of dried fruit",
        "Space at Khorgos port",
        "Annual trade to 3 billion",
        "Almaty",
    ):
        assert title not in digest_of(world.outsider), title
    assert str(world.other_committee) in theirs["next session"]
