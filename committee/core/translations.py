"""Helpers for record texts kept in several languages (django-modeltranslation)."""

from django.conf import settings
from django.db import migrations
from django.db.models import CharField, F, Func, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation


def fill_default_language(
    app_label: str, fields: dict[str, tuple[str, ...]]
) -> migrations.RunPython:
    """A migration step for fields newly registered with modeltranslation: copy each value into
    its default-language column (as modeltranslation's update_translation_fields does), so
    that existing rows read as before.

    A copy into a new column is no change of the record: the tables' own triggers (version
    counter, session lock, history) are switched off for it, so an approved session's rows
    can be copied too and no history event claims a change.
    """

    def forwards(apps, schema_editor):
        default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
        quote = schema_editor.quote_name
        for model_name, names in fields.items():
            model = apps.get_model(app_label, model_name)
            table = quote(model._meta.db_table)
            assignments = ", ".join(
                f"{quote(f'{name}_{default}')} = {quote(name)}" for name in names
            )
            schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            schema_editor.execute(f"UPDATE {table} SET {assignments}")  # noqa: S608 (our names)
            schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)


def localized(path: str) -> Func:
    """An expression for a text kept in several languages, read through a relation in
    values() or annotate() ("sector__name"), where modeltranslation does not pick the
    column: the active language's, or English where that one is empty."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    # modeltranslation makes a field class per column: name the output type, or Django sees
    # "mixed types" where every column is text.
    text = CharField()
    return Coalesce(
        NullIf(F(f"{path}_{language}"), Value(""), output_field=text),
        F(f"{path}_{default}"),
        F(path),
        output_field=text,
    )
