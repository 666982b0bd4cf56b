"""Find or create one demo row at a time, and count what was written for the summary."""

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class Rows:
    """The rows the demo created and updated so far: a run that finds every row counts 0 and 0."""

    def __init__(self) -> None:
        self.created = 0
        self.updated = 0

    def ensure(
        self,
        model: type[M],
        lookup: dict[str, Any],
        create: dict[str, Any] | None = None,
        sync: dict[str, Any] | None = None,
        fill: dict[str, Any] | None = None,
    ) -> tuple[M, bool]:
        """The row matching `lookup`, and whether it was created.

        A missing row is created with `create`, `fill` and `sync`. An existing row gets the
        `sync` values, and the `fill` values where it has none (NULL or empty): a record text
        missing in a language, as in a database loaded before the demo had it, is written,
        while a text someone edited in the admin is kept. The row is saved, and counted as
        updated, only when one of them changes it.
        """
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**{**(create or {}), **(fill or {}), **(sync or {}), **lookup})
            obj.full_clean()
            obj.save()
            self.created += 1
            return obj, True
        changed = {
            name: value for name, value in (fill or {}).items() if value and not getattr(obj, name)
        }
        changed.update(
            (name, value) for name, value in (sync or {}).items() if getattr(obj, name) != value
        )
        if changed:
            for name, value in changed.items():
                setattr(obj, name, value)
            obj.full_clean()
            obj.save()
            self.updated += 1
        return obj, False
