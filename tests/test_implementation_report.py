"""The implementation matrix: who sees which pledges, grouping, the tracker's filters, the PDF,
and a fixed number of queries whatever the number of pledges."""

import datetime
import io

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from committee.agreements.models import Pledge, PledgeUpdate
from tests import factories
from tests.conftest import force_login

URL = "/reports/implementation/"
PDF_URL = "/reports/implementation.pdf"


def get(client, user, url):
    force_login(client, user)
    return client.get(url)


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def report_world(world):
    """Lead organizations, an update on one pledge, a pledge arising from a session, and
    a second sector."""
    ministry = factories.OrganizationFactory(party=world.af, name="Ministry of Commerce")
    Pledge.objects.filter(pk=world.af_pledge.pk).update(lead_organization=ministry, progress=35)
    factories.PledgeUpdateFactory(pledge=world.af_pledge, author=world.azizi, progress=35)
    meeting = factories.MeetingFactory(committee=world.committee, number=4)
    item = factories.AgendaItemFactory(meeting=meeting, position=5, title="Visas")
    world.visa_sector = factories.SectorFactory(name="Migration and visas", slug="visas")
    world.session_pledge = factories.PledgeFactory(
        agreement=None,
        committee=world.committee,
        agenda_item=item,
        number=1,
        title="Streamline visas for drivers",
        responsible_party=world.kz,
        sector=world.visa_sector,
        due_on=world.today + datetime.timedelta(days=30),
    )
    return world


def test_it_lists_every_pledge_the_user_may_read_grouped_by_agreement(client, report_world):
    world = report_world
    response = get(client, world.azizi, URL)
    assert response.status_code == 200
    html = response.content.decode()
    for pledge in (world.af_pledge, world.kz_pledge, world.joint_pledge, world.session_pledge):
        assert pledge.title in html
    assert world.foreign_pledge.title not in html
    # Groups: the agreement first, then the session's decisions.
    assert html.index(str(world.agreement)) < html.index("Decisions of session 4")
    assert html.index("Decisions of session 4") < html.index("Streamline visas for drivers")
    # Owner, lead organization, due date, status, progress and latest update.
    assert "Ministry of Commerce" in html
    assert "Joint" in html
    assert world.af_pledge.due_on.strftime("%-d %b %Y") in html
    assert "35 %" in html
    assert timezone.localdate().strftime("%-d %b %Y") in html
    assert "S4/5.1" in html
    assert "4 pledges" in html
    assert "1 overdue" in html
    # The tracker's filter form, plus the grouping.
    assert 'name="responsible_party"' in html
    assert 'name="due"' in html
    assert 'name="group"' in html


def test_staff_see_every_committee_and_outsiders_none_of_this_one(client, report_world):
    world = report_world
    foreign = escape(world.foreign_pledge.title)
    assert foreign in get(client, world.staff, URL).content.decode()
    outsider_page = get(client, world.outsider, URL).content.decode()
    assert world.af_pledge.title not in outsider_page
    assert foreign in outsider_page


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for url in (URL, PDF_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_grouping_by_sector(client, report_world):
    world = report_world
    page = get(client, world.azizi, URL + "?group=sector").content.decode()
    html = page[page.index('role="status"') :]  # the report, after the filter form
    migration, trade = html.index(">Migration and visas"), html.index(">Trade")
    assert migration < trade  # sectors in alphabetical order
    assert migration < html.index("Streamline visas for drivers") < trade
    assert trade < html.index(world.af_pledge.title)
    assert "Session 4" in html  # the source column replaces the sector column


def test_an_unknown_grouping_falls_back_to_agreements(client, report_world):
    html = get(client, report_world.azizi, URL + "?group=nonsense").content.decode()
    assert "Decisions of session 4" in html


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("responsible_party={kz}", ["kz_pledge", "joint_pledge", "session_pledge"], ["af_pledge"]),
        ("due=overdue", ["kz_pledge"], ["af_pledge", "joint_pledge", "session_pledge"]),
        ("due=30", ["af_pledge", "session_pledge"], ["kz_pledge", "joint_pledge"]),
        ("sector={visas}", ["session_pledge"], ["af_pledge", "kz_pledge"]),
        ("q=Khorgos", ["kz_pledge"], ["af_pledge", "joint_pledge"]),
        ("status=completed", [], ["af_pledge", "kz_pledge", "joint_pledge"]),
    ],
)
def test_the_tracker_filters_apply(client, report_world, query, expected, absent):
    world = report_world
    query = query.format(kz=world.kz.pk, visas=world.visa_sector.pk)
    html = get(client, world.azizi, f"{URL}?{query}").content.decode()
    for name in expected:
        assert getattr(world, name).title in html
    for name in absent:
        assert getattr(world, name).title not in html
    assert f'href="{PDF_URL}?{query}"' in html  # the PDF holds what the page lists


def test_the_pdf_is_a_landscape_pdf_a_of_the_same_pledges(client, report_world):
    world = report_world
    response = get(client, world.azizi, PDF_URL + "?due=overdue&group=sector")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="implementation-report-{timezone.localdate():%Y-%m-%d}.pdf"'
    )
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert box.width > box.height  # A4 landscape
    assert reader.xmp_metadata.pdfaid_part == "3"
    assert reader.metadata.title.startswith("Implementation matrix")
    text = pdf_text(response.content)
    assert world.kz_pledge.title in text
    assert world.af_pledge.title not in text
    assert "Filtered by: Due: Overdue" in text
    assert "Page 1 of 1" in text
    assert "Apply" not in text  # no form, no buttons


def test_the_pdf_carries_every_column(client, report_world):
    world = report_world
    text = pdf_text(get(client, world.azizi, PDF_URL).content)
    for words in (
        world.af_pledge.title,
        "Ministry of Commerce",
        "Afghanistan",
        "Joint",
        world.af_pledge.due_on.strftime("%-d %b %Y"),
        "35 %",
        "Not started",
        "Decisions of session 4",
        "S4/5.1",
    ):
        assert words in text


def test_the_pdf_prints_cyrillic_and_arabic_titles(client, report_world):
    world = report_world
    Pledge.objects.filter(pk=world.kz_pledge.pk).update(title_en="Қазақстан: Хоргос")
    Pledge.objects.filter(pk=world.af_pledge.pk).update(title_en="صادرات افغانستان ۍ")
    text = pdf_text(get(client, world.azizi, PDF_URL).content)
    assert "Қазақстан: Хоргос" in text
    assert "صادرات افغانستان ۍ" in text


def grow(world, count: int):
    agreement = factories.AgreementFactory(committee=world.committee)
    organization = factories.OrganizationFactory(party=world.kz)
    sectors = [factories.SectorFactory(slug=f"grown-{n}") for n in range(3)]
    created = Pledge.objects.bulk_create(
        Pledge(
            committee=world.committee,
            agreement=agreement,
            number=n + 1,
            title_en=f"Grown pledge {n}",
            responsible_party=world.kz if n % 2 else None,
            lead_organization=organization if n % 2 else None,
            sector=sectors[n % 3],
            due_on=world.today + datetime.timedelta(days=n - count // 2),
        )
        for n in range(count)
    )
    PledgeUpdate.objects.bulk_create(
        PledgeUpdate(pledge=p, author=world.staff, status="in_progress", progress=5)
        for p in created
    )
    meeting = factories.MeetingFactory(committee=world.committee)
    item = factories.AgendaItemFactory(meeting=meeting)
    Pledge.objects.bulk_create(
        Pledge(
            committee=world.committee,
            agenda_item=item,
            number=n + 1,
            title_en=f"Arising {n}",
            sector=sectors[0],
        )
        for n in range(count // 5)
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("persona", ["azizi", "staff"])
def test_the_report_runs_a_fixed_number_of_queries(client, world, persona):
    force_login(client, getattr(world, persona))
    urls = [URL, URL + "?group=sector&due=overdue", PDF_URL, PDF_URL + "?group=sector"]
    grow(world, 5)
    small = [count_queries(client, url) for url in urls]
    grow(world, 300)
    assert Pledge.objects.count() > 300
    assert [count_queries(client, url) for url in urls] == small


# --- In any language, and two side by side ------------------------------------------------------


def test_the_report_is_written_in_the_language_asked_with_a_second_beside(client, report_world):
    world = report_world
    Pledge.objects.filter(pk=world.af_pledge.pk).update(
        title_ps="د وچو مېوو صادرات", title_ru="Экспорт сухофруктов"
    )
    page = get(client, world.azizi, URL + "?original=ps&lang=ru").content.decode()
    assert '<html lang="ps" dir="rtl">' in page
    assert "د پلي کولو جدول" in page  # "Implementation matrix" in Pashto
    assert '<span class="second-language" lang="ru" dir="ltr">Обязательство</span>' in page
    assert 'lang="ps" dir="rtl">د وچو مېوو صادرات</span>' in page
    assert 'lang="ru" dir="ltr">Экспорт сухофруктов</span>' in page
    # A title with no Pashto or Russian text shows the English one, marked in Pashto.
    assert page.count('class="untranslated"') >= 2
    assert "نه دی ژباړل شوی" in page


def test_the_pdf_in_two_languages_says_so_in_its_name_and_text(client, report_world):
    world = report_world
    Pledge.objects.filter(pk=world.af_pledge.pk).update(title_fa="صادرات میوه خشک")
    response = get(client, world.azizi, PDF_URL + "?original=fa&lang=kk")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'{timezone.localdate():%Y-%m-%d}-fa-kk.pdf"')
    text = pdf_text(response.content)
    assert "جدول تطبیق" in text
    assert "Міндеттеме" in text
    assert "صادرات میوه خشک" in text
    assert "صفحه" in text  # the footer in Dari (its figures come out in visual order)
    assert "Page 1 of" not in text


def test_an_unknown_language_is_the_readers_own(client, report_world):
    page = get(client, report_world.azizi, URL + "?original=xx&lang=xx").content.decode()
    assert '<html lang="en" dir="ltr">' in page
    assert 'class="second-language"' not in page


def test_the_page_footer_is_only_in_the_pdf(client, report_world):
    page = get(client, report_world.azizi, URL).content.decode()
    assert 'class="page-footer"' not in page
