"""Dates as each language writes them.

Every language shows the Gregorian date in its own words (month names from the message
catalogs: Dari and Pashto use the Afghan ones, جنوری، فبروری …, not Iran's). Dari and Pashto
pages add the Solar Hijri date, as Afghan official documents do, with the Afghan month names:
the zodiac names in Dari (حمل، ثور …) and their Pashto names (وری، غویی …).

The calendar arithmetic is jdatetime's; the names and the formats are ours. Digits stay
Western (0–9) in every language: references, figures and dates then read the same in both
columns of a bilingual record and can be typed back into a form (docs/languages.md).
"""

import datetime
import functools

import jdatetime
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_noop, pgettext_lazy

from committee.core.translations import active_language

SOLAR_HIJRI_MONTHS = {
    "fa": (
        "حمل",
        "ثور",
        "جوزا",
        "سرطان",
        "اسد",
        "سنبله",
        "میزان",
        "عقرب",
        "قوس",
        "جدی",
        "دلو",
        "حوت",
    ),
    "ps": (
        "وری",
        "غویی",
        "غبرګولی",
        "چنګاښ",
        "زمری",
        "وږی",
        "تله",
        "لړم",
        "لیندۍ",
        "مرغومی",
        "سلواغه",
        "کب",
    ),
}
# Languages whose SHORT_DATE_FORMAT reads well in a table; Dari and Pashto write the month's
# name there too ("Y/n/j" is the Iranian habit).
SHORT_DATES = {"en", "ru", "kk"}
# What follows the year: "solar Hijri" as each language abbreviates it.
SOLAR_HIJRI_ERA = {"fa": "هـ ش", "ps": "لمریز"}

# Django's own month names, named again here so that makemessages copies them into our
# catalogs: there the Afghan names (Dari, Pashto) and Kazakh's lower-case month after a day
# take precedence over Django's (whose Persian ones are Iran's). Never read, only extracted.
_GREGORIAN_MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
_GREGORIAN_MONTHS_AFTER_A_DAY = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)


def language_now(language: str | None = None) -> str:
    return language.split("-")[0] if language else active_language()


def solar_hijri(day: datetime.date) -> tuple[int, int, int]:
    """(year, month, day) of the Solar Hijri calendar."""
    converted = jdatetime.date.fromgregorian(date=day)
    return converted.year, converted.month, converted.day


def solar_hijri_date(day: datetime.date, language: str | None = None) -> str:
    """ "18 عقرب 1405 هـ ش" in Dari, "18 لړم 1405 لمریز" in Pashto; empty in other languages."""
    language = language_now(language)
    if language not in SOLAR_HIJRI_MONTHS:
        return ""
    year, month, day_of_month = solar_hijri(day)
    name = SOLAR_HIJRI_MONTHS[language][month - 1]
    return f"{day_of_month} {name} {year} {SOLAR_HIJRI_ERA[language]}"


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    """The day of a moment in the current time zone (as Django's date filter takes it)."""
    if isinstance(value, datetime.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return value


def gregorian_date(value: datetime.date, *, short: bool = False) -> str:
    """The Gregorian date in the active language's words: "9 November 2026", "9 نومبر 2026",
    "9 ноября 2026 г."; `short` for table cells ("9 Nov 2026", "09.11.2026")."""
    if short and language_now() in SHORT_DATES:
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


def _parts(value: datetime.date | datetime.datetime, short: bool) -> tuple[str, str]:
    return _day_parts(_as_date(value), short, language_now())


@functools.lru_cache(maxsize=4096)
def _day_parts(day: datetime.date, short: bool, language: str) -> tuple[str, str]:
    """_parts() of a day, kept: a list of fifty pledges writes the same few dates over and
    over. `language` is the active one, in the key because the words depend on it."""
    return gregorian_date(day, short=short), solar_hijri_date(day, language)


@receiver(setting_changed)
def _forget_dates(**kwargs) -> None:
    # A test or an operator's change of the formats or languages applies to the next date.
    _day_parts.cache_clear()


def long_date(value: datetime.date | datetime.datetime | None, *, short: bool = False) -> str:
    """The date as the active language writes it on a page or in a PDF: Gregorian, and in
    Dari and Pashto the Solar Hijri date in parentheses after it."""
    if value is None:
        return ""
    gregorian, hijri = _parts(value, short)
    return f"{gregorian} ({hijri})" if hijri else gregorian


def date_time(value: datetime.datetime | None) -> str:
    """A moment as the active language writes it, in the current time zone."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{long_date(local.date())}, {formats.time_format(local, 'H:i')}"


def date_html(value: datetime.date | datetime.datetime | None, *, short: bool = False) -> str:
    """long_date() for a table cell: the Gregorian and the Solar Hijri date each kept whole, so
    that a narrow right-to-left cell wraps between them, never inside one."""
    if value is None:
        return ""
    gregorian, hijri = _parts(value, short)
    gregorian = format_html('<span class="date-part">{}</span>', gregorian)
    if not hijri:
        return gregorian
    return format_html('{} <span class="date-part">({})</span>', gregorian, hijri)
