from django.db import migrations

# The data version of committee/core/freshness.py: one row, written only by the data_changed
# triggers, which fire at commit. The first change of a transaction moves the number on, the
# others find it done (the setting is local to the transaction). The epoch tells this row from
# one made again. A table of the database's own, not a model: nothing in the portal edits it.
DATA_VERSION = """
CREATE TABLE core_dataversion (
    id smallint PRIMARY KEY CHECK (id = 1),
    epoch uuid NOT NULL,
    value bigint NOT NULL
);
CREATE FUNCTION portal_data_changed() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('portal.data_changed', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('portal.data_changed', 'yes', true);
        INSERT INTO core_dataversion (id, epoch, value) VALUES (1, gen_random_uuid(), 1)
        ON CONFLICT (id) DO UPDATE SET value = core_dataversion.value + 1;
    END IF;
END
$$;
-- For a table without a model of its own to declare its trigger (a many-to-many's).
CREATE FUNCTION portal_data_changed_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM portal_data_changed();
    RETURN NULL;
END
$$;
"""
UNDO = """
DROP FUNCTION portal_data_changed_row();
DROP FUNCTION portal_data_changed();
DROP TABLE core_dataversion;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_renderings"),
    ]

    operations = [migrations.RunSQL(DATA_VERSION, UNDO)]
