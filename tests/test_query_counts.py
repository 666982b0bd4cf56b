"""Every page runs the same number of queries with a row or two in each of its lists and with
hundreds.

The same agreement, pledge and meeting are opened both times, so what grows is what those
pages list: the agreement's pledges, the pledge's updates and changes, the meeting's agenda,
attendance, pledges arising and reviews. Each row carries other related rows than its
neighbour (a party or joint, organisations, focal points, sector, the author of an update and
their delegation): a related row that is neither selected nor prefetched then costs a query
per row, and the counts differ.
"""

import datetime
import itertools

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committee.agreements.models import Pledge, PledgeReview, PledgeUpdate
from committee.meetings.models import AgendaItem, Attendance, Meeting, Minutes, MinutesReopening
from committee.members.models import Member
from tests import factories

_batches = itertools.count(1)  # names, slugs and session numbers unique across growths


def _cycle(rows, n: int):
    return rows[n % len(rows)]


def grow(world, meeting: Meeting, size: int) -> None:
    """Add `size` pledges to the world's agreement, size/5 pledges arising from new items on
    `meeting`'s agenda, and in proportion: members (who attend, present items, sign the
    agreement and are focal points), updates, reviews, changes of the joint pledge, sessions
    and agreements."""
    batch = next(_batches)
    today = timezone.localdate()
    parties = [world.af, world.kz, None]  # None: a joint pledge, a secretariat update
    organizations = [
        factories.OrganizationFactory(party=world.af),
        factories.OrganizationFactory(party=world.kz),
        factories.OrganizationFactory(party=world.af),
        None,
    ]
    sectors = [factories.SectorFactory(slug=f"grown-{batch}-{n}") for n in range(3)]
    members = Member.objects.bulk_create(
        Member(
            committee=world.committee,
            party=_cycle([world.af, world.kz], n),
            organization=_cycle(organizations, n),
            full_name=f"Delegate {batch}.{n}",
            position=_cycle(["Adviser", ""], n),
            role=Member.Role.CO_CHAIR if n % 20 == 0 else Member.Role.MEMBER,
        )
        for n in range(max(6, size // 5))
    )
    focal_points = [*members[:6], None]
    authors = [(world.azizi, world.af), (world.torebayev, world.kz), (world.staff, None)]
    statuses = Pledge.Status.values

    def pledge(n: int, **origin) -> Pledge:
        return Pledge(
            committee=world.committee,
            title_en=f"Grown pledge {batch}.{n}",
            responsible_party=_cycle(parties, n),
            lead_organization=_cycle(organizations, n),
            counterpart_organization=_cycle(organizations, n + 1),
            focal_point=_cycle(focal_points, n),
            counterpart_focal_point=_cycle(focal_points, n + 1),
            sector=_cycle(sectors, n),
            # Overdue, due soon and later, whatever the size: the dashboard lists each.
            due_on=today + datetime.timedelta(days=(n * 7) % 60 - 20),
            status=_cycle(statuses, n),
            progress=(n * 13) % 101,
            indicator="Tonnes" if n % 10 == 0 else "",
            target_value=10 if n % 10 == 0 else None,
            current_value=3 if n % 10 == 0 else None,
            **origin,
        )

    first_number = world.agreement.pledges.aggregate(last=Max("number"))["last"] + 1
    of_agreement = Pledge.objects.bulk_create(
        pledge(n, agreement=world.agreement, number=first_number + n) for n in range(size)
    )
    world.agreement.signatories.add(*members[: max(2, size // 50)])

    first_position = (meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0) + 1
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=first_position + n,
            title_en=f"Item {batch}.{n}",
            presenter=_cycle(focal_points, n),
            sector=_cycle([*sectors, None], n),
            discussion_en="Discussed.",
            decision_en="Agreed.",
            outcome=AgendaItem.Outcome.AGREED,
        )
        for n in range(max(2, size // 10))
    )
    arising = Pledge.objects.bulk_create(
        pledge(n, agenda_item=_cycle(items, n), number=n // len(items) + 1)
        for n in range(max(2, size // 5))
    )
    review_item = AgendaItem.objects.create(
        meeting=meeting,
        position=first_position + len(items),
        kind=AgendaItem.Kind.IMPLEMENTATION_REVIEW,
        title_en=f"Review of implementation {batch}",
    )
    reviewed = [*of_agreement[::10], *arising[::10]]
    PledgeReview.objects.bulk_create(
        PledgeReview(
            agenda_item=review_item,
            pledge=p,
            position=n + 1,
            status=p.status,
            progress=p.progress,
            due_on=p.due_on,
            latest_update_on=today,
            latest_update_note="Reported." if n % 2 else "",
        )
        for n, p in enumerate(reviewed)
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=m, status=_cycle(Attendance.Status.values, n))
        for n, m in enumerate(members)
    )
    MinutesReopening.objects.bulk_create(
        MinutesReopening(
            minutes=meeting.minutes,
            reopened_by=_cycle(authors, n)[0],
            reason=f"Correction {batch}.{n}",
        )
        for n in range(max(1, size // 100))
    )

    PledgeUpdate.objects.bulk_create(
        PledgeUpdate(
            pledge=p,
            author=_cycle(authors, n)[0],
            author_party=_cycle(authors, n)[1],
            status=p.status,
            progress=p.progress,
            note=f"Update {batch}.{n}",
        )
        for n, p in enumerate([*of_agreement, *arising])
    )
    joint = world.joint_pledge
    PledgeUpdate.objects.bulk_create(
        PledgeUpdate(
            pledge=joint,
            author=_cycle(authors, n)[0],
            author_party=_cycle(authors, n)[1],
            status=Pledge.Status.IN_PROGRESS,
            progress=n % 101,
            indicator_value=n if n % 2 else None,
            period_end=today - datetime.timedelta(days=365 * (n % 3)) if n % 2 else None,
            evidence=f"evidence/grown-{batch}-{n}.pdf" if n % 3 == 0 else "",
            evidence_name=f"Report {batch}.{n}.pdf" if n % 3 == 0 else "",
        )
        for n in range(max(3, size // 10))
    )
    # Changes of the joint pledge, each naming other related rows, for its history.
    for n in range(max(2, size // 50)):
        Pledge.objects.filter(pk=joint.pk).update(
            progress=n % 101,
            lead_organization=_cycle(organizations, n),
            focal_point=_cycle(focal_points, n),
            sector=_cycle(sectors, n),
        )

    start = timezone.now()
    for n in range(max(2, size // 50)):
        # Past and coming sessions, some hosted, some with minutes.
        starts_at = start + datetime.timedelta(days=(n * 11) % 90 - 45)
        session = Meeting.objects.create(
            committee=world.committee,
            number=1000 * batch + n,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=6),
            time_zone="Asia/Kabul",
            city="Kabul",
            host_party=_cycle(parties, n),
        )
        if n % 2:
            factories.MinutesFactory(meeting=session)
        agreement = factories.AgreementFactory(
            committee=world.committee, reference=f"AF-KZ/{batch}/{n}"
        )
        agreement.parties.set([world.af, world.kz][: 1 + n % 2])


PAGES = [
    "/",
    "/pledges/",
    "/pledges/?q=pledge&ordering=-due",
    "/pledges/export.csv",
    "/pledges/export.xlsx",
    "/pledges/{pledge}/",
    "/agreements/",
    "/agreements/{agreement}/",
    "/meetings/",
    "/meetings/{meeting}/",
    "/members/",
    "/meetings/{meeting}/minutes/",
    "/reports/implementation/",
    "/reports/implementation/?group=sector",
    "/meetings/calendar/",
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        # A streamed export reads the database as it is sent.
        response.getvalue()
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("persona", ["azizi", "staff"])
def test_pages_run_a_fixed_number_of_queries(client, world, sign_in, persona):
    sign_in(getattr(world, persona))
    meeting = factories.MeetingFactory(committee=world.committee, host_party=world.kz)
    factories.MinutesFactory(meeting=meeting, status=Minutes.Status.CIRCULATED)
    ids = {"pledge": world.joint_pledge.pk, "agreement": world.agreement.pk, "meeting": meeting.pk}
    urls = [url.format(**ids) for url in PAGES]

    # First a row or two in each list: below every page's cap (the dashboard's 10 latest
    # updates and 25 pledges a list, 50 pledges a page, 50 changes), or a missing join there
    # costs as many queries in both measurements.
    grow(world, meeting, 1)
    small = {url: count_queries(client, url) for url in urls}

    grow(world, meeting, 500)
    large = {url: count_queries(client, url) for url in urls}

    # The very pages measured list many times more rows than the first time.
    assert world.agreement.pledges.count() > 500
    assert world.joint_pledge.updates.count() > 50
    assert meeting.agenda_items.count() > 50
    assert meeting.attendances.count() > 100
    assert Pledge.objects.filter(agenda_item__meeting=meeting).count() > 100
    assert PledgeReview.objects.filter(agenda_item__meeting=meeting).count() > 50
    assert large == small
    # Issue 15's cap: 12 queries a page. The meeting page of circulated minutes needs 13:
    # its agenda, pledges arising, reviews, attendance, the committee's parties, re-openings,
    # approvals and the latest circulation, beside the session, the user, their memberships
    # and the header's committee and parties.
    caps = {f"/meetings/{meeting.pk}/": 13}
    assert {url: n for url, n in large.items() if n > caps.get(url, 12)} == {}
