"""The implementation matrix: who sees which pledges, grouping, the tracker's filters, the PDF,
and a fixed number of queries whatever the number of pledges."""

import datetime
import hashlib
import io
import itertools
import re

import pypdf
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from committee.agreements.models import Pledge, PledgeUpdate
from committee.agreements.reports import FRESH_FOR
from committee.core.models import Rendering
from tests import factories
from tests.conftest import body, force_login, run_worker

URL = "/reports/implementation/"
PDF_URL = "/reports/implementation.pdf"


def get(client, user, url):
    force_login(client, user)
    return client.get(url)


def ask_for_pdf(client, user, query="") -> str:
    """The report's button: the PDF is asked of the worker; the address of its page."""
    force_login(client, user)
    response = client.post(PDF_URL + (f"?{query}" if query else ""))
    assert response.status_code == 302
    return response["Location"]


def report_pdf(client, user, query=""):
    """The PDF of the report as a person gets it: asked for with the button, made by the
    worker, downloaded from its page once ready."""
    page = ask_for_pdf(client, user, query)
    assert "The PDF is being prepared." in client.get(page).content.decode()
    run_worker()
    assert "Download the PDF" in client.get(page).content.decode()
    response = client.get(page + "file")
    response.pdf = body(response)
    return response


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
    assert f'action="{PDF_URL}?{query}"' in html  # the PDF holds what the page lists


@pytest.mark.parametrize(
    ("query", "described"),
    [
        ("responsible_party={kz}-only", "Responsible party: Kazakhstan only"),
        ("responsible_party={kz}", "Responsible party: Kazakhstan, with joint pledges"),
        (
            "responsible_party=joint&due=30",
            "Responsible party: Joint pledges only; Due: Due within",
        ),
        ("agreement={agreement}", "Agreement: {agreement_label}"),
    ],
)
def test_the_printed_report_says_in_words_what_it_was_filtered_by(
    client, report_world, query, described
):
    world = report_world
    names = {
        "kz": world.kz.pk,
        "agreement": world.agreement.pk,
        "agreement_label": escape(str(world.agreement)),
    }
    html = get(client, world.azizi, f"{URL}?{query.format(**names)}").content.decode()
    assert f"Filtered by: {described.format(**names)}" in html


def test_the_pdf_is_a_landscape_pdf_a_of_the_same_pledges(client, report_world):
    world = report_world
    response = report_pdf(client, world.azizi, "due=overdue&group=sector")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="implementation-report-{timezone.localdate():%Y-%m-%d}.pdf"'
    )
    reader = pypdf.PdfReader(io.BytesIO(response.pdf))
    box = reader.pages[0].mediabox
    assert box.width > box.height  # A4 landscape
    assert reader.xmp_metadata.pdfaid_part == "3"
    assert reader.metadata.title.startswith("Implementation matrix")
    text = pdf_text(response.pdf)
    assert world.kz_pledge.title in text
    assert world.af_pledge.title not in text
    assert "Filtered by: Due: Overdue" in text
    assert "Page 1 of 1" in text
    assert "Apply" not in text  # no form, no buttons


def test_the_pdf_carries_every_column(client, report_world):
    world = report_world
    text = pdf_text(report_pdf(client, world.azizi).pdf)
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
    text = pdf_text(report_pdf(client, world.azizi).pdf)
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
    user = getattr(world, persona)
    ready = ask_for_pdf(client, user, "group=sector")
    run_worker()
    waiting = ask_for_pdf(client, user)
    urls = [URL, URL + "?group=sector&due=overdue", ready, ready + "file", waiting + "status"]
    grow(world, 5)
    small = [count_queries(client, url) for url in urls]
    grow(world, 300)
    assert Pledge.objects.count() > 300
    assert [count_queries(client, url) for url in urls] == small


# --- Rows in the order chosen, the latest note, the committee -------------------------------------


def rows_of(html: str, *titles: str) -> list[str]:
    """`titles` in the order the page or PDF lists them."""
    return sorted(titles, key=html.index)


@pytest.fixture
def sorted_world(report_world):
    """In the agreement's order (its numbers) the pledges run af, kz, joint, undated; by
    due date kz (overdue), af, joint, and the one without a date last. Progress runs
    kz 80, af 35, undated 20, joint 10."""
    world = report_world
    world.undated = world.pledge(responsible_party=world.kz, title="Undated pledge", days=0)
    Pledge.objects.filter(pk=world.undated.pk).update(due_on=None, progress=20)
    Pledge.objects.filter(pk=world.kz_pledge.pk).update(progress=80)
    Pledge.objects.filter(pk=world.joint_pledge.pk).update(progress=10)
    world.in_agreement_order = [
        world.af_pledge.title,
        world.kz_pledge.title,
        world.joint_pledge.title,
        world.undated.title,
    ]
    assert sorted(world.in_agreement_order, key=lambda t: Pledge.objects.get(title=t).number) == (
        world.in_agreement_order
    )
    return world


def test_rows_follow_the_due_date_by_default_the_undated_last(client, sorted_world):
    world = sorted_world
    html = get(client, world.azizi, URL).content.decode()
    expected = [
        world.kz_pledge.title,
        world.af_pledge.title,
        world.joint_pledge.title,
        world.undated.title,
    ]
    assert rows_of(html, *world.in_agreement_order) == expected
    # The latest due date first: those without one still come last.
    html = get(client, world.azizi, URL + "?ordering=-due").content.decode()
    assert rows_of(html, *world.in_agreement_order) == [*reversed(expected[:3]), expected[3]]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("-progress", ["kz_pledge", "af_pledge", "undated", "joint_pledge"]),
        ("progress", ["joint_pledge", "undated", "af_pledge", "kz_pledge"]),
        ("number", ["af_pledge", "kz_pledge", "joint_pledge", "undated"]),
    ],
)
def test_rows_follow_the_sort_order_chosen(client, sorted_world, ordering, expected):
    world = sorted_world
    html = get(client, world.azizi, f"{URL}?ordering={ordering}").content.decode()
    expected_titles = [getattr(world, name).title for name in expected]
    assert rows_of(html, *world.in_agreement_order) == expected_titles


def test_the_pdf_follows_the_sort_order_too(client, sorted_world):
    world = sorted_world
    text = pdf_text(report_pdf(client, world.azizi).pdf)
    assert rows_of(text, *world.in_agreement_order) == [
        world.kz_pledge.title,
        world.af_pledge.title,
        world.joint_pledge.title,
        world.undated.title,
    ]
    text = pdf_text(report_pdf(client, world.azizi, "ordering=-progress").pdf)
    assert rows_of(text, *world.in_agreement_order)[:2] == [
        world.kz_pledge.title,
        world.af_pledge.title,
    ]


def test_the_remarks_are_the_latest_updates_note(client, report_world):
    world = report_world
    factories.PledgeUpdateFactory(
        pledge=world.kz_pledge, author=world.torebayev, note="Land survey ordered."
    )
    factories.PledgeUpdateFactory(
        pledge=world.kz_pledge, author=world.torebayev, note="Site allocated at Khorgos gate 4."
    )
    long_note = " ".join(f"word{n}" for n in range(60))
    factories.PledgeUpdateFactory(pledge=world.joint_pledge, author=world.staff, note=long_note)
    html = get(client, world.azizi, URL).content.decode()
    assert ">Remarks<" in html
    assert "Site allocated at Khorgos gate 4." in html
    assert "Land survey ordered." not in html
    # On the page, the first words of a long note; its pledge's page has the rest.
    assert "word29 …" in html
    assert "word30" not in html
    text = pdf_text(report_pdf(client, world.azizi).pdf)
    assert "Site allocated at Khorgos gate 4." in text
    assert "Land survey ordered." not in text
    assert "word59" in text  # the PDF is a record: the whole note


def test_a_note_in_dari_reads_right_to_left_in_an_english_report(client, report_world):
    world = report_world
    note = "ساحه تعیین شد."
    factories.PledgeUpdateFactory(pledge=world.kz_pledge, author=world.staff, note=note)
    html = get(client, world.azizi, URL).content.decode()
    assert f'<span class="note" dir="rtl">{note}</span>' in html
    assert '<span class="note" dir="ltr">' not in html  # the other notes are empty


def test_the_report_names_its_committee_in_its_language(client, report_world):
    world = report_world
    type(world.committee).objects.filter(pk=world.committee.pk).update(
        name_en="Afghan–Kazakh Joint Working Committee",
        name_ru="Афгано-казахстанский рабочий комитет",
    )
    html = get(client, world.azizi, URL).content.decode()
    assert "<title>Implementation matrix — Afghan–Kazakh Joint Working Committee · " in html
    assert 'lang="en" dir="ltr">Afghan–Kazakh Joint Working Committee</span></p>' in html
    # In Russian, with English beside: the name in both.
    html = get(client, world.azizi, URL + "?original=ru&lang=en").content.decode()
    assert "Афгано-казахстанский рабочий комитет" in html.split("</title>")[0]
    assert 'lang="ru" dir="ltr">Афгано-казахстанский рабочий комитет</span>' in html
    assert (
        '<span class="title-version second-language" lang="en" dir="ltr">'
        "Afghan–Kazakh Joint Working Committee</span>"
    ) in html
    # The secretariat's report covers every committee: it names them all.
    html = get(client, world.staff, URL).content.decode()
    assert world.other_committee.name in html.split("</title>")[0]
    response = report_pdf(client, world.azizi)
    assert "Afghan–Kazakh Joint Working Committee" in pdf_text(response.pdf)
    reader = pypdf.PdfReader(io.BytesIO(response.pdf))
    assert reader.metadata.title.startswith(
        "Implementation matrix — Afghan–Kazakh Joint Working Committee, "
    )


def test_the_committee_filtered_by_is_the_one_named(client, report_world):
    world = report_world
    html = get(client, world.staff, f"{URL}?committee={world.committee.pk}").content.decode()
    title = html.split("</title>")[0]
    assert world.committee.name in title
    assert world.other_committee.name not in title


def test_the_wide_table_scrolls_in_a_labelled_region_that_says_so(client, report_world):
    html = get(client, report_world.azizi, URL).content.decode()
    region = re.search(r'<div tabindex="0" role="region" aria-label="([^"]+)"', html)
    assert region
    assert region.group(1) == escape(str(report_world.agreement))
    assert "Scroll sideways to see all columns" in html
    assert "js/scroll_hint.js" in html


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
    response = report_pdf(client, world.azizi, "original=fa&lang=kk")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'{timezone.localdate():%Y-%m-%d}-fa-kk.pdf"')
    text = pdf_text(response.pdf)
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


# --- The PDF, made on the worker ------------------------------------------------------------------


def test_the_same_report_asked_again_is_the_pdf_already_asked_for(client, report_world, worker):
    world = report_world
    first = ask_for_pdf(client, world.azizi, "due=overdue&group=sector")
    # The same query in another order (and another page of it), and a colleague who reads
    # the same committees: the same PDF, queued once.
    assert ask_for_pdf(client, world.azizi, "group=sector&due=overdue&page=2") == first
    assert ask_for_pdf(client, world.torebayev, "due=overdue&group=sector") == first
    assert DBTaskResult.objects.count() == 1
    # Other filters, another language, or another reach: another PDF.
    others = {
        ask_for_pdf(client, world.azizi, "due=overdue"),
        ask_for_pdf(client, world.azizi, "due=overdue&group=sector&original=ru"),
        ask_for_pdf(client, world.staff, "due=overdue&group=sector"),
    }
    assert first not in others
    assert len(others) == 3
    worker()
    # Ready and fresh: handed out again, not made again.
    assert ask_for_pdf(client, world.azizi, "due=overdue&group=sector") == first
    assert DBTaskResult.objects.count() == 4
    # A while later it is made anew; or at once when the person asks for a fresh copy.
    rendering = Rendering.objects.get(pk=first.split("/")[-2])
    Rendering.objects.filter(pk=rendering.pk).update(
        finished_at=timezone.now() - FRESH_FOR - datetime.timedelta(seconds=1)
    )
    later = ask_for_pdf(client, world.azizi, "due=overdue&group=sector")
    assert later != first
    force_login(client, world.azizi)
    again = client.post(PDF_URL + "?due=overdue&group=sector", {"again": "1"})["Location"]
    assert again == later  # still on its way: not queued twice
    worker()
    fresh = client.post(PDF_URL + "?due=overdue&group=sector", {"again": "1"})["Location"]
    assert fresh not in (first, later)


def test_the_pdf_page_follows_each_step_then_offers_the_file(client, report_world, worker):
    world = report_world
    page = ask_for_pdf(client, world.azizi, "original=fa&lang=kk")
    waiting = client.get(page)
    html = waiting.content.decode()
    assert "Waiting its turn" in html
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in html
    assert f'data-rendering-status-url="{page}status"' in html
    assert "js/rendering.js" in html
    assert "دری + Қазақша" in html  # the languages asked for
    assert f'href="{URL}?original=fa&amp;lang=kk"' in html  # back to the report as filtered
    assert client.get(page + "status").json() == {
        "status": "queued",
        "label": "Waiting its turn",
        "done": False,
        "overdue": False,
    }
    assert client.get(page + "file")["Location"] == page  # not yet

    worker()
    assert client.get(page + "status").json()["done"] is True
    html = client.get(page).content.decode()
    assert "Ready: prepared on" in html
    assert "refresh" not in html
    rendering = Rendering.objects.get()
    assert f'href="{page}file"' in html
    response = client.get(page + "file")
    assert response["ETag"] == f'"{rendering.sha256}"'
    assert response["Cache-Control"] == "private, no-store"
    assert hashlib.sha256(body(response)).hexdigest() == rendering.sha256
    assert client.get(page + "file", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_pdf_goes_to_whoever_reads_every_committee_it_covers(client, report_world, worker):
    world = report_world
    official = ask_for_pdf(client, world.azizi)
    everything = ask_for_pdf(client, world.staff)
    worker()
    for user, url, expected in [
        (world.observer, official, 200),  # same committee
        (world.staff, official, 200),  # every committee
        (world.outsider, official, 404),  # another committee only
        (world.azizi, everything, 404),  # the secretariat's holds other committees
    ]:
        force_login(client, user)
        for suffix in ("", "status", "file"):
            assert client.get(url + suffix).status_code == expected, (user, url + suffix)
    client.logout()
    response = client.get(official + "file")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    # Who leaves the committee no longer gets it.
    world.azizi.memberships.update(is_active=False)
    force_login(client, world.azizi)
    assert client.get(official + "file").status_code == 404


def test_a_failed_pdf_says_so_and_is_asked_again(client, report_world, worker, settings):
    world = report_world
    settings.PDF_RENDER_TIMEOUT = 0.001
    page = ask_for_pdf(client, world.azizi)
    worker()
    html = client.get(page).content.decode()
    assert "The PDF could not be produced." in html
    assert "took longer than" not in html  # what went wrong is for the secretariat
    force_login(client, world.staff)
    assert "took longer than" in client.get(page).content.decode()
    assert DBTaskResult.objects.get().status == "FAILED"

    settings.PDF_RENDER_TIMEOUT = 60
    again = ask_for_pdf(client, world.azizi)  # the page's "Try again"
    assert again != page
    worker()
    assert "Download the PDF" in client.get(again).content.decode()


def test_a_pdf_whose_asker_lost_the_reach_is_not_made(client, report_world, worker):
    world = report_world
    page = ask_for_pdf(client, world.azizi)
    world.azizi.memberships.update(is_active=False)
    worker()
    rendering = Rendering.objects.get()
    assert rendering.status == Rendering.Status.CANCELLED
    assert "may read changed" in rendering.error
    assert not rendering.file
    assert client.get(page).status_code == 404  # nor may they read it now


def test_the_pdf_is_asked_for_with_a_form_and_its_token(report_world):
    world = report_world
    client = Client(enforce_csrf_checks=True)
    force_login(client, world.azizi)
    assert client.post(PDF_URL + "?due=overdue").status_code == 403
    assert not Rendering.objects.exists()
    page = client.get(URL + "?due=overdue").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(PDF_URL + "?due=overdue", {"csrfmiddlewaretoken": token}).status_code == 302
    # An old link to the PDF leads to the report, whose button asks for it.
    response = client.get(PDF_URL + "?due=overdue")
    assert response["Location"] == URL + "?due=overdue"


# --- Many pledges --------------------------------------------------------------------------


def test_a_large_report_is_made_on_the_worker_never_in_the_request(
    client, report_world, monkeypatch, caplog
):
    """Asking for the PDF of a report of many pledges lays out nothing in the request: it is
    queued, the page says it is being prepared and comes back by itself, and the worker
    makes it; the file then downloads from the page."""
    world = report_world
    monkeypatch.setattr("committee.agreements.reports.COMPACT_FROM", 3)
    caplog.set_level("INFO", logger="committee.core.pdf")
    page = ask_for_pdf(client, world.azizi)
    html = client.get(page).content.decode()
    assert "The PDF is being prepared." in html
    assert '<meta http-equiv="refresh" content="5">' in html
    assert not [r for r in caplog.records if r.getMessage().startswith("pdf rendered")]
    assert Rendering.objects.get().status == Rendering.Status.QUEUED

    run_worker()
    assert [r for r in caplog.records if r.getMessage().startswith("pdf rendered")]
    response = client.get(page + "file")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/pdf"
    assert body(response) == Rendering.objects.get().file.open("rb").read()


def test_a_report_of_many_pledges_is_a_compact_listing_grouped_with_counts(
    client, report_world, monkeypatch
):
    world = report_world
    monkeypatch.setattr("committee.agreements.reports.COMPACT_FROM", 3)
    note = "Permits issued to forty drivers; the remaining lists follow. " * 4
    factories.PledgeUpdateFactory(pledge=world.kz_pledge, author=world.torebayev, note=note)
    text = pdf_text(report_pdf(client, world.azizi).pdf)
    assert "A compact listing" in text
    # Every pledge, under its agreement or session, each group with its counts.
    for pledge in (world.af_pledge, world.kz_pledge, world.joint_pledge, world.session_pledge):
        assert pledge.title in text
        assert pledge.reference in text
    assert f"{world.agreement.reference} {world.agreement.title}" in text
    assert "3 pledges, 1 overdue" in text
    assert "Decisions of session 4" in text
    assert "1 pledge" in text
    assert "Ministry of Commerce" in text
    assert "overdue" in text
    # The latest note, shortened.
    assert "Permits issued to forty drivers" in text
    assert note.strip() not in text
    # The full layout below the threshold, with the whole note.
    monkeypatch.setattr("committee.agreements.reports.COMPACT_FROM", 100)
    client.post(PDF_URL, {"again": "1"})
    run_worker()
    full = pdf_text(Rendering.objects.ready().latest_first().first().file.open("rb").read())
    assert "A compact listing" not in full
    assert " ".join(note.split()) in full


def test_the_compact_listing_keeps_the_languages_asked_for(client, report_world, monkeypatch):
    world = report_world
    monkeypatch.setattr("committee.agreements.reports.COMPACT_FROM", 3)
    Pledge.objects.filter(pk=world.af_pledge.pk).update(title_ru="Афганский экспорт сухофруктов")
    text = pdf_text(report_pdf(client, world.azizi, "original=ru&lang=en").pdf)
    assert "Афганский экспорт сухофруктов" in text  # the original
    assert world.af_pledge.title in text  # and beside it
    assert "[нет перевода]" in text  # a title missing in Russian, marked


# --- On screen, a page at a time ------------------------------------------------------------------


@pytest.mark.parametrize("grouping", ["agreement", "sector"])
def test_the_screen_lists_a_page_at_a_time_in_whole_groups_and_counts_them_all(
    client, report_world, monkeypatch, grouping
):
    """Pages of 3: the pages hold every pledge once, in the order of the unpaged report
    (groups in order, the rows of a group in the sort order), a group split across pages
    headed on each; the counts are of the whole report."""
    world = report_world
    monkeypatch.setattr("committee.agreements.reports.PAGE_SIZE", 3)
    second = factories.AgreementFactory(committee=world.committee, reference="AF-KZ/2")
    for n in range(1, 4):
        factories.PledgeFactory(
            agreement=second, committee=world.committee, number=n, title=f"Second {n}"
        )
    titles = list(Pledge.objects.filter(committee=world.committee).values_list("title", flat=True))
    assert len(titles) == 7
    pages = [
        get(client, world.azizi, f"{URL}?group={grouping}&page={n}").content.decode()
        for n in (1, 2, 3)
    ]
    assert "This page lists 3 pledges at a time; the PDF lists them all." in pages[0]
    assert all("7 pledges" in page for page in pages)
    on_page = [[title for title in titles if escape(title) in page] for page in pages]
    assert [len(listed) for listed in on_page] == [3, 3, 1]
    assert sorted(itertools.chain(*on_page)) == sorted(titles)
    # The same order as the report in one go (the PDF's: all on one page).
    monkeypatch.setattr("committee.agreements.reports.PAGE_SIZE", 100)
    whole = get(client, world.azizi, f"{URL}?group={grouping}").content.decode()
    assert "This page lists" not in whole
    in_order = [rows_of(page, *listed) for page, listed in zip(pages, on_page, strict=True)]
    assert list(itertools.chain(*in_order)) == rows_of(whole, *titles)


# --- The PDF of many pledges, laid out in parts ---------------------------------------------------


def test_groups_are_split_into_runs_of_about_as_many_pledges_in_order():
    from committee.agreements.reports import Group, split_groups

    groups = [
        Group(f"G{n}", "", list(range(size)), overdue=1, size=size)
        for n, size in enumerate([40, 3, 100, 7, 50])
    ]
    for parts in (1, 2, 3, 4, 200, 1000):
        runs = split_groups(groups, parts)
        assert len(runs) == parts if parts <= 4 else len(runs) <= parts
        # Every pledge once, in order, under its own group's heading and counts.
        listed = [
            (group.title, pledge) for run in runs for group in run for pledge in group.pledges
        ]
        assert listed == [(group.title, pledge) for group in groups for pledge in group.pledges]
        assert {(group.title, group.size, group.overdue) for run in runs for group in run} == {
            (group.title, group.size, 1) for group in groups
        }
        sizes = [sum(len(group.pledges) for group in run) for run in runs]
        share = -(-200 // min(parts, 200))
        assert max(sizes) <= share + max(share // 20, 1)
    # A run ends where a group does when one ends near enough to its share (50 of 100).
    runs = split_groups([Group("A", "", [0] * 48), Group("B", "", [0] * 52)], 2)
    assert [[group.title for group in run] for run in runs] == [["A"], ["B"]]


def test_a_compact_pdf_laid_out_in_parts_reads_as_one_document(client, report_world, monkeypatch):
    """Each part on a page of its own, its pages numbered in the whole, every pledge once,
    a group split between parts headed with its counts in both, the running header on every
    page but the first."""
    world = report_world
    monkeypatch.setattr("committee.agreements.reports.COMPACT_FROM", 3)
    # Four pledges in four parts of one at most: the agreement's three are split, 1 and 2.
    monkeypatch.setattr("committee.agreements.reports._parts", lambda total: 4)
    response = report_pdf(client, world.azizi)
    reader = pypdf.PdfReader(io.BytesIO(response.pdf))
    assert reader.xmp_metadata.pdfaid_part == "3"
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(texts) == 3
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of 3" in text
        assert ("Implementation matrix · as of" in text) == (number > 1)
    assert "3 pledges, 1 overdue" in texts[0]
    assert "3 pledges, 1 overdue" in texts[1]
    text = " ".join(texts)
    assert text.count("A compact listing") == 1
    for pledge in (world.af_pledge, world.kz_pledge, world.joint_pledge, world.session_pledge):
        assert text.count(pledge.reference) == 1
