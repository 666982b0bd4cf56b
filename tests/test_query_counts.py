"""Every page runs the same number of queries with 5 pledges and with 500."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committee.agreements.models import Pledge, PledgeUpdate
from committee.meetings.models import AgendaItem, Attendance
from committee.members.models import Member
from tests import factories


def grow(world, pledges: int):
    """Add an agreement with pledges (each with an update), members, agenda, attendance."""
    agreement = factories.AgreementFactory(committee=world.committee)
    today = timezone.localdate()
    organization = factories.OrganizationFactory(party=world.af)
    rows = [
        Pledge(
            committee=world.committee,
            agreement=agreement,
            number=n + 1,
            title_en=f"Bulk pledge {n}",
            sector=world.sector,
            responsible_party=world.af if n % 3 else world.kz,
            lead_organization=organization,
            due_on=today + datetime.timedelta(days=(n % 60) - 20),
            indicator="Tonnes" if n % 10 == 0 else "",
            target_value=10 if n % 10 == 0 else None,
            current_value=3 if n % 10 == 0 else None,
        )
        for n in range(pledges)
    ]
    created = Pledge.objects.bulk_create(rows)
    PledgeUpdate.objects.bulk_create(
        PledgeUpdate(
            pledge=p,
            author=world.azizi,
            author_party=world.af,
            status="in_progress",
            progress=10,
            note="bulk",
        )
        for p in created
    )
    meeting = factories.MeetingFactory(committee=world.committee)
    factories.MinutesFactory(meeting=meeting, status="circulated")
    members = Member.objects.bulk_create(
        Member(
            committee=world.committee,
            party=world.af,
            organization=organization,
            full_name=f"Person {n}",
        )
        for n in range(pledges // 5)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=n + 1, title_en=f"Item {n}", presenter=members[0])
        for n in range(max(1, pledges // 10))
    )
    Attendance.objects.bulk_create(Attendance(meeting=meeting, member=m) for m in members)
    # Pledges arising from agenda items are cited through their meeting: joins, not queries.
    item = AgendaItem.objects.filter(meeting=meeting).first()
    Pledge.objects.bulk_create(
        Pledge(
            committee=world.committee,
            agenda_item=item,
            number=n + 1,
            title_en=f"Arising pledge {n}",
            sector=world.sector,
            due_on=today + datetime.timedelta(days=n % 40 - 10),
        )
        for n in range(pledges // 5)
    )
    for _n in range(pledges // 50):
        factories.AgreementFactory(committee=world.committee).parties.set([world.af, world.kz])
    return meeting


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
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("persona", ["azizi", "staff"])
def test_pages_run_a_fixed_number_of_queries(client, world, sign_in, persona):
    sign_in(getattr(world, persona))
    small_meeting = grow(world, 5)
    ids = {"pledge": world.joint_pledge.pk, "agreement": world.agreement.pk}
    small = {
        url: count_queries(client, url.format(meeting=small_meeting.pk, **ids)) for url in PAGES
    }

    large_meeting = grow(world, 500)
    for n in range(30):
        PledgeUpdate.objects.create(
            pledge=world.joint_pledge,
            author=world.staff,
            status="in_progress",
            progress=n,
            indicator_value=n,
        )
    large = {
        url: count_queries(client, url.format(meeting=large_meeting.pk, **ids)) for url in PAGES
    }
    assert Pledge.objects.count() > 500
    assert large == small
