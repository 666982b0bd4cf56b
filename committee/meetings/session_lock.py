"""Approved minutes lock their session: the meeting, its agenda, its attendance, the reviews of
pledges under its agenda and the minutes' own text.

The database enforces it with triggers declared on the models (`Meta.triggers`), so whatever
writes — the admin, a bulk update, a data migration, a psql session — is refused until the
minutes are re-opened. `refuse_if_minutes_approved()` is the same rule for `clean()`, where it
gives a readable, translated message next to the form instead of a database error.

The messages live here, once: LOCKED_MESSAGE for people, the DB_* texts (English, for logs
and psql) for the triggers, all under the constraint name LOCK_CONSTRAINT.

BEFORE triggers of one table run in the order of their names: these are named
"approved_*" so that they run before the version counter (count_versions) and a locked row
is reported as locked, not as stale.
"""

import pgtrigger
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LOCK_CONSTRAINT = "minutes_approved_locks_meeting"
# The value of Minutes.Status.APPROVED, which is defined from it: the models import this
# module for their triggers, so it cannot import them.
APPROVED = "approved"

LOCKED_MESSAGE = _(
    "The minutes of this meeting are approved, so the meeting, its agenda and attendance are "
    "locked. Re-open the minutes (giving a reason) to change them."
)
DB_SESSION_LOCKED = (
    "The minutes of this meeting are approved: re-open them before changing the meeting, "
    "its agenda or attendance."
)
DB_MINUTES_LOCKED = "These minutes are approved: re-open them before changing them."
DB_MINUTES_NOT_DELETED = "Approved minutes cannot be deleted."

# What approved minutes keep as they are; their PDF may be stored once, after approval.
FROZEN_MINUTES_FIELDS = (
    "meeting",
    "next_session",
    "done_at",
    "done_on",
    "original_count",
    "authentic_languages",
    "prevailing_language",
    "approved_at",
    "approved_by",
    "circulated_at",
)


def _minutes_table() -> str:
    return apps.get_model("meetings", "Minutes")._meta.db_table


def _raise(message: str) -> str:
    text = message.replace("'", "''")
    return (
        f"RAISE EXCEPTION '{text}' "
        f"USING ERRCODE = 'check_violation', CONSTRAINT = '{LOCK_CONSTRAINT}';"
    )


class SessionLock(pgtrigger.Trigger):
    """Refuses an insert, update or delete of a row that belongs to a session whose minutes
    are approved. `meeting_ids` is a SQL expression of the sessions the row belongs to, in
    which {row} stands for NEW or OLD: an update is checked against both, so a row can be
    neither changed in a locked session nor moved into or out of one."""

    def __init__(self, *, meeting_ids: str, operation=None, name: str = "approved_session_lock"):
        self.meeting_ids = meeting_ids
        super().__init__(
            name=name,
            when=pgtrigger.Before,
            operation=operation or (pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete),
            declare=[("meeting_ids", "bigint[]"), ("minutes_status", "varchar")],
        )

    def get_func(self, model) -> str:
        agenda_items = apps.get_model("meetings", "AgendaItem")._meta.db_table
        old, new = (
            self.meeting_ids.format(row=row, agenda_items=agenda_items) for row in ("OLD", "NEW")
        )
        # Names of our own tables and constants: nothing here comes from a user.
        return f"""
            IF TG_OP = 'INSERT' THEN
                meeting_ids := {new};
            ELSIF TG_OP = 'UPDATE' THEN
                meeting_ids := {old} || {new};
            ELSE
                meeting_ids := {old};
            END IF;
            -- FOR SHARE waits for a transaction approving these minutes (it holds their
            -- row FOR UPDATE while it renders the record), then reads the status it left:
            -- a change made meanwhile is refused instead of slipping past the record.
            FOR minutes_status IN
                SELECT status FROM {_minutes_table()}
                WHERE meeting_id = ANY(meeting_ids) FOR SHARE
            LOOP
                IF minutes_status = '{APPROVED}' THEN
                    {_raise(DB_SESSION_LOCKED)}
                END IF;
            END LOOP;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        """  # noqa: S608


def meeting_lock() -> SessionLock:
    """The meeting itself: a change or a deletion. (Its minutes are inserted after it.)"""
    return SessionLock(meeting_ids="ARRAY[{row}.id]", operation=pgtrigger.Update | pgtrigger.Delete)


def child_lock() -> SessionLock:
    """A row with a `meeting` foreign key: agenda items, attendance."""
    return SessionLock(meeting_ids="ARRAY[{row}.meeting_id]")


def agenda_child_lock() -> SessionLock:
    """A row with an `agenda_item` foreign key: the reviews of pledges under an item."""
    return SessionLock(
        meeting_ids=("ARRAY(SELECT meeting_id FROM {agenda_items} WHERE id = {row}.agenda_item_id)")
    )


class MinutesLock(pgtrigger.Trigger):
    """Approved minutes are never deleted, and change only by being re-opened (their status
    leaves "approved") or by gaining their PDF once."""

    def __init__(self):
        super().__init__(
            name="approved_minutes_lock",
            when=pgtrigger.Before,
            operation=pgtrigger.Update | pgtrigger.Delete,
        )

    def get_func(self, model) -> str:
        # A text kept in several languages is frozen in each language's column too.
        names = {field.name for field in model._meta.concrete_fields}
        languages = settings.MODELTRANSLATION_LANGUAGES
        columns = [
            model._meta.get_field(candidate).column
            for name in FROZEN_MINUTES_FIELDS
            for candidate in (name, *(f"{name}_{code}" for code in languages))
            if candidate in names
        ]
        new = ", ".join(f"NEW.{column}" for column in columns)
        old = ", ".join(f"OLD.{column}" for column in columns)
        return f"""
            IF TG_OP = 'DELETE' THEN
                IF OLD.status = '{APPROVED}' THEN
                    {_raise(DB_MINUTES_NOT_DELETED)}
                END IF;
                RETURN OLD;
            END IF;
            IF OLD.status = '{APPROVED}' AND NEW.status = '{APPROVED}' AND (
                ({new}) IS DISTINCT FROM ({old})
                OR (OLD.pdf_sha256 <> ''
                    AND (NEW.pdf, NEW.pdf_sha256) IS DISTINCT FROM (OLD.pdf, OLD.pdf_sha256))
            ) THEN
                {_raise(DB_MINUTES_LOCKED)}
            END IF;
            RETURN NEW;
        """


def refuse_if_minutes_approved(meeting_id: int | None) -> None:
    """The readable form of the session lock, for clean() and services."""
    minutes = apps.get_model("meetings", "Minutes")
    if meeting_id and minutes.objects.filter(meeting_id=meeting_id, status=APPROVED).exists():
        raise ValidationError(LOCKED_MESSAGE)
