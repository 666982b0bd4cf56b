"""Text as people type it: in the portal's forms, the admin and the sign-in page.

What a text may not hold, and why:

- Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) turn the
  text around them on the page, in exports and in print ("Trojan Source" spoofing): an agenda
  title with U+202E printed reversed in the Dari minutes. Dari and Pashto need none of them:
  the portal isolates mixed text itself (<bdi>, dir="auto", the PDFs' direction()).
- Control characters other than tab and line feed print as boxes or break exports. A carriage
  return, a vertical tab or form feed (Word's manual line and page breaks, pasted), NEL and
  U+2028/U+2029 are line breaks: a multi-line text keeps them as a line feed.
- A single-line text (a title, a name, a place) holds no line break and no tab.

What stays: the zero-width non-joiner (U+200C, the nim-fasele of Dari and Pashto) and joiner
(U+200D), which are spelling; the marks LRM, RLM and ALM (U+200E, U+200F, U+061C), which some
Persian keyboards type and which act as one invisible letter of a direction, turning nothing
around.

Where: form fields (OneLineFormField, MultiLineFormField) clean what a person typed, silently,
because the characters are invisible: a message asking to remove them would ask for what
nobody can see, and removing them changes no letter, only the order the letters are shown
in. A line break in a single-line text becomes a space: a title pasted from a document keeps
its words apart. NUL is refused, not removed (Django's validator): nobody types or pastes
it, and PostgreSQL cannot store it. Passwords are never cleaned: they are not shown, and a
changed password would lock its owner out.

Programs are told instead: the model fields (OneLineField, MultiLineField) refuse such text
in full_clean(), and each record's CHECK constraint (plain_texts_constraint) refuses it
whatever writes (a script, a bulk update, psql).
"""

import re
import unicodedata
from collections.abc import Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname

_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"

# What a stored text may not hold, as one regular expression that Python and PostgreSQL
# both read (PostgreSQL cannot store NUL at all, and its expressions cannot name it).
MULTI_LINE_FORBIDDEN = (
    r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
ONE_LINE_FORBIDDEN = r"[\x01-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"

_bidi_controls = re.compile(f"[{_BIDI_CONTROLS}]")
_line_break = re.compile(f"\r\n|[{_LINE_BREAKS}]")
_controls = re.compile("[\x01-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")  # NUL is left to refuse
_break_in_a_line = re.compile(r"\s*\n\s*|\t")
_multi_line_forbidden = re.compile(MULTI_LINE_FORBIDDEN)
_one_line_forbidden = re.compile(ONE_LINE_FORBIDDEN)


def plain_text(value: str) -> str:
    """Text of several lines as typed, without the invisible characters that turn it around
    or break it elsewhere; every line break is a line feed."""
    value = _bidi_controls.sub("", value)
    value = _line_break.sub("\n", value)
    return _controls.sub("", value)


def single_line(value: str) -> str:
    """A single line as typed: plain_text(), and each line break (with the spaces around it)
    and each tab one space."""
    return _break_in_a_line.sub(" ", plain_text(value))


def _codes(characters) -> str:
    return ", ".join(f"U+{ord(character):04X}" for character in sorted(set(characters)))


def _refuse(value: str, *, single_line: bool) -> None:
    found = (_one_line_forbidden if single_line else _multi_line_forbidden).findall(value)
    if not found:
        return
    bidi = [c for c in found if _bidi_controls.match(c)]
    breaks = [c for c in found if single_line and c in _LINE_BREAKS]
    others = [c for c in found if c not in bidi and c not in breaks]
    errors = []
    if bidi:
        errors.append(
            ValidationError(
                _(
                    "This text contains an invisible character that changes the direction "
                    "of the text around it (%(characters)s); remove it."
                ),
                code="bidi_control",
                params={"characters": _codes(bidi)},
            )
        )
    if breaks:
        errors.append(
            ValidationError(
                _("This text holds a single line; remove the line break (%(characters)s)."),
                code="line_break",
                params={"characters": _codes(breaks)},
            )
        )
    if others:
        errors.append(
            ValidationError(
                _("This text contains an invisible control character (%(characters)s); remove it."),
                code="control_character",
                params={"characters": _codes(others)},
            )
        )
    raise ValidationError(errors)


def validate_multi_line(value: str) -> None:
    """Refuse what plain_text() would remove (a carriage return, of texts typed before forms
    cleaned them, is let be)."""
    _refuse(value, single_line=False)


def validate_one_line(value: str) -> None:
    """Refuse what single_line() would remove or replace."""
    _refuse(value, single_line=True)


# --- Form fields: clean what a person typed -------------------------------------------------


class OneLineFormField(forms.CharField):
    """An input of one line: cleaned by single_line() before it is stripped and validated."""

    def to_python(self, value):
        if isinstance(value, str):
            value = single_line(value)
        return super().to_python(value)


class MultiLineFormField(forms.CharField):
    """A text area: cleaned by plain_text() before it is stripped and validated."""

    def to_python(self, value):
        if isinstance(value, str):
            value = plain_text(value)
        return super().to_python(value)


# --- Model fields: every form made from them cleans, full_clean() refuses -------------------


class OneLineField(models.CharField):
    """A line of text a person types: a title, a name, a place."""

    default_validators = [ProhibitNullCharactersValidator(), validate_one_line]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": OneLineFormField, **kwargs})


class MultiLineField(models.TextField):
    """Text of several lines a person types: a summary, a discussion, a note."""

    default_validators = [ProhibitNullCharactersValidator(), validate_multi_line]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MultiLineFormField, **kwargs})


def in_every_language(*names: str) -> list[str]:
    """The columns of texts kept in every content language: the field's own column and one
    per language (modeltranslation adds them when the model is registered)."""
    return [
        column
        for name in names
        for column in (
            name,
            *(build_localized_fieldname(name, code) for code in mt_settings.AVAILABLE_LANGUAGES),
        )
    ]


def plain_texts_constraint(
    name: str, *, one_line: Sequence[str] = (), multi_line: Sequence[str] = ()
) -> models.CheckConstraint:
    """The database's rule for the text columns of a record: what the model fields refuse,
    refused by PostgreSQL too. Pass every column, in every language (in_every_language())."""
    condition = Q()
    for column in one_line:
        condition &= ~Q(**{f"{column}__regex": ONE_LINE_FORBIDDEN})
    for column in multi_line:
        condition &= ~Q(**{f"{column}__regex": MULTI_LINE_FORBIDDEN})
    return models.CheckConstraint(
        condition=condition,
        name=name,
        violation_error_message=_(
            "A text contains an invisible character that changes the direction of the text "
            "around it, a control character, or a line break where one line is expected."
        ),
    )


def direction(value: str) -> str:
    """ "rtl" or "ltr": the direction of the first letter with one, as a browser's dir="auto"
    finds it (WeasyPrint, which prints the PDFs, has no dir="auto")."""
    for character in value:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"
