"""Helpers shared by the admins of every app: columns of texts kept in several languages,
select options fetched once per page, check boxes for language lists, read-only inlines, a
long list's action check boxes."""

from collections.abc import Callable

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.postgres.fields import ArrayField
from django.db.models import Model, QuerySet
from django.forms.models import BaseModelFormSet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname


def in_every_language(*field_names: str) -> tuple[str, ...]:
    """The columns of translated fields in every content language, for search_fields.

    Searching "title" alone would only look at the interface language's column; staff search
    a Dari or Kazakh title as well.
    """
    return tuple(
        build_localized_fieldname(name, language)
        for name in field_names
        for language in mt_settings.AVAILABLE_LANGUAGES
    )


def share_choices(
    request: HttpRequest,
    formset: type[BaseModelFormSet],
    field_name: str,
    queryset: QuerySet,
    label: Callable[[Model], str] = str,
) -> None:
    """Give a select of an inline the same options in every row, fetched once per request.

    Django evaluates a ModelChoiceField's queryset each time a row renders, and autocomplete
    or raw-id widgets look up each row's current value: one query per row and column either
    way. Options listed once and shared keep the page's query count flat however many rows
    it has. POST still looks each submitted value up once, to validate it.
    """
    field = formset.form.base_fields.get(field_name)
    if field is None:  # read-only for this user
        return
    cache = request.__dict__.setdefault("_admin_shared_choices", {})
    key = (formset.model, field_name, str(queryset.query))
    if key not in cache:
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        cache[key] = empty + [(obj.pk, label(obj)) for obj in queryset]
    field.queryset = queryset
    field.choices = cache[key]


class ContentLanguageInputsMixin:
    """Inputs of a text kept in several languages carry their language and direction.

    modeltranslation marks a Dari or Pashto input with a CSS class only; with lang and dir
    the browser types it right to left and shapes it with a font for its script.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        language = getattr(db_field, "language", None)  # set on modeltranslation's columns
        if formfield is not None and language:
            widget = getattr(formfield.widget, "widget", formfield.widget)
            widget.attrs["lang"] = language
            widget.attrs["dir"] = "rtl" if get_language_info(language)["bidi"] else "ltr"
        return formfield


def languages_formfield(db_field: ArrayField) -> forms.Field:
    """Check boxes for an ArrayField of language codes, instead of comma-separated codes."""
    return forms.TypedMultipleChoiceField(
        choices=db_field.base_field.choices,
        widget=forms.CheckboxSelectMultiple,
        required=not db_field.blank,
        label=capfirst(db_field.verbose_name),
        help_text=db_field.help_text,
    )


class ReadOnlyInlineMixin:
    """An inline that shows related rows and never adds, changes or deletes them: they are
    edited on their own pages, or never (append-only records)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ViewOnlyAdmin(ReadOnlyInlineMixin, admin.ModelAdmin):
    """A record the portal writes itself (a workflow step, a mail, a PDF): staff read it,
    nobody adds, changes or deletes it by hand."""


# Django's own words, translated by the admin's catalogue (the portal's does not hold them).
_SELECT_FOR_ACTION = "Select this object for an action - {}"


class ListCheckboxMixin:
    """A change list's action check box written directly, as Django's CheckboxInput writes
    it: rendering the widget's template for each row was a fifth of the pledge list's time
    (docs/performance.md). tests/test_admin.py checks it against Django's."""

    def action_checkbox(self, obj: Model) -> SafeString:
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(gettext(_SELECT_FOR_ACTION), str(obj)),
        )
