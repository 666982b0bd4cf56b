"""No lost updates: a version number on the records that people edit at the same time.

Pledges, meetings, agenda items and minutes carry a `version`. A database trigger
(count_versions) counts it up on every UPDATE, whoever runs it — a form, a service, a bulk
edit, a data migration —, and refuses an UPDATE that writes a version other than the row's
current one. So saving an instance that was read before someone else's change fails instead
of overwriting that change, and bulk edits make every open form of their rows stale too.

Forms carry the version the person started from in a hidden field (VersionedModelForm).
When the row has moved on, the form says what changed meanwhile and who changed it, keeps
the person's input, and takes the current version: saving again, after reading, overwrites
deliberately. A change sent without a version (or with one the row never had) is refused,
so leaving the field out is no way around the check. Services that lock a row FOR UPDATE
read its current version and need nothing more: their save is counted like any other.

This lives in the shared machinery (committee/core) so that every app can use it.
"""

import pgtrigger
from django import forms
from django.db import OperationalError, models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from committee.core import history

CONFLICT_CONSTRAINT = "row_version_current"


def count_versions() -> pgtrigger.Trigger:
    """The trigger of a versioned table, for its model's Meta.triggers.

    BEFORE UPDATE triggers run in the order of their names: a model's own locks, named
    "approved_*" (committee/meetings/session_lock.py), come before this one, and pghistory's
    event triggers run AFTER the update, so they store the counted-up version.
    """
    return pgtrigger.Trigger(
        name="count_versions",
        when=pgtrigger.Before,
        operation=pgtrigger.Update,
        func=f"""
            IF NEW.version IS DISTINCT FROM OLD.version THEN
                RAISE EXCEPTION '% % was changed by someone else after version % was read (it is at version % now): read it again.',
                    TG_TABLE_NAME, OLD.id, NEW.version, OLD.version
                    USING ERRCODE = 'serialization_failure', CONSTRAINT = '{CONFLICT_CONSTRAINT}';
            END IF;
            NEW.version := OLD.version + 1;
            RETURN NEW;
        """,  # noqa: E501 (one message)
    )


class VersionConflict(OperationalError):
    """A save was refused because the row changed after the instance was read."""


def _is_conflict(error: OperationalError) -> bool:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) == CONFLICT_CONSTRAINT


class Versioned(models.Model):
    """A record with a version, counted up by the database on every change (count_versions).

    Models that inherit it list versioning.count_versions() in their Meta.triggers.
    """

    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_("Counted up by the database on every change; a stale save is refused."),
    )

    class Meta:
        abstract = True

    def save(self, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields:
            # The version written is the one read: the trigger checks it even when a service
            # saves a few fields.
            kwargs["update_fields"] = {*update_fields, "version"}
        read = self.version
        # As an expression, the version comes back from the database (RETURNING) after the
        # INSERT or UPDATE: the instance then holds the number the trigger gave the row.
        self.version = models.Value(read)
        try:
            super().save(**kwargs)
        except OperationalError as error:
            if _is_conflict(error):
                raise VersionConflict(str(error).splitlines()[0]) from error
            raise
        finally:
            if isinstance(self.version, models.Value):  # not saved, or nothing returned
                self.version = read


# A version the form did not send, or not as a number this column can hold: the form was
# not shown by the portal as it is now (a script, a page saved long ago, a tampered post).
MISSING_VERSION = _(
    "This form was sent without its version; reload the page and make your change again."
)
MAX_VERSION = 2_147_483_647  # PositiveIntegerField's limit


class VersionedModelForm(forms.ModelForm):
    """A model form that refuses to overwrite changes made since it was shown.

    List "version" among the form's fields (the admin's fieldsets, an inline's fields): it
    is rendered hidden and carries the version the person started from. clean() compares it
    with the row, which it locks FOR UPDATE when inside a transaction (the admin validates and
    saves in one), so nobody can save in between. A change of an existing record posted
    without a version, or with one the row never had, is refused: the check cannot be skipped
    by leaving the field out.
    """

    # Read as text: a missing or malformed version is a message at the top of the form, not
    # an error beside a field nobody sees.
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance._state.adding:
            # A new record starts at the model's default (the admin's "add another" rows post
            # the hidden field empty).
            cleaned.pop("version", None)
            return cleaned
        started_from = version_number(cleaned.pop("version", None))
        if started_from is None:
            self.add_error(None, forms.ValidationError(MISSING_VERSION, code="version_missing"))
            return cleaned
        rows = type(instance)._base_manager.filter(pk=instance.pk).order_by("pk")
        if transaction.get_connection().in_atomic_block:
            rows = rows.select_for_update()
        current = rows.values_list("version", flat=True).first()
        if current is None:  # deleted meanwhile: the save will say so
            return cleaned
        if started_from > current:  # a number nobody was shown
            self.add_error(None, forms.ValidationError(MISSING_VERSION, code="version_missing"))
            return cleaned
        if started_from == current:
            cleaned["version"] = self.instance.version = current
            return cleaned
        self.add_error(None, conflict_error(instance, since=started_from))
        # The person's input stays in the form; the version moves on to the current one, so
        # that saving again after reading what changed overwrites it deliberately.
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current
        return cleaned


def version_number(value) -> int | None:
    """The version a form sent, or None when it sent none a row could have."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_VERSION else None


def conflict_error(instance: models.Model, *, since: int) -> forms.ValidationError:
    """The form error for a record changed after `since`: what changed, by whom, when."""
    found = history.changes_since(instance, since)
    params = {
        "record": instance._meta.verbose_name,
        "who": ", ".join(found.authors) or _("someone else"),
        "when": formats.date_format(timezone.localtime(found.last_at), "DATETIME_FORMAT")
        if found.last_at
        else "—",
    }
    if found.changes is None:
        message = _(
            "This %(record)s was changed by %(who)s (%(when)s) while you were editing it. "
            "Nothing is saved yet and your input is kept below: check it and save again "
            "to keep your values."
        )
    elif not found.changes:
        message = _(
            "This %(record)s was saved by %(who)s (%(when)s) while you were editing it, "
            "with no change to its fields. Your input is kept below: save again to keep it."
        )
    else:
        params["changes"] = "; ".join(
            f"{change.field}: {change.old} {history.arrow()} {change.new}"
            for change in found.changes
        )
        message = _(
            "This %(record)s was changed by %(who)s (%(when)s) while you were editing it: "
            "%(changes)s. Nothing is saved yet and your input is kept below: check it and "
            "save again to keep your values."
        )
    return forms.ValidationError(message, code="version_conflict", params=params)
