"""Pages of a long list that cost the same on page 1 and page 100."""

from collections.abc import Sequence
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class KeysFirstPaginator(Paginator):
    """Finds a page's primary keys first, then loads only those rows with all they select.

    A list that selects its rows' related names (seven joined tables for a pledge) and sorts
    them would otherwise join every row of the list before the sort and the OFFSET keep 50 of
    them: 100 ms at 10,000 pledges on page 1, seconds on page 100. The keys alone need only
    the tables the sort order names, and the second query looks 50 rows up by key.
    """

    def _get_page(self, object_list, number: int, paginator: Paginator) -> Page:
        if isinstance(object_list, QuerySet) and object_list.query.is_sliced:
            object_list = self._rows_of(object_list)
        return super()._get_page(object_list, number, paginator)

    def _rows_of(self, page_slice: QuerySet) -> "RowsByKey":
        # The whole list's queryset, its filters and visibility included, narrowed to the keys.
        return RowsByKey(self.object_list, list(page_slice.values_list("pk", flat=True)))


class RowsByKey(Sequence):
    """A page's rows in the order of its keys, read when first looked at: a page whose list
    is kept rendered (committee/core/freshness.py) asks only how many there are."""

    def __init__(self, queryset: QuerySet, keys: list):
        self._queryset = queryset
        self._keys = keys

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, index):
        return self._rows[index]

    @cached_property
    def _rows(self) -> list:
        position = {key: index for index, key in enumerate(self._keys)}
        rows = self._queryset.filter(pk__in=self._keys).order_by()
        return sorted(rows, key=lambda row: position[row.pk])
