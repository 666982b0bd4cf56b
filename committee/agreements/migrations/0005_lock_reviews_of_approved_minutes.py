"""The pledge reviews of an approved session are part of its minutes: locked the same way."""

from django.db import migrations

LOCK = """
CREATE OR REPLACE FUNCTION agreements_lock_pledge_review() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    meeting_ids bigint[];
BEGIN
    SELECT array_agg(meeting_id) INTO meeting_ids FROM meetings_agendaitem
    WHERE id IN (
        CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.agenda_item_id END,
        CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.agenda_item_id END
    );
    PERFORM meetings_refuse_if_minutes_approved(meeting_ids);
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER agreements_pledgereview_locked
    BEFORE INSERT OR UPDATE OR DELETE ON agreements_pledgereview
    FOR EACH ROW EXECUTE FUNCTION agreements_lock_pledge_review();
"""

UNLOCK = """
DROP TRIGGER IF EXISTS agreements_pledgereview_locked ON agreements_pledgereview;
DROP FUNCTION IF EXISTS agreements_lock_pledge_review();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0004_pledgereview"),
        ("meetings", "0005_lock_approved_minutes"),
    ]

    operations = [migrations.RunSQL(LOCK, UNLOCK)]
