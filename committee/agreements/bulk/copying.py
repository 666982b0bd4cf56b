"""Rows written with PostgreSQL's COPY, the triggers and constraints of each table in force.

COPY ... FROM STDIN is the fastest way in: no SQL per row, no Python model per row. Row
triggers fire for copied rows as for inserted ones (the history, the session lock, one head
per delegation), and CHECK, NOT NULL, unique and foreign-key constraints are checked: nothing
the models require is skipped. Rows are given as dicts by attribute name (`pledge_id`,
`title_fa`); a column left out takes the model field's default, as Model() would give it.
"""

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connection, models
from django.utils import timezone

CHUNK = 20_000  # rows per COPY statement: the queued checks of one statement stay small


class Columns:
    """The columns of a model's table, and the values of those a row leaves out."""

    def __init__(self, model: type[models.Model]):
        now = timezone.now()
        self.model = model
        self.table = model._meta.db_table
        self.fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        self.defaults = {}
        for field in self.fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                self.defaults[field.attname] = now
            elif field.has_default() or field.null or field.empty_strings_allowed:
                self.defaults[field.attname] = field.get_default()
        self.pk = model._meta.pk

    def check(self, row: dict) -> None:
        """Every column without a default is given, and no name is mistyped."""
        known = {field.attname for field in self.fields} | {self.pk.attname}
        unknown = set(row) - known
        missing = {field.attname for field in self.fields} - set(row) - set(self.defaults)
        if unknown or missing:
            raise ValueError(
                f"{self.model.__name__}: unknown columns {sorted(unknown)}, "
                f"missing {sorted(missing)}"
            )


def new_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` keys from the table's own sequence, for rows that others refer to."""
    if count == 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(model: type[models.Model], rows: Iterable[dict]) -> int:
    """COPY the rows into the model's table; the number written."""
    columns = Columns(model)
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    columns.check(first)
    with_pk = columns.pk.attname in first
    fields = ([columns.pk] if with_pk else []) + columns.fields
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    attnames = [field.attname for field in fields]
    defaults = columns.defaults
    sql = f"COPY {connection.ops.quote_name(columns.table)} ({names}) FROM STDIN"
    written = 0
    pending: Iterator[dict] = _chain_first(first, iterator)
    with connection.cursor() as cursor:
        while chunk := list(islice(pending, CHUNK)):
            with cursor.copy(sql) as copy:
                for row in chunk:
                    copy.write_row(
                        [row[name] if name in row else defaults[name] for name in attnames]
                    )
            written += len(chunk)
    return written


def _chain_first(first: dict, rest: Iterator[dict]) -> Iterator[dict]:
    yield first
    yield from rest
