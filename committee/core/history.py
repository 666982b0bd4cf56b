"""The history of every change, as django-pghistory's database triggers record it.

A tracked model (`tracked()` below) gets an event model: each insert, update and delete of a
row is copied there by a trigger, whoever runs it — a form, a service, an admin bulk action,
a data migration, psql. HistoryMiddleware attaches the request's user and URL to the events
(their context). This module turns events into what people read: which field, old value →
new value, who and when.
"""

import dataclasses
import datetime
import decimal
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import pghistory
from django.contrib.auth import get_user_model
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import BigIntegerField, CharField, OuterRef, QuerySet, Subquery, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Trim
from django.utils import formats, timezone, translation
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

EMPTY = "—"
TEXT_LIMIT = 120  # characters of a long text shown before "…"


def tracked(*, not_a_change: Sequence[str] = ()):
    """Decorator: record every insert, update and delete of the model as an event.

    An update is recorded when a field other than `not_a_change` (and Django's automatic
    timestamps) changes: a save that changes nothing, or only counts the version up, is not
    an event. The event still stores every column, the version included.
    """
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(
            condition=pghistory.AnyChange(exclude=list(not_a_change), exclude_auto=True)
        ),
        pghistory.DeleteEvent(),
    )


@dataclasses.dataclass(frozen=True)
class Change:
    """One field of a record, as it read before and after a change."""

    field: str  # the field's label
    old: str
    new: str


@dataclasses.dataclass
class Entry:
    """One event in a record's history: when, by whom, what kind, which fields changed."""

    at: datetime.datetime
    who: str | None
    label: str  # insert, update, delete (pghistory's labels) or snapshot
    changes: list[Change]


def arrow() -> str:
    """From old to new, pointing the way the active language reads."""
    return "←" if translation.get_language_bidi() else "→"


def with_author(events: QuerySet) -> QuerySet:
    """Events annotated with `pgh_user`, the name of the user in their context (or None).

    HistoryMiddleware stores the user's id in the context; the name is looked up in the same
    query, so a list of events costs one query however many people made them.
    """
    user_model = get_user_model()
    # The names are typed lines (committee/core/text.py), the username is Django's CharField:
    # name the output type, or Django sees "mixed types" where every column is text.
    text = CharField()
    full_name = Trim(Concat("first_name", Value(" "), "last_name", output_field=text))
    name = (
        user_model.objects.filter(pk=OuterRef("pgh_user_id"))
        .annotate(display=Coalesce(NullIf(full_name, Value("")), "username", output_field=text))
        .values("display")[:1]
    )
    return events.annotate(
        pgh_user_id=Cast(KeyTextTransform("user", "pgh_context__metadata"), BigIntegerField()),
        pgh_user=Subquery(name),
    )


def shown_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields whose changes people read: not the key, the version counter, Django's
    automatic timestamps, nor the column that modeltranslation fills from whatever language
    was active (each language's own column is shown instead)."""
    translated = {
        field.translated_field.name
        for field in model._meta.concrete_fields
        if hasattr(field, "translated_field")
    }
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key
        and field.name != "version"
        and field.name not in translated
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    ]


def _differences(model, before, after) -> list[tuple[models.Field, Any, Any]]:
    """Fields that differ between two snapshots (events, or rows) of one record."""
    return [
        (field, getattr(before, field.attname), getattr(after, field.attname))
        for field in shown_fields(model)
        if getattr(before, field.attname) != getattr(after, field.attname)
    ]


def _display(field: models.Field, value: Any, labels: dict) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if field.is_relation:
        return labels.get(field.related_model, {}).get(value, f"#{value}")
    if isinstance(field, ArrayField):
        return ", ".join(_display(field.base_field, item, labels) for item in value)
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value)
    if isinstance(value, decimal.Decimal):
        return formats.number_format(value)
    return Truncator(str(value)).chars(TEXT_LIMIT)


def describe(
    differences: Iterable[list[tuple[models.Field, Any, Any]]],
) -> list[list[Change]]:
    """Readable changes: field labels, choice labels, and the names of related records.

    Related records are looked up in one query per kind of record (party, organization, …)
    for all the differences together, not one per change. A change that reads the same
    before and after is left out.
    """
    differences = list(differences)
    wanted = defaultdict(set)
    for difference in differences:
        for field, old, new in difference:
            if field.is_relation:
                wanted[field.related_model].update(v for v in (old, new) if v is not None)
    labels = {
        related: {pk: str(obj) for pk, obj in related._base_manager.in_bulk(ids).items()}
        for related, ids in wanted.items()
    }
    described = [
        [
            Change(
                field=capfirst(str(field.verbose_name)),
                old=_display(field, old, labels),
                new=_display(field, new, labels),
            )
            for field, old, new in difference
        ]
        for difference in differences
    ]
    # A text that went from NULL to "" (a form saving an untouched language) reads the same.
    return [[change for change in changes if change.old != change.new] for changes in described]


def recent_changes(obj: models.Model, *, limit: int) -> tuple[list[Entry], bool]:
    """The newest `limit` events of a record, newest first, and whether older ones exist.

    One query for the events with their users, plus one per kind of related record that a
    change names (see describe()), whatever the number of events.
    """
    model = type(obj)
    events = list(
        with_author(model.pgh_event_model.objects.filter(pgh_obj_id=obj.pk)).order_by("-pgh_id")[
            : limit + 1
        ]  # one more: the state before the oldest shown, and a sign of more
    )
    shown = events[:limit]
    previous = [*events[1:], None]
    differences = [
        _differences(model, before, event)
        if event.pgh_label == "update" and before is not None
        else []
        for event, before in zip(shown, previous, strict=False)
    ]
    entries = [
        Entry(at=event.pgh_created_at, who=event.pgh_user, label=event.pgh_label, changes=changes)
        for event, before, changes in zip(shown, previous, describe(differences), strict=False)
        # An update that changed only columns nobody reads (see shown_fields) is no news.
        if changes or event.pgh_label != "update" or before is None
    ]
    return entries, len(events) > limit


@dataclasses.dataclass
class ChangesSince:
    """What happened to a record after a version someone started from."""

    changes: list[Change] | None  # None: the state at that version is not in the history
    authors: list[str]
    last_at: datetime.datetime | None


def changes_since(obj: models.Model, version: int) -> ChangesSince:
    """The fields of a record that changed after `version`, and who changed them.

    The state at a version is the newest event at or below it (every change of a field is
    an event, and each event stores the version it made); it is compared with the newest
    event, which is the record as it is now.
    """
    model = type(obj)
    events = model.pgh_event_model.objects.filter(pgh_obj_id=obj.pk)
    base = events.filter(version__lte=version).order_by("-pgh_id").first()
    later = list(
        with_author(events.filter(pgh_id__gt=base.pgh_id if base else 0)).order_by("pgh_id")
    )
    authors = list(dict.fromkeys(event.pgh_user or _("someone") for event in later))
    last_at = later[-1].pgh_created_at if later else None
    if base is None:
        return ChangesSince(changes=None, authors=authors, last_at=last_at)
    head = later[-1] if later else base
    (changes,) = describe([_differences(model, base, head)])
    return ChangesSince(changes=changes, authors=authors, last_at=last_at)


def snapshot_existing_rows(app_label: str, *model_names: str):
    """A migration operation: one "snapshot" event for each row already there when tracking
    starts, so that every record's history begins with a known state."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        quote = schema_editor.quote_name
        for name in model_names:
            model = apps.get_model(app_label, name)
            event_model = apps.get_model(app_label, f"{name}Event")
            columns = ", ".join(
                quote(field.column)
                for field in event_model._meta.concrete_fields
                if not field.name.startswith("pgh_")
            )
            schema_editor.execute(
                f"INSERT INTO {quote(event_model._meta.db_table)} "  # noqa: S608 (names)
                f"({columns}, pgh_created_at, pgh_label, pgh_obj_id) "
                f"SELECT {columns}, NOW(), 'snapshot', {quote(model._meta.pk.column)} "
                f"FROM {quote(model._meta.db_table)}"
            )

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
