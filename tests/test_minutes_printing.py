"""The minutes as a print-ready page and as an archival PDF/A: content, scripts, permissions,
the URL fetcher that reaches only our static files, the time limit, and query budgets."""

import dataclasses
import datetime
import hashlib
import io
import logging
import re

import pypdf
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import pgettext

from committee.agreements.models import Pledge, PledgeReview
from committee.core import calendars
from committee.meetings import printing
from committee.meetings.models import AgendaItem, Attendance, Meeting, Minutes
from committee.members.models import Member
from tests import factories
from tests.conftest import body, force_login

KAZAKH_NAME = "Әлихан Ғабитұлы Қоңырбаев"  # ә ғ ұ қ ң
KAZAKH_TITLE = "Қазақстан мен Ауғанстан арасындағы сауда: үкімет, һ, і, ө"
RUSSIAN_TITLE = "Двусторонняя торговля и афганский экспорт в Казахстан"
DARI_NAME = "نورالدین عزیزی"
DARI_TITLE = "تجارت دوجانبه میان افغانستان و قزاقستان"
PASHTO_TITLE = "د افغانستان او قزاقستان ترمنځ د سوداګرۍ پراختیا"  # ۍ


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    """PDF text comes back with line breaks (and justified spaces) where the layout put them."""
    return " ".join(text.split())


@pytest.fixture
def session(world):
    """The first session in Kabul: two co-chairs (the Kazakh one named by position only),
    attendance on both sides, three agenda items in five languages, pledges arising."""
    world.af.government_name = "the Government of the Islamic Republic of Afghanistan"
    world.af.government_name_ru = "Правительство Исламской Республики Афганистан"
    world.af.save()
    world.kz.government_name = "the Government of the Republic of Kazakhstan"
    world.kz.government_name_ru = "Правительство Республики Казахстан"
    world.kz.save()
    azizi = world.azizi.memberships.get()
    azizi.honorific = "Alhaj"
    azizi.full_name = "Nooruddin Azizi"
    azizi.position = "Acting Minister of Industry and Commerce"
    azizi.save()
    dpm = factories.MemberFactory(
        committee=world.committee,
        party=world.kz,
        role=Member.Role.CO_CHAIR,
        full_name="",
        position="Deputy Prime Minister of the Republic of Kazakhstan",
    )
    kazakh_expert = factories.MemberFactory(
        committee=world.committee,
        party=world.kz,
        role=Member.Role.EXPERT,
        full_name=KAZAKH_NAME,
        position="Expert",
    )
    dari_member = factories.MemberFactory(
        committee=world.committee,
        party=world.af,
        role=Member.Role.MEMBER,
        full_name=DARI_NAME,
        position="Director of Exports",
    )
    meeting = factories.MeetingFactory(
        committee=world.committee,
        number=1,
        starts_at=datetime.datetime(2026, 3, 12, 5, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 3, 13, 12, 0, tzinfo=datetime.UTC),
        time_zone="Asia/Kabul",
        venue="Ministry of Industry and Commerce",
        city="Kabul",
        host_party=world.af,
    )
    for member, status in [
        (azizi, Attendance.Status.PRESENT),
        (dari_member, Attendance.Status.REMOTE),
        (dpm, Attendance.Status.PRESENT),
        (kazakh_expert, Attendance.Status.PRESENT),
    ]:
        factories.AttendanceFactory(meeting=meeting, member=member, status=status)
    # Created out of order: the minutes print them by position.
    third = factories.AgendaItemFactory(
        meeting=meeting,
        position=3,
        title_en="Transit through Khorgos port",
        discussion_en="The Parties discussed transit.",
        decision_en="Kazakhstan will allocate space at the Khorgos port for Afghan goods.",
        outcome=AgendaItem.Outcome.INSTRUCTED,
    )
    factories.AgendaItemFactory(
        meeting=meeting,
        position=1,
        title_en="Opening of the session",
        decision_en="The Parties adopted the agenda.",
        outcome=AgendaItem.Outcome.AGREED,
    )
    trade = factories.AgendaItemFactory(
        meeting=meeting,
        position=2,
        title_en="Bilateral trade",
        title_ru=RUSSIAN_TITLE,
        title_fa=DARI_TITLE,
        title_ps=PASHTO_TITLE,
        title_kk=KAZAKH_TITLE,
        presenter=azizi,
        discussion_en="The Afghan side reported on trade with Kazakhstan.",
        discussion_fa="طرف افغانی در مورد تجارت با قزاقستان گزارش داد.",
        decision_en="expand annual trade to USD 3 billion.",
        decision_ps="د کلنۍ سوداګرۍ پراختیا.",
        outcome=AgendaItem.Outcome.NOTED,
    )
    ministry = factories.OrganizationFactory(
        party=world.af, name="Ministry of Industry and Commerce"
    )
    Pledge.objects.create(
        committee=world.committee,
        agenda_item=trade,
        number=1,
        title_en="Begin exporting dried fruit to Kazakhstan",
        title_kk="Қазақстанға кептірілген жеміс экспорты",
        responsible_party=world.af,
        lead_organization=ministry,
        sector=world.sector,
        due_on=datetime.date(2026, 9, 30),
    )
    Pledge.objects.create(
        committee=world.committee,
        agenda_item=trade,
        number=2,
        title_en="Report annual trade to the next session",
        sector=world.sector,
        due_on=datetime.date(2027, 3, 1),
    )
    Pledge.objects.create(
        committee=world.committee,
        agenda_item=third,
        number=1,
        title_en="Allocate space at Khorgos port",
        responsible_party=world.kz,
        sector=world.sector,
    )
    factories.MinutesFactory(
        meeting=meeting,
        status=Minutes.Status.CIRCULATED,
        next_session="The second session will be held in Astana in 2027.",
        done_at="Kabul",
        done_on=datetime.date(2026, 3, 13),
        original_count=2,
        authentic_languages=["fa", "kk", "ru", "en"],
        prevailing_language="en",
    )
    return meeting


def get(client, user, url):
    force_login(client, user)
    return client.get(url)


def minutes_url(meeting, suffix="/"):
    return f"/meetings/{meeting.pk}/minutes{suffix}"


CLOSING = (
    "Done at Kabul on 13 March 2026 in two originals, in the Dari, Kazakh, Russian and English "
    "languages, all texts being equally authentic. In case of divergence, the English text "
    "shall prevail."
)


def test_it_prints_the_protocol_on_a_page_without_navigation(client, world, session):
    response = get(client, world.azizi, minutes_url(session))
    assert response.status_code == 200
    html = response.content.decode()
    text = squash(html)
    committee = world.committee.name
    # The committee as the issuing body on a line of its own, then the title of the session.
    assert f'<p class="issuer">{committee}</p>' in html
    assert "<h1>Protocol of the first session</h1>" in html
    assert f"<title>Protocol of the first session — {committee}</title>" in html
    assert "Ministry of Industry and Commerce, Kabul · 12–13 March 2026" in text
    assert "Hosted by Afghanistan" in text
    # Heads of both delegations with their titles; the Kazakh one by position only.
    assert "Alhaj Nooruddin Azizi</bdi>, Acting Minister of Industry and Commerce" in html
    assert "Deputy Prime Minister of the Republic of Kazakhstan" in html
    # Attendance grouped by delegation, co-chair first.
    afghans = text.index("Delegation of Afghanistan")
    kazakhs = text.index("Delegation of Kazakhstan")
    assert afghans < text.index(DARI_NAME) < kazakhs < text.index(KAZAKH_NAME)
    assert "(present remotely)" in text
    # Agenda in order, numbered paragraphs, decisions in the Parties' words.
    positions = [text.index(f'id="item-{n}"') for n in (1, 2, 3)]
    assert positions == sorted(positions)
    assert '<span class="num">2.1</span>' in html
    assert "The Parties noted: expand annual trade to USD 3 billion." in text
    assert "The Parties adopted the agenda." in text
    # A side speaks for itself: no "The Parties instructed:" before it.
    assert '<span class="num">3.2</span> Kazakhstan will allocate space' in html
    # Pledges arising with reference, owner, lead organization and due date.
    assert "S1/2.1" in text
    assert "Begin exporting dried fruit to Kazakhstan" in text
    assert "Joint" in text
    assert "30 Sep 2026" in text
    assert "The second session will be held in Astana in 2027." in text
    assert CLOSING in text
    assert "For the Government of the Islamic Republic of Afghanistan" in text
    assert "For the Government of the Republic of Kazakhstan" in text
    # A print layout: no navigation, no inline styles or scripts (the CSP forbids them).
    assert "navbar" not in html
    assert "style=" not in html
    assert "<style" not in html
    assert "/static/css/print.css" in html
    assert 'class="watermark"' not in html


def test_the_pdf_carries_the_record(client, world, session):
    response = get(client, world.torebayev, minutes_url(session, ".pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="minutes-{world.committee.short_name.lower()}-session-1.pdf"'
    )
    content = body(response)
    text = squash(pdf_text(content))
    assert f"{world.committee.name} Protocol of the first session" in text
    assert "Alhaj Nooruddin Azizi" in text
    assert "Deputy Prime Minister of the Republic of Kazakhstan" in text
    assert DARI_NAME in text
    assert KAZAKH_NAME in text
    items = [text.index(title) for title in ("1. Opening", "2. Bilateral trade", "3. Transit")]
    assert items == sorted(items)
    assert "The Parties noted: expand annual trade to USD 3 billion." in text
    assert "S1/2.1 Begin exporting dried fruit to Kazakhstan" in text
    assert "Ministry of Industry and Commerce" in text
    assert "S1/3.1 Allocate space at Khorgos port Kazakhstan" in text
    assert CLOSING in text
    # The signature blocks side by side: the parties' formal names, then the signatories.
    assert (
        "For the Government of the Islamic Republic of Afghanistan For the Government of the "
        "Republic of Kazakhstan Alhaj Nooruddin Azizi"
    ) in text
    # Running header and "page X of Y" from print.css (so the stylesheet was fetched).
    pages = len(pypdf.PdfReader(io.BytesIO(content)).pages)
    assert f"Page 1 of {pages}" in text
    short_name = world.committee.short_name
    assert f"{short_name} · Protocol of the first session · Circulated for comment" in text


def test_the_pdf_is_pdf_a_3b_with_metadata(client, world, session):
    content = body(get(client, world.staff, minutes_url(session, ".pdf")))
    reader = pypdf.PdfReader(io.BytesIO(content))
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.pdfaid_part == "3"  # pypdf reads pdfaid:part and pdfaid:conformance
    assert xmp.pdfaid_conformance == "B"
    assert b"pdfaid" in content or xmp.pdfaid_part == "3"
    info = reader.metadata
    assert info.title == f"Protocol of the first session — {world.committee.name}"
    assert info.author == world.committee.name
    assert info.subject.startswith("Protocol of the first session, 12–13 March 2026, Kabul")
    # Every font is embedded, as PDF/A requires.
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


@pytest.mark.parametrize(
    ("lang", "expected", "direction"),
    [
        ("kk", ["Қазақстан", KAZAKH_TITLE, "Қазақстанға кептірілген жеміс экспорты"], "ltr"),
        ("ru", [RUSSIAN_TITLE], "ltr"),
        ("fa", [DARI_TITLE, "افغانستان", "طرف افغانی در مورد تجارت با قزاقستان گزارش داد"], "rtl"),
        ("ps", [PASHTO_TITLE, "سوداګرۍ", "ۍ"], "rtl"),
    ],
)
def test_a_second_language_prints_side_by_side(client, world, session, lang, expected, direction):
    page = get(client, world.azizi, minutes_url(session) + f"?lang={lang}").content.decode()
    assert f'lang="{lang}" dir="{direction}"' in page
    assert expected[0] in page

    response = client.get(minutes_url(session, ".pdf") + f"?lang={lang}")
    assert response.status_code == 200
    assert f"-en-{lang}" in response["Content-Disposition"]
    text = squash(pdf_text(body(response)))
    for words in expected:
        assert words in text
    assert "Bilateral trade" in text  # the English column stays


def test_an_unknown_second_language_is_ignored(client, world, session):
    page = get(client, world.azizi, minutes_url(session) + "?lang=xx").content.decode()
    assert "parallel" not in page


@pytest.mark.parametrize(
    ("persona", "status", "expected"),
    [
        ("azizi", Minutes.Status.DRAFT, 404),
        ("observer", Minutes.Status.DRAFT, 404),
        ("staff", Minutes.Status.DRAFT, 200),
        ("azizi", Minutes.Status.CIRCULATED, 200),
        ("torebayev", Minutes.Status.CIRCULATED, 200),
        ("observer", Minutes.Status.CIRCULATED, 200),
        ("staff", Minutes.Status.CIRCULATED, 200),
        ("outsider", Minutes.Status.CIRCULATED, 404),
    ],
)
@pytest.mark.parametrize("suffix", ["/", ".pdf"])
def test_who_may_read_which_minutes(client, world, session, persona, status, expected, suffix):
    Minutes.objects.filter(meeting=session).update(status=status)
    response = get(client, getattr(world, persona), minutes_url(session, suffix))
    assert response.status_code == expected


@pytest.mark.parametrize("suffix", ["/", ".pdf"])
def test_a_meeting_without_minutes_has_nothing_to_print(client, world, suffix):
    meeting = factories.MeetingFactory(committee=world.committee)
    assert get(client, world.staff, minutes_url(meeting, suffix)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, session):
    response = client.get(minutes_url(session, ".pdf"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_see_drafts_marked_as_drafts(client, world, session):
    Minutes.objects.filter(meeting=session).update(status=Minutes.Status.DRAFT)
    html = get(client, world.staff, minutes_url(session)).content.decode()
    assert 'class="watermark"' in html
    assert "Draft — not for circulation" in html

    response = client.get(minutes_url(session, ".pdf"))
    assert response["Content-Disposition"].endswith('-session-1-draft.pdf"')
    text = pdf_text(response.content)
    assert "DRAFT" in text
    assert "Draft — not for circulation".upper() in text.upper()


def test_approved_minutes_serve_the_stored_record(client, world, session):
    # Kept in English alone: the other languages of this session lack texts.
    Minutes.objects.filter(meeting=session).update(authentic_languages=[])
    factories.approve_minutes(session.minutes, world.staff)
    minutes = Minutes.objects.get(meeting=session)
    with minutes.pdf.open("rb") as stored:
        record = stored.read()
    assert hashlib.sha256(record).hexdigest() == minutes.pdf_sha256
    assert "APPROVED ON" in pdf_text(record).upper()

    response = get(client, world.observer, minutes_url(session, ".pdf"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == record
    assert response["ETag"] == f'"{minutes.pdf_sha256}"'
    assert response["Content-Disposition"].startswith("inline;")

    # A side-by-side copy is rendered, not the record.
    copy = client.get(minutes_url(session, ".pdf") + "?lang=ru")
    assert body(copy) != record


def test_approved_minutes_serve_the_stored_file_even_if_rendering_would_differ(
    client, world, session
):
    minutes = session.minutes
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_by = world.staff
    minutes.approved_at = timezone.now()
    minutes.pdf.save("record.pdf", ContentFile(b"%PDF-1.7 the stored record"), save=False)
    minutes.save()
    response = get(client, world.azizi, minutes_url(session, ".pdf"))
    assert b"".join(response.streaming_content) == b"%PDF-1.7 the stored record"


def review_item(world, session):
    """A review taken on 12 March 2026 (Kabul time) with a pledge added on the 14th."""
    item = factories.AgendaItemFactory(
        meeting=session,
        position=4,
        title_en="Review of implementation",
        kind=AgendaItem.Kind.IMPLEMENTATION_REVIEW,
    )
    for position, pledge, taken_at in [
        (1, world.kz_pledge, datetime.datetime(2026, 3, 12, 6, 0, tzinfo=datetime.UTC)),
        (2, world.af_pledge, datetime.datetime(2026, 3, 13, 20, 0, tzinfo=datetime.UTC)),
    ]:
        PledgeReview.objects.create(
            agenda_item=item,
            pledge=pledge,
            position=position,
            status=Pledge.Status.AT_RISK,
            progress=40,
            due_on=pledge.due_on,
            taken_at=taken_at,
            remarks="Kazakhstan reported that the land is allocated." if position == 1 else "",
        )
    return item


def test_reviews_of_implementation_are_recorded(client, world, session):
    review_item(world, session)
    html = get(client, world.azizi, minutes_url(session)).content.decode()
    text = squash(html)
    assert "Implementation reviewed" in text
    assert "AF-KZ/1 §" in text
    assert "At risk, 40 %" in text
    assert "Kazakhstan reported that the land is allocated." in text
    # Taken on the 12th in Kabul; the pledge added at 00:30 on the 14th, Kabul time, says so.
    assert '<span class="as-of">Status as of 12 March 2026</span>' in html
    assert html.count('class="as-of"') == 2
    assert 'as of <span class="date-part">14 Mar 2026</span>' in html

    response = client.get(minutes_url(session, ".pdf"))
    assert "Implementation reviewed Status as of 12 March 2026" in squash(pdf_text(body(response)))


@pytest.mark.parametrize("code", ["ru", "fa"])
def test_the_review_date_is_written_in_each_column(client, world, session, code):
    review_item(world, session)
    html = get(client, world.azizi, minutes_url(session) + f"?lang={code}").content.decode()
    with translation.override(code):
        day = calendars.long_date(datetime.date(2026, 3, 12))
        status_as_of = translation.gettext("Status as of %(date)s") % {"date": day}
    assert f'<span class="as-of">{status_as_of}</span>' in html
    assert "Status as of 12 March 2026" in html  # the English column


def test_the_meeting_page_says_when_the_review_was_taken(client, world, session):
    review_item(world, session)
    page = get(client, world.staff, f"/meetings/{session.pk}/").content.decode()
    assert "Status as of 12 March 2026" in page
    assert 'as of <span class="date-part">14 Mar 2026</span>' in page


def test_the_review_prints_before_the_next_session(client, world, session):
    from committee.agreements.services import implementation_review_add

    Minutes.objects.filter(meeting=session).update(status=Minutes.Status.DRAFT)
    factories.AgendaItemFactory(
        meeting=session,
        position=4,
        kind=AgendaItem.Kind.NEXT_SESSION,
        title_en="Date and place of the next session",
    )
    implementation_review_add(meeting=session)
    html = get(client, world.staff, minutes_url(session)).content.decode()
    rows = dict(re.findall(r'(?s)<tr class="item-row" id="item-(\d+)">(.*?)</tr>', html))
    assert "Review of the implementation of earlier decisions" in rows["4"]
    assert "Status as of" in rows["4"]
    assert "Date and place of the next session" in rows["5"]


# --- The sandbox seen from the minutes (the sandbox itself: test_pdf_sandbox.py) ---------


def test_user_text_with_markup_is_printed_as_text_and_fetches_nothing(
    client, world, session, web_server, caplog
):
    address, hits = web_server
    AgendaItem.objects.filter(meeting=session, position=1).update(
        discussion_en=(
            f'<img src="file:///etc/passwd"><link rel="stylesheet" href="{address}/x.css">'
        )
    )
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        response = get(client, world.staff, minutes_url(session, ".pdf"))
    content = body(response)
    text = pdf_text(content)
    assert '<img src="file:///etc/passwd">' in squash(text)  # shown, escaped, not loaded
    assert "root:" not in text
    assert hits == []
    assert not caplog.records  # nothing was even asked for
    assert all(not page.images for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_page_says_so_when_rendering_times_out(client, world, session, settings):
    settings.PDF_RENDER_TIMEOUT = 0.001
    response = get(client, world.staff, minutes_url(session, ".pdf"))
    assert response.status_code == 503
    assert "could not be produced" in response.content.decode()


# --- The next session ---------------------------------------------------------------------

NEXT_SESSION = "The second session will be held in Astana in 2027."
NEXT_SESSION_RU = "Второе заседание состоится в Астане в 2027 году."


def item_paragraphs(html: str, position: int) -> list[list[tuple[str, str]]]:
    """The numbered paragraphs of agenda item `position`, in each column."""
    row = re.search(rf'(?s)<tr class="item-row" id="item-{position}">(.*?)</tr>', html).group(1)
    return [
        [
            (number, visible(text))
            for number, text in re.findall(
                r'(?s)<p class="paragraph"><span class="num">([\d.]+)</span>(.*?)</p>', cell
            )
        ]
        for cell in re.findall(r"(?s)<td [^>]*>(.*?)</td>", row)
    ]


@pytest.mark.parametrize(
    ("query", "texts"), [("", [NEXT_SESSION]), ("?lang=ru", [NEXT_SESSION, NEXT_SESSION_RU])]
)
def test_the_next_session_is_stated_once_under_its_item(client, world, session, query, texts):
    Minutes.objects.filter(meeting=session).update(next_session_ru=NEXT_SESSION_RU)
    factories.AgendaItemFactory(
        meeting=session,
        position=4,
        kind=AgendaItem.Kind.NEXT_SESSION,
        title_en="Date and place of the next session",
        decision_en=NEXT_SESSION,
        decision_ru=NEXT_SESSION_RU,
        outcome=AgendaItem.Outcome.AGREED,
    )
    html = get(client, world.staff, minutes_url(session) + query).content.decode()
    assert "next-session-row" not in html
    # The item's decision says it: printed once, as a decision.
    lead_ins = ["The Parties agreed: ", "Стороны согласились: "]
    assert item_paragraphs(html, 4) == [
        [("4.1", lead_in + text)] for lead_in, text in zip(lead_ins, texts, strict=False)
    ]
    for text in texts:
        assert html.count(text) == 1


def test_the_next_session_follows_the_decision_of_its_item_when_it_says_more(
    client, world, session
):
    factories.AgendaItemFactory(
        meeting=session,
        position=4,
        kind=AgendaItem.Kind.NEXT_SESSION,
        title_en="Date and place of the next session",
        discussion_en="Kazakhstan offered to host the session.",
        decision_en="The Parties agreed to meet in Kazakhstan.",
        outcome=AgendaItem.Outcome.AGREED,
    )
    html = get(client, world.staff, minutes_url(session)).content.decode()
    assert "next-session-row" not in html
    assert item_paragraphs(html, 4) == [
        [
            ("4.1", "Kazakhstan offered to host the session."),
            ("4.2", "The Parties agreed to meet in Kazakhstan."),
            ("4.3", NEXT_SESSION),
        ]
    ]


def test_without_an_item_on_it_the_next_session_is_a_section_of_its_own(client, world, session):
    html = get(client, world.staff, minutes_url(session)).content.decode()
    section = html[html.index('class="next-session-row"') : html.index('class="closing-row"')]
    assert NEXT_SESSION in section


# --- Signatures ---------------------------------------------------------------------------


def signature_rows(html: str) -> list[list[list[str]]]:
    """Each column's signature table as rows of cells, each cell as its texts."""
    return [
        [
            [visible(cell) for cell in re.findall(r"(?s)<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"(?s)<tr>(.*?)</tr>", table)
        ]
        for table in re.findall(r'(?s)<table class="signatures">(.*?)</table>', html)
    ]


def visible(fragment: str) -> str:
    return squash(re.sub(r"<[^>]+>", " ", fragment))


def caption(code: str, context: str, word: str) -> str:
    with translation.override(code):
        return pgettext(context, word)


NAME_CAPTION = (
    "caption under a blank line of a signature block, where the signatory writes their name by "
    "hand",
    "Name",
)
DATE_PLACE_CAPTION = (
    "caption under a blank line of a signature block, where the signatory writes the date and "
    "place of signing",
    "Date and place",
)


@pytest.mark.parametrize(
    ("code", "afghanistan", "kazakhstan"),
    [
        (
            "en",
            "For the Government of the Islamic Republic of Afghanistan",
            "For the Government of the Republic of Kazakhstan",
        ),
        (
            "ru",
            "За Правительство Исламской Республики Афганистан",
            "За Правительство Республики Казахстан",
        ),
    ],
)
def test_the_signature_blocks_stand_parallel(client, world, session, code, afghanistan, kazakhstan):
    """One block per party side by side, in a single-language print and beside another
    language alike: the formal name, a line to sign on, the name (a blank line to write it
    in where the record names the position only), the position, a line for date and place."""
    for url in (f"?original={code}", f"?original={code}&lang=fa"):
        html = get(client, world.staff, minutes_url(session) + url).content.decode()
        tables = signature_rows(html)
        assert len(tables) == (2 if "lang=" in url else 1)
        parties, signatures, date_place = tables[0]
        assert parties == [afghanistan, kazakhstan]
        name, position = caption(code, *NAME_CAPTION), "Deputy Prime Minister"
        azizi, dpm = signatures
        assert "Alhaj Nooruddin Azizi" in azizi  # (in Russian: marked untranslated)
        assert dpm.startswith(name)
        assert position in dpm
        assert date_place == [caption(code, *DATE_PLACE_CAPTION)] * 2
        assert html.count('class="signature-line"') == 2 * len(tables)
        assert html.count('class="write-in-line"') == 3 * len(tables)


def test_a_party_without_a_formal_name_signs_by_its_name_and_one_without_a_head_still_signs(
    client, world, session
):
    world.af.government_name = world.af.government_name_ru = ""
    world.af.save()
    Member.objects.filter(party=world.kz, role=Member.Role.CO_CHAIR).update(role=Member.Role.MEMBER)
    html = get(client, world.staff, minutes_url(session)).content.decode()
    [(parties, signatures, date_place)] = signature_rows(html)
    assert parties == ["For Afghanistan", "For the Government of the Republic of Kazakhstan"]
    assert signatures[1] == "Name"
    assert len(date_place) == 2


def test_an_approval_is_printed_under_its_block(world, session):
    meeting = printing.minutes_queryset().get(pk=session.pk)
    context = printing.minutes_context(meeting)
    column = context["columns"][0]
    assert not column.approvals
    column.signatures[0] = dataclasses.replace(
        column.signatures[0], approval="Approved in the portal on 12 March 2026"
    )
    html = render_to_string("meetings/minutes.html", context)
    [(_parties, _signatures, _date_place, approvals)] = signature_rows(html)
    assert approvals == ["Approved in the portal on 12 March 2026", ""]


# --- Wording ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "decision", "expected"),
    [
        (
            "agreed",
            "Kazakhstan will train staff.",
            "The Parties agreed: Kazakhstan will train staff.",
        ),
        ("agreed", "The Parties agreed to meet.", "The Parties agreed to meet."),
        ("noted", "the report.", "The Parties noted: the report."),
        ("instructed", "MoIC to send the list.", "The Parties instructed: MoIC to send the list."),
        ("deferred", "", "The Parties agreed to defer this item."),
        ("withdrawn", "", "The item was withdrawn."),
        ("agreed", "", ""),
        ("pending", "Not yet.", "Not yet."),
    ],
)
def test_decisions_speak_for_the_parties(outcome, decision, expected):
    item = AgendaItem(outcome=outcome, decision_en=decision)
    assert printing.decision_text(item, "en") == expected


@pytest.mark.parametrize(
    ("code", "outcome", "decision", "expected"),
    [
        # Its own lead-in, in a later sentence: not repeated before the first.
        (
            "en",
            "instructed",
            "The Kazakh side will ease visas. The Parties instructed MoIC to send the list.",
            "The Kazakh side will ease visas. The Parties instructed MoIC to send the list.",
        ),
        (
            "ru",
            "instructed",
            "Казахстанская сторона упростит визовые процедуры. Стороны поручили МПТ направить "
            "список.",
            "Казахстанская сторона упростит визовые процедуры. Стороны поручили МПТ направить "
            "список.",
        ),
        (
            "fa",
            "instructed",
            "قزاقستان کارمندان را آموزش خواهد داد. طرفین به اداره هدایت دادند تا کارمندان را "
            "معرفی نماید.",
            "قزاقستان کارمندان را آموزش خواهد داد. طرفین به اداره هدایت دادند تا کارمندان را "
            "معرفی نماید.",
        ),
        ("kk", "agreed", "Тараптар байланыстарды нығайтады.", "Тараптар байланыстарды нығайтады."),
        # A side speaks: by the party's name, or as "the … side".
        ("en", "agreed", "Kazakhstan will allocate space.", "Kazakhstan will allocate space."),
        (
            "en",
            "agreed",
            "The Afghan side will send the list.",
            "The Afghan side will send the list.",
        ),
        ("ru", "agreed", "Казахстан выделит площади.", "Казахстан выделит площади."),
        ("ps", "agreed", "قزاقستان به ځای ځانګړی کړي.", "قزاقستان به ځای ځانګړی کړي."),
        # A body of a party is no side, a short name no prefix, several sentences one lead-in.
        (
            "en",
            "instructed",
            "the Afghanistan Railway Authority to nominate staff.",
            "The Parties instructed: the Afghanistan Railway Authority to nominate staff.",
        ),
        (
            "en",
            "agreed",
            "after consultations, to meet again.",
            "The Parties agreed: after consultations, to meet again.",
        ),
        (
            "en",
            "agreed",
            "Trade grows. Visas ease.",
            "The Parties agreed: Trade grows. Visas ease.",
        ),
        (
            "ru",
            "agreed",
            "увеличить объём торговли.",
            "Стороны согласились: увеличить объём торговли.",
        ),
    ],
)
def test_a_decision_that_says_who_acts_takes_no_lead_in(world, code, outcome, decision, expected):
    for party, names in ((world.af, "Афганистан افغانستان"), (world.kz, "Казахстан قزاقستان")):
        party.name_ru, party.name_fa = names.split()
        party.name_ps = party.name_fa
    item = AgendaItem(outcome=outcome, **{f"decision_{code}": decision})
    assert printing.decision_text(item, code, [world.af, world.kz]) == expected


def test_a_second_language_column_speaks_its_own_language(monkeypatch):
    item = AgendaItem(
        outcome="agreed", decision_en="Trade grows.", decision_ps="د سوداګرۍ پراختیا."
    )
    assert printing.decision_text(item, "ps") == "اړخونو موافقه وکړه: د سوداګرۍ پراختیا."
    # A formula no catalog translates yet is left out rather than printed in English.
    monkeypatch.setitem(
        printing.OUTCOME_PHRASES, AgendaItem.Outcome.AGREED, "The Parties agreed, newly worded"
    )
    monkeypatch.setitem(
        printing.OUTCOME_PHRASES, AgendaItem.Outcome.DEFERRED, "The Parties deferred, newly"
    )
    assert printing.decision_text(item, "ps") == "د سوداګرۍ پراختیا."
    assert printing.decision_text(AgendaItem(outcome="deferred"), "ps") == ""


def test_the_closing_formula_follows_the_minutes(world):
    meeting = Meeting(city="Almaty", ends_at=timezone.now(), time_zone="Asia/Almaty")
    minutes = Minutes(
        done_at="Almaty",
        done_on=datetime.date(2027, 5, 4),
        original_count=1,
        authentic_languages=["en"],
    )
    assert printing.closing_formula(meeting, minutes) == (
        "Done at Almaty on 4 May 2027 in one original, in the English language."
    )
    minutes.original_count, minutes.authentic_languages = 3, ["ps", "kk", "en"]
    minutes.prevailing_language = "en"
    assert printing.closing_formula(meeting, minutes) == (
        "Done at Almaty on 4 May 2027 in three originals, in the Pashto, Kazakh and English "
        "languages, all texts being equally authentic. In case of divergence, the English text "
        "shall prevail."
    )


@pytest.mark.parametrize(
    ("number", "word"), [(1, "first"), (2, "second"), (12, "twelfth"), (21, "21st"), (113, "113th")]
)
def test_sessions_are_ordinals(number, word):
    assert printing.ordinal(number) == word


# --- Queries ------------------------------------------------------------------------------


def grow(world, meeting, size: int):
    """Add agenda items, attendance, pledges arising and reviews in proportion to `size`.

    Their related rows differ from row to row (the delegation or joint, the lead organization
    or none, the presenter, the sector, a reviewed pledge from an agreement or from a
    session), so that one not read with the rest costs a query per row and the counts tell.
    """
    parties = [world.kz, world.af, None]
    organizations = [
        factories.OrganizationFactory(party=world.kz),
        factories.OrganizationFactory(party=world.af),
        None,
    ]
    members = Member.objects.bulk_create(
        Member(
            committee=world.committee,
            party=world.af if n % 2 else world.kz,
            organization=organizations[n % 3],
            full_name=f"Delegate {n}",
            position="Adviser",
            role=Member.Role.MEMBER,
        )
        for n in range(size * 3)
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=m, status=Attendance.Status.values[n % 4])
        for n, m in enumerate(members)
    )
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=10 + n,
            title_en=f"Item {n}",
            title_fa=f"بند {n}",
            discussion_en="Discussed.",
            decision_en="Agreed.",
            outcome=AgendaItem.Outcome.AGREED,
            presenter=members[n % len(members)],
            sector=world.sector if n % 2 else None,
        )
        for n in range(size)
    )
    arising = Pledge.objects.bulk_create(
        Pledge(
            committee=world.committee,
            agenda_item=item,
            number=k + 1,
            title_en=f"Arising {item.position}.{k}",
            responsible_party=parties[k],
            lead_organization=organizations[(item.position + k) % 3],
            sector=world.sector,
        )
        for item in items
        for k in range(3)
    )
    agreement = factories.AgreementFactory(
        committee=world.committee, reference=f"AF-KZ/S{meeting.number}"
    )
    agreed = Pledge.objects.bulk_create(
        Pledge(
            committee=world.committee,
            agreement=agreement,
            number=n + 1,
            title_en=f"Agreed {n}",
            responsible_party=parties[n % 3],
            lead_organization=organizations[n % 3],
            sector=world.sector,
        )
        for n in range(size * 2)
    )
    review_item = AgendaItem.objects.create(
        meeting=meeting,
        position=10 + size,
        kind=AgendaItem.Kind.IMPLEMENTATION_REVIEW,
        title_en="Review of implementation",
    )
    PledgeReview.objects.bulk_create(
        PledgeReview(
            agenda_item=review_item,
            pledge=pledge,
            position=n + 1,
            status=pledge.status,
            progress=pledge.progress,
            due_on=pledge.due_on,
        )
        for n, pledge in enumerate([*agreed, *arising[::2]])
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("persona", ["azizi", "staff"])
def test_the_minutes_run_a_fixed_number_of_queries(client, world, session, persona):
    force_login(client, getattr(world, persona))
    small = factories.MeetingFactory(committee=world.committee, number=2)
    factories.MinutesFactory(meeting=small, status=Minutes.Status.CIRCULATED)
    grow(world, small, 1)
    large = factories.MeetingFactory(committee=world.committee, number=3)
    factories.MinutesFactory(meeting=large, status=Minutes.Status.CIRCULATED)
    grow(world, large, 40)
    for suffix in ("/", "/?lang=fa", ".pdf"):
        assert count_queries(client, minutes_url(small, suffix)) == count_queries(
            client, minutes_url(large, suffix)
        ), suffix
    # session, user, memberships (for staff: their second-factor device), meeting with
    # committee and minutes, its approvals, parties, attendance, agenda items, pledges
    # arising, reviews; for members the version circulated last (what they read). The session
    # is not written again within five minutes of its last write.
    expected = {"azizi": 11, "staff": 10}[persona]
    assert count_queries(client, minutes_url(large)) == expected


def test_a_text_recorded_only_in_dari_shows_marked_in_the_english_original(client, world, session):
    AgendaItem.objects.filter(meeting=session, position=1).update(
        decision_en="", decision_fa="طرفین آجندا را تصویب نمودند."
    )
    html = get(client, world.staff, minutes_url(session)).content.decode()
    assert 'class="untranslated" lang="fa" dir="rtl"' in html
    assert "طرفین آجندا را تصویب نمودند." in html
    assert "Texts not yet translated" in html


def test_the_review_item_is_titled_in_every_language(world):
    from django.utils import translation

    from committee.agreements.services import implementation_review_add

    item = implementation_review_add(meeting=factories.MeetingFactory(committee=world.committee))
    for code in ("en", "fa", "ps", "ru", "kk"):
        with translation.override(code):
            expected = translation.gettext("Review of the implementation of earlier decisions")
        assert getattr(item, f"title_{code}") == expected
    assert item.title_fa != item.title_en


def test_the_pledge_tables_name_the_focal_points(client, world, session):
    pledge = Pledge.objects.filter(agenda_item__meeting=session).first()
    Pledge.objects.filter(pk=pledge.pk).update(
        focal_point=world.azizi.memberships.get(),
        counterpart_focal_point=world.torebayev.memberships.get(),
    )
    html = get(client, world.staff, minutes_url(session)).content.decode()
    azizi = world.azizi.memberships.get()
    assert "Focal points" in html
    assert f"<bdi>{azizi}</bdi>" in html


def test_observers_attend_apart_from_the_delegations(client, world, session):
    observer = world.observer.memberships.get()
    observer.full_name = "Erlan Observer"
    observer.save()
    factories.AttendanceFactory(meeting=session, member=observer)
    text = squash(get(client, world.azizi, minutes_url(session)).content.decode())
    kazakhs = text.index("Delegation of Kazakhstan")
    observers = text.index("<h3>Observers</h3>")
    assert kazakhs < observers < text.index("Erlan Observer")
    assert "Erlan Observer" not in text[kazakhs:observers]


def test_a_deadline_moved_after_the_session_prints_as_the_session_agreed_it(client, world, session):
    pledge = Pledge.objects.get(
        agenda_item__meeting=session, number=1, title_en__startswith="Begin"
    )
    pledge.due_on = datetime.date(2026, 12, 31)
    pledge.save()  # moved today, long after the session of March 2026
    text = squash(get(client, world.azizi, minutes_url(session)).content.decode())
    assert "30 Sep 2026" in text
    assert "31 Dec 2026" not in text


def test_a_deadline_moved_before_the_session_ended_prints_as_moved(client, world, session):
    pledge = Pledge.objects.get(
        agenda_item__meeting=session, number=1, title_en__startswith="Begin"
    )
    pledge.due_on = datetime.date(2026, 12, 31)
    pledge.save()
    Pledge.objects.filter(pk=pledge.pk).update(due_moved_at=session.starts_at)
    text = squash(get(client, world.azizi, minutes_url(session)).content.decode())
    assert "31 Dec 2026" in text
    assert "30 Sep 2026" not in text
