"""Rules about pledges that several pages ask: what "overdue" means and the due windows. Each
is written once, on the model (Python) and its QuerySet (SQL); these tests hold the two
forms to the same answer."""

import datetime
import itertools

import pytest

from committee.agreements.admin import DueFilter
from committee.agreements.filters import PledgeFilter
from committee.agreements.models import DueWindow, Pledge
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
DUE_DATES = [None, *(TODAY + datetime.timedelta(days=d) for d in (-30, -1, 0, 1, 7, 8, 30, 90, 91))]


@pytest.fixture
def pledges(world):
    return [
        factories.PledgeFactory(
            committee=world.committee,
            agreement=world.agreement,
            status=status,
            due_on=due_on,
        )
        for status, due_on in itertools.product(Pledge.Status.values, DUE_DATES)
    ]


def test_overdue_in_sql_is_overdue_in_python(pledges):
    in_sql = set(Pledge.objects.filter(pk__in=[p.pk for p in pledges]).overdue(TODAY))
    in_python = {pledge for pledge in pledges if pledge.is_overdue(TODAY)}
    assert in_sql == in_python
    assert in_python  # the fixture holds overdue pledges and others
    assert len(in_python) < len(pledges)


@pytest.mark.parametrize("window", DueWindow.values)
def test_each_due_window_is_what_its_name_says(pledges, window):
    found = set(Pledge.objects.filter(pk__in=[p.pk for p in pledges]).in_due_window(window, TODAY))
    for pledge in pledges:
        is_open = pledge.status not in Pledge.CLOSED_STATUSES
        due = pledge.due_on
        if window == DueWindow.OVERDUE:
            expected = pledge.is_overdue(TODAY)
        elif window == DueWindow.NO_DATE:
            expected = due is None
        else:
            last = TODAY + datetime.timedelta(days=int(window))
            expected = is_open and due is not None and TODAY <= due <= last
        assert (pledge in found) == expected, (pledge.status, due, window)


def test_the_tracker_and_the_admin_offer_the_same_windows(world):
    tracker = PledgeFilter(user=world.staff).filters["due"].extra["choices"]
    admin = DueFilter.lookups(None, None, None)
    assert list(tracker) == list(admin) == DueWindow.choices
