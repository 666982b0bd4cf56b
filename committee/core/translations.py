"""Helpers for record texts kept in several languages (django-modeltranslation): which
languages there are, one language version of a text, migrations and queries."""

from dataclasses import dataclass

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


def active_language() -> str:
    """The active language's code, without a region ("fa" for "fa-af")."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def localized(path: str) -> Func:
    """An expression for a text kept in several languages, read through a relation in
    values() or annotate() ("sector__name"), where modeltranslation does not pick the
    column: the active language's, or English where that one is empty."""
    language = active_language()
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


def is_rtl(code: str) -> bool:
    return code.split("-")[0] in settings.LANGUAGES_BIDI


def language_names() -> dict[str, str]:
    """Each content language in its own name (دری, Русский …), as the choices show them."""
    return {
        code: translation.get_language_info(code)["name_local"]
        for code, _name in settings.CONTENT_LANGUAGES
    }


def language_choices() -> list[tuple[str, str]]:
    return list(language_names().items())


def parse_language(value: str | None) -> str | None:
    """A content language asked for in a query string, or None."""
    return value if value in language_names() else None


def chosen_languages(
    original: str | None, second: str | None, default: str
) -> tuple[str, str | None]:
    """The language of a printed original (`default` unless a content language is asked) and
    the one printed beside it, None unless it is another content language."""
    original = parse_language(original) or default
    second = parse_language(second)
    return original, (second if second != original else None)


@dataclass(frozen=True)
class Text:
    """One language version of a text. Where the language asked for (`wanted`) has none, the
    English text stands in, marked untranslated."""

    lang: str
    value: str
    wanted: str = ""

    @property
    def dir(self) -> str:
        return "rtl" if is_rtl(self.lang) else "ltr"

    @property
    def untranslated(self) -> bool:
        return bool(self.value) and bool(self.wanted) and self.wanted != self.lang


def text_in(obj: object, field: str, language: str) -> Text:
    """`obj.field` in `language` (a modeltranslation column), or, when that column is empty,
    the English text (else another language's) marked untranslated."""
    value = (getattr(obj, f"{field}_{language}", None) or "").strip()
    if value:
        return Text(language, value)
    # English first, then any language that has the text: in the English original too, a
    # text typed only in Dari shows (marked) rather than going missing unnoticed.
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    others = [default] + [code for code, _name in settings.LANGUAGES if code != default]
    for code in others:
        fallback = (getattr(obj, f"{field}_{code}", None) or "").strip()
        if code != language and fallback:
            return Text(code, fallback, wanted=language)
    return Text(language, "")
