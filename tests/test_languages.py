"""Choosing the language, and dates as each language writes them (Afghan calendars)."""

import datetime
import re
from pathlib import Path

import jdatetime
import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from committee.core import calendars
from committee.members.models import User
from tests import factories

PASSWORD = "correct horse battery staple"  # tests/factories.py
LANGUAGE_NAMES = {"en": "English", "fa": "دری", "ps": "پښتو", "ru": "Русский", "kk": "Қазақша"}


def html_attributes(response) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)"', response.content.decode())
    assert match, "no <html lang dir>"
    return match.group(1), match.group(2)


def choose(client, code, next_url="/"):
    return client.post("/accounts/language/", {"language": code, "next": next_url})


# --- The switcher -------------------------------------------------------------------------


def test_the_sign_in_page_offers_every_language_in_its_own_name(client, db):
    page = client.get("/accounts/login/").content.decode()
    for code, name in LANGUAGE_NAMES.items():
        assert re.search(rf'value="{code}" lang="{code}"[^>]*>{name}</button>', page), code


def test_every_signed_in_page_has_the_switcher(client, world):
    client.force_login(world.azizi)
    for url in ("/", "/pledges/", f"/pledges/{world.af_pledge.pk}/", "/members/"):
        assert 'action="/accounts/language/"' in client.get(url).content.decode(), url


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_pages_turn_right_to_left_exactly_for_dari_and_pashto(client, db, code):
    choose(client, code)
    lang, direction = html_attributes(client.get("/accounts/login/"))
    assert lang == code
    assert direction == ("rtl" if code in {"fa", "ps"} else "ltr")


def test_the_browser_language_is_the_first_guess(db):
    browser = Client(headers={"accept-language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert html_attributes(browser.get("/accounts/login/")) == ("ru", "ltr")


def test_a_choice_before_signing_in_beats_the_browser_and_follows_onto_the_account(world):
    browser = Client(headers={"accept-language": "ru"})
    response = choose(browser, "fa", "/accounts/login/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert html_attributes(browser.get("/accounts/login/")) == ("fa", "rtl")

    browser.post("/accounts/login/", {"username": "azizi", "password": PASSWORD})
    assert User.objects.get(pk=world.azizi.pk).language == "fa"


def test_a_signed_in_choice_is_kept_on_the_account_for_every_device(world):
    laptop = Client(headers={"accept-language": "en"})
    laptop.force_login(world.torebayev)
    choose(laptop, "kk")
    assert User.objects.get(pk=world.torebayev.pk).language == "kk"

    # Another device whose browser asks for Russian, with no cookie of its own.
    phone = Client(headers={"accept-language": "ru"})
    assert phone.post("/accounts/login/", {"username": "torebayev", "password": PASSWORD})
    response = phone.get("/")
    assert html_attributes(response) == ("kk", "ltr")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"


def test_unknown_languages_and_foreign_addresses_are_refused(world, client):
    client.force_login(world.azizi)
    response = choose(client, "de", "https://evil.example/")
    assert response["Location"] == "/"
    assert User.objects.get(pk=world.azizi.pk).language == ""


def test_switching_needs_a_post_with_the_csrf_token(world):
    browser = Client(enforce_csrf_checks=True)
    assert browser.get("/accounts/language/").status_code == 405
    assert choose(browser, "fa").status_code == 403


# --- Afghan dates -------------------------------------------------------------------------

DARI_MONTHS = calendars.SOLAR_HIJRI_MONTHS["fa"]
PASHTO_MONTHS = calendars.SOLAR_HIJRI_MONTHS["ps"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Nowruz falls on 21 March after a common year, on 20 March after a leap year.
        (datetime.date(2026, 3, 20), (1404, 12, 29)),
        (datetime.date(2026, 3, 21), (1405, 1, 1)),
        (datetime.date(2025, 3, 20), (1403, 12, 30)),  # 1403 is a leap year: 30 Hut
        (datetime.date(2025, 3, 21), (1404, 1, 1)),
        (datetime.date(2024, 3, 19), (1402, 12, 29)),
        (datetime.date(2024, 3, 20), (1403, 1, 1)),
        (datetime.date(2026, 11, 9), (1405, 8, 18)),
    ],
)
def test_solar_hijri_dates_agree_with_the_library(day, expected):
    assert calendars.solar_hijri(day) == expected
    converted = jdatetime.date.fromgregorian(date=day)
    assert (converted.year, converted.month, converted.day) == expected


def test_solar_hijri_dates_carry_the_afghan_month_names():
    assert calendars.solar_hijri_date(datetime.date(2026, 3, 21), "fa") == "1 حمل 1405 هـ ش"
    assert calendars.solar_hijri_date(datetime.date(2026, 3, 21), "ps") == "1 وری 1405 لمریز"
    assert calendars.solar_hijri_date(datetime.date(2026, 11, 9), "fa") == "18 عقرب 1405 هـ ش"
    assert calendars.solar_hijri_date(datetime.date(2026, 11, 9), "ps") == "18 لړم 1405 لمریز"
    assert calendars.solar_hijri_date(datetime.date(2026, 11, 9), "ru") == ""
    # Afghan names, not Iran's (Farvardin, Aban…).
    assert "فروردین" not in DARI_MONTHS
    assert "آبان" not in DARI_MONTHS
    assert len(set(DARI_MONTHS)) == len(set(PASHTO_MONTHS)) == 12


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "9 November 2026"),
        ("fa", "9 نومبر 2026 (18 عقرب 1405 هـ ش)"),
        ("ps", "9 نومبر 2026 (18 لړم 1405 لمریز)"),
        ("ru", "9 ноября 2026 г."),
        ("kk", "9 қараша 2026 ж."),
    ],
)
def test_each_language_writes_the_date_its_own_way(code, expected):
    with translation.override(code):
        assert calendars.long_date(datetime.date(2026, 11, 9)) == expected


def test_dari_pages_use_afghan_months_not_iranian_ones(client, world):
    world.af_pledge.due_on = datetime.date(2026, 11, 9)
    world.af_pledge.save()
    client.force_login(world.azizi)
    choose(client, "fa")
    page = client.get(f"/pledges/{world.af_pledge.pk}/").content.decode()
    assert "9 نومبر 2026 (18 عقرب 1405 هـ ش)" in page
    assert "نوامبر" not in page


# --- The catalogs and the pages in every language --------------------------------------------

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_catalog_is_complete(code):
    catalog = polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))
    assert [entry.msgid for entry in catalog.untranslated_entries()] == []
    assert [entry.msgid for entry in catalog.fuzzy_entries()] == []
    assert not catalog.obsolete_entries()


def english_msgids(code: str) -> set[str]:
    """Interface strings whose translation differs from the English: seeing one of them on a
    page in `code` means a string was left untranslated."""
    catalog = polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))
    return {
        entry.msgid
        for entry in catalog.translated_entries()
        if "%" not in entry.msgid and entry.msgstr and entry.msgstr != entry.msgid
    }


def visible_texts(html: str) -> list[str]:
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    # Each language names itself in the switcher, in its own script, on every page.
    html = re.sub(r'(?s)<form class="language-switcher".*?</form>', " ", html)
    html = re.sub(r'(?s)<option value="\w+" lang="\w+"[^>]*>.*?</option>', " ", html)
    html = re.sub(r'(?s)<[^>]+(?:aria-label|title|placeholder|alt)="([^"]*)"', r"<\1>", html)
    texts = re.split(r"<[^>]*>", html)
    return [" ".join(text.split()) for text in texts if text.strip()]


PAGES = [
    "/",
    "/pledges/",
    "/pledges/{af_pledge}/",
    "/agreements/",
    "/agreements/{agreement}/",
    "/meetings/",
    "/meetings/calendar/",
    "/members/",
    "/reports/implementation/",
    "/accounts/password_change/",
]


@pytest.mark.parametrize("code", TRANSLATED)
@pytest.mark.parametrize("persona", ["azizi", "torebayev", "observer", "staff"])
def test_no_interface_string_is_left_in_english(client, world, sign_in, code, persona):
    user = getattr(world, persona)
    user.language = code
    user.save()
    sign_in(user)
    english = english_msgids(code)
    for template in PAGES:
        url = template.format(af_pledge=world.af_pledge.pk, agreement=world.agreement.pk)
        response = client.get(url)
        assert response.status_code == 200, url
        assert html_attributes(response) == (code, "rtl" if code in {"fa", "ps"} else "ltr")
        left = [text for text in visible_texts(response.content.decode()) if text in english]
        assert left == [], f"{url} in {code}: {left}"


@pytest.mark.parametrize(("code", "direction"), [("fa", "rtl"), ("ps", "rtl"), ("ru", "ltr")])
def test_the_admin_follows_the_language_pashto_included(client, world, sign_in, code, direction):
    # Django has no Pashto catalog: its own admin words stay English, ours are Pashto, and
    # the page still turns right to left and answers normally.
    world.staff.language = code
    world.staff.is_superuser = True
    world.staff.save()
    sign_in(world.staff)
    for url in ("/admin/", "/admin/agreements/pledge/", "/admin/meetings/meeting/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert html_attributes(response) == (code, direction)
    with translation.override(code):
        assert translation.gettext("pledges") in client.get("/admin/").content.decode()


def test_delegations_stay_together_when_their_names_are_not_yet_translated(client, world):
    # Names entered before Dari existed: the Dari column is empty, English stands in.
    factories.MemberFactory(committee=world.committee, party=world.af, full_name="Second Afghan")
    factories.MemberFactory(committee=world.committee, party=world.kz, full_name="Second Kazakh")
    type(world.af).objects.update(name_fa=None)
    world.azizi.language = "fa"
    world.azizi.save()
    client.force_login(world.azizi)
    page = client.get("/members/").content.decode()
    headings = re.findall(r'<h3 class="h6">([^<]+)</h3>', page)
    assert sorted(headings) == sorted(set(headings))  # each delegation once
    assert {"Afghanistan", "Kazakhstan"} <= set(headings)


@pytest.mark.parametrize("code", ["fa", "ps", "ru", "kk"])
def test_djangos_empty_choice_reads_in_every_language(code):
    # Django 6.1's own catalogs lack it: a Dari select would read "- Select an option -".
    from django.db.models.fields import BLANK_CHOICE_LABEL

    with translation.override(code):
        assert str(BLANK_CHOICE_LABEL) != "- Select an option -"
