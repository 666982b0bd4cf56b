"""Approved minutes lock their session at the database: whatever writes (the admin, a bulk
update, a data migration, a psql session), the meeting, its agenda, its attendance and the
minutes' own text cannot change until the minutes are re-opened."""

from django.db import migrations

LOCK_FUNCTION = """
CREATE OR REPLACE FUNCTION meetings_refuse_if_minutes_approved(meeting_ids bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM meetings_minutes
        WHERE meeting_id = ANY(meeting_ids) AND status = 'approved'
    ) THEN
        RAISE EXCEPTION 'The minutes of this meeting are approved: re-open them before changing the meeting, its agenda or attendance.'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'minutes_approved_locks_meeting';
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION meetings_lock_meeting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM meetings_refuse_if_minutes_approved(ARRAY[OLD.id]);
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION meetings_lock_meeting_child() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM meetings_refuse_if_minutes_approved(ARRAY[NEW.meeting_id]);
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM meetings_refuse_if_minutes_approved(ARRAY[OLD.meeting_id, NEW.meeting_id]);
        RETURN NEW;
    END IF;
    PERFORM meetings_refuse_if_minutes_approved(ARRAY[OLD.meeting_id]);
    RETURN OLD;
END;
$$;

-- Approved minutes may only gain their PDF once, or be re-opened (status leaves 'approved').
CREATE OR REPLACE FUNCTION meetings_lock_minutes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'approved' THEN
            RAISE EXCEPTION 'Approved minutes cannot be deleted.'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'minutes_approved_locks_meeting';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'approved' AND NEW.status = 'approved' AND (
        (NEW.meeting_id, NEW.next_session, NEW.done_at, NEW.done_on, NEW.original_count,
         NEW.authentic_languages, NEW.prevailing_language, NEW.approved_at, NEW.approved_by_id,
         NEW.circulated_at)
        IS DISTINCT FROM
        (OLD.meeting_id, OLD.next_session, OLD.done_at, OLD.done_on, OLD.original_count,
         OLD.authentic_languages, OLD.prevailing_language, OLD.approved_at, OLD.approved_by_id,
         OLD.circulated_at)
        OR (OLD.pdf_sha256 <> '' AND (NEW.pdf, NEW.pdf_sha256) IS DISTINCT FROM (OLD.pdf, OLD.pdf_sha256))
    ) THEN
        RAISE EXCEPTION 'These minutes are approved: re-open them before changing them.'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'minutes_approved_locks_meeting';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER meetings_meeting_locked BEFORE UPDATE OR DELETE ON meetings_meeting
    FOR EACH ROW EXECUTE FUNCTION meetings_lock_meeting();
CREATE TRIGGER meetings_agendaitem_locked BEFORE INSERT OR UPDATE OR DELETE ON meetings_agendaitem
    FOR EACH ROW EXECUTE FUNCTION meetings_lock_meeting_child();
CREATE TRIGGER meetings_attendance_locked BEFORE INSERT OR UPDATE OR DELETE ON meetings_attendance
    FOR EACH ROW EXECUTE FUNCTION meetings_lock_meeting_child();
CREATE TRIGGER meetings_minutes_locked BEFORE UPDATE OR DELETE ON meetings_minutes
    FOR EACH ROW EXECUTE FUNCTION meetings_lock_minutes();
"""

UNLOCK = """
DROP TRIGGER IF EXISTS meetings_minutes_locked ON meetings_minutes;
DROP TRIGGER IF EXISTS meetings_attendance_locked ON meetings_attendance;
DROP TRIGGER IF EXISTS meetings_agendaitem_locked ON meetings_agendaitem;
DROP TRIGGER IF EXISTS meetings_meeting_locked ON meetings_meeting;
DROP FUNCTION IF EXISTS meetings_lock_minutes();
DROP FUNCTION IF EXISTS meetings_lock_meeting_child();
DROP FUNCTION IF EXISTS meetings_lock_meeting();
DROP FUNCTION IF EXISTS meetings_refuse_if_minutes_approved(bigint[]);
"""


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_agendaitem_kind_minutesreopening_superseded_pdf")]

    operations = [migrations.RunSQL(LOCK_FUNCTION, UNLOCK)]
