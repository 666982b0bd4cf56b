"""KeysFirstPaginator: the same pages as Django's Paginator, in two queries a page."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committee.agreements.models import Pledge
from committee.core.pagination import KeysFirstPaginator
from tests import factories


@pytest.fixture
def pledges(world):
    """Eleven pledges more, their due dates repeating, some without one."""
    today = timezone.localdate()
    for n in range(11):
        factories.PledgeFactory(
            agreement=world.agreement,
            due_on=None if n % 4 == 0 else today + datetime.timedelta(days=n % 3),
            progress=(n * 7) % 100,
        )
    return Pledge.objects.for_listing()


@pytest.mark.parametrize("ordering", [("due_on", "pk"), ("-progress", "pk"), ("-number",)])
def test_pages_are_those_of_djangos_paginator(pledges, ordering):
    listed = pledges.order_by(*ordering)
    plain, keys_first = Paginator(listed, 4), KeysFirstPaginator(listed, 4)
    assert keys_first.num_pages == plain.num_pages >= 3
    for number in plain.page_range:
        expected = [pledge.pk for pledge in plain.page(number)]
        assert [pledge.pk for pledge in keys_first.page(number)] == expected


def test_a_page_is_two_queries_its_rows_with_what_they_select(pledges):
    paginator = KeysFirstPaginator(pledges.order_by("due_on", "pk"), 4)
    paginator.count  # noqa: B018 (counted beforehand, as a page's view does)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(2)
        rows = [(p.agreement.reference, p.sector.name, p.last_update_at) for p in page]
    assert len(rows) == 4
    assert len(queries) == 2
    assert "LIMIT 4 OFFSET 4" in queries[0]["sql"]


def test_a_pages_rows_are_read_when_first_looked_at(db):
    """A list kept rendered asks only how many rows its page has (RowsByKey)."""
    for number in range(1, 6):
        factories.PledgeFactory(number=number)
    paginator = KeysFirstPaginator(Pledge.objects.order_by("number"), 4)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(1)
        assert len(page.object_list) == 4
    keys_only = len(queries)
    with CaptureQueriesContext(connection) as queries:
        assert [pledge.number for pledge in page] == [1, 2, 3, 4]
        assert [pledge.number for pledge in page] == [1, 2, 3, 4]
    assert len(queries) == 1
    assert keys_only == 2  # the count and the keys
