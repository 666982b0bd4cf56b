from django.db import migrations, models

# Called by the data_changed triggers (committee/core/freshness.py), which fire at commit:
# the first change of a transaction moves the version on, the others find it done. The
# setting is local to the transaction, so the next one moves it again.
TOUCH = """
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


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_renderings"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("epoch", models.UUIDField(editable=False)),
                ("value", models.BigIntegerField(editable=False)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("id", 1)), name="data_version_one_row"
                    )
                ],
            },
        ),
        migrations.RunSQL(
            TOUCH, "DROP FUNCTION portal_data_changed_row(); DROP FUNCTION portal_data_changed();"
        ),
    ]
