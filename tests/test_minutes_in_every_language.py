"""The demo minutes in every language and every pair of languages: no gap, no English stand-in,
each column with its own headings, dates and direction; the PDFs carry Afghan dates."""

import io
import itertools

import pypdf
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from committee.agreements.demo import data
from committee.meetings import printing
from committee.meetings.models import Meeting

CODES = [code for code, _name in settings.LANGUAGES]
RTL = {"fa", "ps"}
COMBINATIONS = [(code, None) for code in CODES] + list(itertools.permutations(CODES, 2))


@pytest.fixture
def demo_meeting(db):
    call_command("load_demo", stdout=io.StringIO())
    return printing.minutes_queryset().get(pk=Meeting.objects.get().pk)


def heading_in(code: str) -> str:
    with translation.override(code):
        return translation.gettext("Discussions and decisions")


def test_every_combination_prints_without_gaps(demo_meeting):
    assert len(COMBINATIONS) == 25
    for original, second in COMBINATIONS:
        html = printing.render_minutes_html(demo_meeting, original=original, second_language=second)
        label = f"{original}+{second}"
        assert 'class="untranslated"' not in html, label
        assert f'<html lang="{original}" dir="{"rtl" if original in RTL else "ltr"}"' in html
        for code in filter(None, (original, second)):
            direction = "rtl" if code in RTL else "ltr"
            assert f'<td lang="{code}" dir="{direction}">' in html, label
            assert heading_in(code) in html, label
        context = printing.minutes_context(demo_meeting, original=original, second_language=second)
        assert context["missing"] == [], label
        for column in context["columns"]:
            for item in column.items:
                assert item.title.value, (label, item)
                assert item.title.lang == column.lang, (label, item)
                assert item.paragraphs, (label, item.position)


def test_every_column_is_titled_the_protocol_of_the_session(demo_meeting):
    """The committee as the issuing body on a line of its own, in the nominative its record
    gives, and under it the title of the session, in each column's words; never "Session 1"."""
    for original, second in COMBINATIONS:
        html = printing.render_minutes_html(demo_meeting, original=original, second_language=second)
        label = f"{original}+{second}"
        for code in filter(None, (original, second)):
            with translation.override(code):
                title = printing.protocol_title(demo_meeting)
                first = translation.gettext("first")
                session_label = translation.gettext("Session %(number)s") % {"number": 1}
            committee = getattr(demo_meeting.committee, f"name_{code}")
            assert first in title, label
            assert f'<p class="issuer">{committee}</p>' in html, label
            tag = "h1" if code == original else 'p class="h1" role="heading" aria-level="1"'
            assert f"<{tag}>{title}</" in html, label
            assert session_label not in html, label


def test_each_government_signs_by_its_formal_name_in_every_language(demo_meeting):
    for code in CODES:
        html = printing.render_minutes_html(demo_meeting, original=code)
        table = html[html.index('<table class="signatures">') :]
        with translation.override(code):
            for party in ("AF", "KZ"):
                name = data.PARTIES[party]["government_name"][code]
                assert translation.gettext("For %(name)s") % {"name": name} in table, code
        # The Kazakh head of delegation is recorded by his office: his name is written in.
        assert data.MEMBERS["dpm"]["position"][code] in table, code
        assert table.count('class="write-in-line"') == 3, code


@pytest.mark.parametrize(
    ("code", "languages"),
    [
        ("en", "in the Dari, Kazakh, Russian and English languages"),
        ("fa", "به زبان‌های دری، قزاقی، روسی و انگلیسی"),
        ("ps", "په دري، قزاقي، روسي او انګلیسي ژبو"),
        ("ru", "на дари, казахском, русском и английском языках"),
        ("kk", "дари, қазақ, орыс және ағылшын тілдерінде"),
    ],
)
def test_the_closing_names_the_authentic_languages_in_words(demo_meeting, code, languages):
    closing = printing.column(demo_meeting, code).closing
    assert languages in closing
    assert not set(closing.replace(",", " ").replace("،", " ").split()) & set(CODES)


def test_every_demo_decision_prints_once_as_recorded(demo_meeting):
    """Each demo decision says who acts (the Parties, or a side by name, with an instruction
    after it): none takes a lead-in, so none repeats one, in any language."""
    for code in CODES:
        column = printing.column(demo_meeting, code)
        for item, spec in zip(column.items, data.AGENDA, strict=True):
            assert item.paragraphs[-1].text.value == spec["decision"][code], (code, item.position)


def test_the_next_session_is_stated_once_in_every_language(demo_meeting):
    """The demo's last item is about the next session: what the minutes record on it is
    printed there, once, and no section after the agenda repeats it."""
    for original, second in COMBINATIONS:
        html = printing.render_minutes_html(demo_meeting, original=original, second_language=second)
        assert "next-session-row" not in html
        for code in filter(None, (original, second)):
            text = data.MINUTES["next_session"][code]
            assert html.count(text) == 1, (original, second, code)


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.parametrize(("original", "second"), [("en", None), ("en", "ru"), ("ru", "kk")])
def test_references_never_break_inside(demo_meeting, original, second):
    """Each reference ("AF-KZ/JIWC/1 §9", "S1/5.1") stands whole on one line of the PDF, in the
    narrow columns beside another language too, where it heads the pledge's title."""
    references = [
        pledge.reference for item in demo_meeting.item_list for pledge in item.pledge_list
    ]
    assert any("§" in reference for reference in references)
    content = printing.render_minutes_pdf(demo_meeting, original=original, second_language=second)
    reader = pypdf.PdfReader(io.BytesIO(content))
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    for reference in references:
        assert any(reference in line for line in lines), (reference, original, second)
    if second:
        html = printing.render_minutes_html(demo_meeting, original=original, second_language=second)
        for reference in references:
            cell = f'<span class="ref-in-title"><bdi dir="ltr">{reference}</bdi></span>'
            assert html.count(cell) == 2, reference


def test_the_dari_russian_pdf_has_afghan_dates_and_both_languages(demo_meeting):
    content = printing.render_minutes_pdf(demo_meeting, original="fa", second_language="ru")
    text = pdf_text(content)
    assert "هـ ش" in text  # the Solar Hijri date beside the Gregorian one
    with translation.override("ru"):
        assert printing.protocol_title(demo_meeting) in text
    assert "Страница 1 из" in text
    assert "نوامبر" not in text  # Iran's month names
    assert "ژانویه" not in text
    pages = len(pypdf.PdfReader(io.BytesIO(content)).pages)
    assert f"из {pages}" in text


def test_the_pashto_pdf_is_pashto_throughout(demo_meeting):
    content = printing.render_minutes_pdf(demo_meeting, original="ps")
    text = pdf_text(content)
    assert "لمریز" in text
    assert "untranslated" not in text
    assert "Page 1 of" not in text
    assert "Protocol of the" not in text
    assert "For the Government" not in text
