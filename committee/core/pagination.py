"""Pages of a long list that cost the same on page 1 and page 100."""

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

    def _rows_of(self, page_slice: QuerySet) -> list:
        keys = list(page_slice.values_list("pk", flat=True))
        # The whole list's queryset, its filters and visibility included, narrowed to the keys.
        rows = self.object_list.filter(pk__in=keys).order_by()
        position = {key: index for index, key in enumerate(keys)}
        return sorted(rows, key=lambda row: position[row.pk])
