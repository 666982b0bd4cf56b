"""The minutes' PDFs off the web request: the sealed record made once by the worker after the
last approval (and what the pages say meanwhile), and every other edition of circulated or
approved minutes made once for the state it shows, then served from storage."""

import datetime
import hashlib
import io
import logging
from pathlib import Path

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from committee.core.models import Rendering
from committee.meetings import editions, printing, record, services, tasks
from committee.meetings.models import AgendaItem, Minutes
from tests import factories
from tests.conftest import body, force_login

RECORD = Rendering.Kind.MINUTES_RECORD
EDITION = Rendering.Kind.MINUTES_EDITION


@pytest.fixture
def session(world):
    held = timezone.now() - datetime.timedelta(days=3)
    meeting = factories.MeetingFactory(
        committee=world.committee,
        number=2,
        city="Almaty",
        starts_at=held,
        ends_at=held + datetime.timedelta(hours=8),
    )
    factories.AgendaItemFactory(
        meeting=meeting,
        position=1,
        title_en="Railways",
        title_ru="Железные дороги",
        decision_en="Agreed to train Afghan railway staff.",
        decision_ru="Согласовано обучение афганских железнодорожников.",
    )
    factories.AttendanceFactory(meeting=meeting, member=world.azizi.memberships.get())
    factories.MinutesFactory(meeting=meeting)
    return meeting


@pytest.fixture
def heads(session):
    return factories.name_heads_of_delegation(session)


def circulate(session, world):
    services.minutes_circulate(minutes=session.minutes, user=world.staff)
    return Minutes.objects.get(pk=session.minutes.pk)


def approve_all(minutes, heads):
    """Every head approves: the minutes are approved; the worker has not run."""
    for head in heads.values():
        services.minutes_approve(minutes=minutes, user=head.user)
    return Minutes.objects.get(pk=minutes.pk)


def pdf_url(meeting, query=""):
    return f"/meetings/{meeting.pk}/minutes.pdf" + (f"?{query}" if query else "")


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def renders(caplog) -> int:
    """How many PDFs were laid out (committee/core/pdf.py logs each one)."""
    return sum(1 for r in caplog.records if r.getMessage().startswith("pdf rendered"))


# --- The sealed record, on the worker ----------------------------------------------------------


def test_the_last_approval_queues_the_record_and_the_pages_say_it_is_coming(
    client, world, session, heads, worker
):
    minutes = approve_all(circulate(session, world), heads)
    assert minutes.is_approved
    assert minutes.record_pending
    rendering = Rendering.objects.get(kind=RECORD)
    assert rendering.status == Rendering.Status.QUEUED
    assert rendering.key == editions.record_key(minutes)
    assert rendering.requested_by == heads[world.kz.pk].user  # the last to approve
    assert DBTaskResult.objects.filter(
        task_path="committee.meetings.tasks.render_minutes_record", status="READY"
    ).exists()

    force_login(client, world.observer)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "The sealed PDF is being prepared." in page
    assert f'data-rendering-status-url="/meetings/{session.pk}/minutes/record/status"' in page
    assert "js/rendering.js" in page
    assert f'href="{pdf_url(session)}"' not in page  # nothing to download yet
    toolbar = client.get(f"/meetings/{session.pk}/minutes/").content.decode()
    assert "The sealed PDF is being prepared." in toolbar
    assert "Download PDF" not in toolbar
    status = client.get(f"/meetings/{session.pk}/minutes/record/status").json()
    assert status == {
        "status": "queued",
        "label": "Waiting its turn",
        "done": False,
        "overdue": False,
    }
    # The PDF's own address says so too, and asks again by itself (JavaScript or not).
    waiting = client.get(pdf_url(session))
    assert waiting.status_code == 202
    assert waiting["Content-Type"].startswith("text/html")
    html = waiting.content.decode()
    assert "The sealed PDF is being prepared." in html
    assert '<noscript><meta http-equiv="refresh" content="10"></noscript>' in html
    assert "?lang=ru" not in html
    assert client.get(pdf_url(session, "lang=ru")).status_code == 202  # other editions wait

    worker()
    minutes.refresh_from_db()
    assert not minutes.record_pending
    assert minutes.pdf_sha256 == hashlib.sha256(minutes.pdf.read()).hexdigest()
    rendering.refresh_from_db()
    assert (rendering.status, rendering.sha256, rendering.file.name) == (
        Rendering.Status.READY,
        minutes.pdf_sha256,
        "",  # the record is kept on the minutes
    )
    assert client.get(f"/meetings/{session.pk}/minutes/record/status").json()["done"] is True
    served = client.get(pdf_url(session))
    assert served.status_code == 200
    assert served["ETag"] == f'"{minutes.pdf_sha256}"'
    with minutes.pdf.open("rb") as stored:
        assert body(served) == stored.read()
    unchanged = client.get(pdf_url(session), HTTP_IF_NONE_MATCH=f'"{minutes.pdf_sha256}"')
    assert unchanged.status_code == 304
    page = client.get(session.get_absolute_url()).content.decode()
    assert minutes.pdf_sha256 in page
    assert "being prepared" not in page


def test_the_record_says_what_the_approved_minutes_say(world, session, heads, worker):
    """Made after the approval's commit, by another process, the record is the rendering of
    the approved minutes that approval used to make in its transaction."""
    minutes = approve_all(circulate(session, world), heads)
    worker()
    minutes.refresh_from_db()
    made_now = printing.render_minutes_pdf(session)
    with minutes.pdf.open("rb") as stored:
        record_text = pdf_text(stored.read())
    assert record_text == pdf_text(made_now)
    assert "APPROVED ON" in record_text.upper()
    assert record_text.count("Approved in the portal on") == 2
    reader = pypdf.PdfReader(minutes.pdf.path)
    assert reader.metadata.title.startswith("Protocol of the second session")


def test_the_record_is_in_the_record_language_whoever_approved(world, session, heads, worker):
    from django.utils import translation

    minutes = circulate(session, world)
    with translation.override("ru"):  # the last head's request runs in Russian
        minutes = approve_all(minutes, heads)
        worker()
    minutes.refresh_from_db()
    text = pdf_text(minutes.pdf.read())
    assert "Protocol of the second session" in text
    assert "Протокол" not in text


def test_the_record_is_sealed_by_the_worker(settings, seal_files, world, session, heads, worker):
    from committee.core.sealing import check_seal

    settings.SIGNING_CERTIFICATE_FILE, settings.SIGNING_KEY_FILE = map(str, seal_files)
    minutes = approve_all(circulate(session, world), heads)
    worker()
    minutes.refresh_from_db()
    found = check_seal(minutes.pdf.read())
    assert found.intact  # made with our certificate, unchanged since
    assert found.signer == "Test Working Committee seal"


def test_a_task_run_again_stores_nothing_twice(world, session, heads, worker, settings):
    """A worker that stopped mid-way has its tasks run again by another: the record is made
    and kept once."""
    minutes = approve_all(circulate(session, world), heads)
    worker()
    minutes.refresh_from_db()
    kept = (minutes.pdf.name, minutes.pdf_sha256, minutes.version)
    rendering = Rendering.objects.get(kind=RECORD)
    tasks.render_minutes_record.enqueue(str(rendering.pk))
    # A rendering of the same approval asked again is the one made.
    assert tasks.queue_record(minutes, world.staff) == rendering
    worker()
    minutes.refresh_from_db()
    assert (minutes.pdf.name, minutes.pdf_sha256, minutes.version) == kept
    assert Rendering.objects.filter(kind=RECORD).count() == 1
    assert DBTaskResult.objects.filter(return_value="nothing to do").count() == 1
    stored = list((Path(settings.MEDIA_ROOT) / "minutes").iterdir())
    assert [path.name for path in stored] == [minutes.pdf.name.split("/")[-1]]


def test_minutes_reopened_before_the_worker_ran_keep_no_record(
    world, session, heads, worker, settings
):
    minutes = approve_all(circulate(session, world), heads)
    services.minutes_reopen(minutes=minutes, user=world.staff, reason="A name was misspelt.")
    worker()
    minutes.refresh_from_db()
    assert minutes.is_circulated
    assert (minutes.pdf.name, minutes.pdf_sha256) == ("", "")
    rendering = Rendering.objects.get(kind=RECORD)
    assert rendering.status == Rendering.Status.CANCELLED
    assert "re-opened" in rendering.error
    assert not (Path(settings.MEDIA_ROOT) / "minutes").exists()


def test_reopened_and_approved_again_before_the_worker_ran(world, session, heads, worker):
    """Each approval has its own record; only the one in force is kept."""
    minutes = approve_all(circulate(session, world), heads)
    services.minutes_reopen(minutes=minutes, user=world.staff, reason="Item 1 corrected.")
    AgendaItem.objects.filter(meeting=session).update(decision_en="Agreed to train 300 staff.")
    minutes = approve_all(circulate(session, world), heads)
    worker()
    minutes.refresh_from_db()
    first, second = Rendering.objects.filter(kind=RECORD).order_by("requested_at")
    assert first.status == Rendering.Status.CANCELLED
    assert (second.status, second.sha256) == (Rendering.Status.READY, minutes.pdf_sha256)
    assert "Agreed to train 300 staff." in pdf_text(minutes.pdf.read())


def test_the_worker_waits_for_no_lock_and_meets_the_session_lock(world, session, heads, worker):
    """Between the approval's commit and the worker, the approved texts cannot change: what
    the worker prints is what was approved."""
    from django.db import IntegrityError, transaction

    minutes = approve_all(circulate(session, world), heads)
    with pytest.raises(IntegrityError, match="approved"), transaction.atomic():
        AgendaItem.objects.filter(meeting=session).update(decision_en="Changed meanwhile.")
    worker()
    minutes.refresh_from_db()
    assert "Changed meanwhile" not in pdf_text(minutes.pdf.read())


def test_minutes_approved_without_a_record_can_have_it_made(client, sign_in, world, session):
    """Minutes approved with no rendering asked (an import, a restored backup): the secretariat
    has it made from the meeting's page; members read that it is not ready."""
    Minutes.objects.filter(pk=session.minutes.pk).update(
        status=Minutes.Status.APPROVED, approved_at=timezone.now(), approved_by=world.staff
    )
    sign_in(world.azizi)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "The sealed PDF has not been prepared yet." in page
    assert "record/prepare" not in page
    assert client.get(pdf_url(session)).status_code == 503
    sign_in(world.staff)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Prepare the sealed PDF" in page
    response = client.post(f"/meetings/{session.pk}/minutes/record/prepare/", follow=True)
    assert "The sealed PDF is being prepared again." in response.content.decode()
    assert Rendering.objects.get(kind=RECORD).status == Rendering.Status.QUEUED
    # Asked twice, queued once.
    client.post(f"/meetings/{session.pk}/minutes/record/prepare/")
    assert Rendering.objects.filter(kind=RECORD).count() == 1


def test_a_long_wait_is_said_plainly(client, world, session, heads):
    minutes = approve_all(circulate(session, world), heads)
    Rendering.objects.filter(kind=RECORD).update(
        requested_at=timezone.now() - Rendering.OVERDUE_AFTER - datetime.timedelta(seconds=1)
    )
    force_login(client, world.azizi)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "the background worker may be stopped" in page
    assert client.get(f"/meetings/{minutes.meeting_id}/minutes/record/status").json()["overdue"]


def test_only_readers_of_the_minutes_see_how_the_record_goes(client, world, session, heads):
    approve_all(circulate(session, world), heads)
    force_login(client, world.outsider)
    assert client.get(f"/meetings/{session.pk}/minutes/record/status").status_code == 404
    assert client.post(f"/meetings/{session.pk}/minutes/record/prepare/").status_code == 403
    client.logout()
    response = client.get(f"/meetings/{session.pk}/minutes/record/status")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_pages_waiting_for_the_record_run_a_fixed_number_of_queries(
    client, sign_in, world, session, heads, settings
):
    """Failed tries pile up until one succeeds: the pages read the latest only."""
    minutes = approve_all(circulate(session, world), heads)
    sign_in(world.staff)
    urls = [
        session.get_absolute_url(),
        f"/meetings/{session.pk}/minutes/",
        pdf_url(session),
        f"/meetings/{session.pk}/minutes/record/status",
    ]

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code in (200, 202), url
        return len(queries)

    def fail_and_ask_again(times):
        for _ in range(times):
            Rendering.objects.filter(kind=RECORD, status="queued").update(
                status="failed", error="Timeout", finished_at=timezone.now()
            )
            tasks.queue_record(minutes, world.staff)

    fail_and_ask_again(1)
    few = [count(url) for url in urls]
    fail_and_ask_again(40)
    assert Rendering.objects.filter(kind=RECORD, status="failed").count() == 41
    assert [count(url) for url in urls] == few


# --- Editions of circulated and approved minutes, kept --------------------------------------


def test_circulating_queues_the_editions_read_most(world, session, worker):
    minutes = circulate(session, world)
    queued = Rendering.objects.get(kind=EDITION)
    assert queued.status == Rendering.Status.QUEUED
    assert queued.params == {"meeting": session.pk, "original": "en", "second": ""}
    # With equally authentic languages, the original in each of them too (asked again, the
    # English one already queued is not queued twice).
    Minutes.objects.filter(pk=minutes.pk).update(authentic_languages=["ru", "en"])
    minutes.refresh_from_db()
    assert editions.prerendered_languages(minutes) == ["en", "ru"]
    tasks.queue_editions(minutes, record.latest_circulation(minutes), world.staff)
    assert Rendering.objects.filter(kind=EDITION).count() == 2
    worker()
    ready = {r.params["original"]: r for r in Rendering.objects.filter(kind=EDITION)}
    assert {r.status for r in ready.values()} == {Rendering.Status.READY}
    assert "Железные дороги" in pdf_text(ready["ru"].file.read())
    assert ready["en"].filename == printing.minutes_filename(minutes.meeting, None, "en")
    assert ready["en"].size == ready["en"].file.size


def test_a_circulated_version_is_rendered_once_and_served_from_storage(
    client, world, session, worker, caplog
):
    circulate(session, world)
    worker()
    force_login(client, world.torebayev)
    caplog.set_level(logging.INFO, logger="committee.core.pdf")
    caplog.clear()
    first = client.get(pdf_url(session))
    second = client.get(pdf_url(session))
    assert renders(caplog) == 0  # made on circulation, by the worker
    assert first.status_code == second.status_code == 200
    stored = Rendering.objects.get(kind=EDITION)
    assert first["ETag"] == f'"{stored.sha256}"'
    assert first["Content-Disposition"] == f'inline; filename="{stored.filename}"'
    assert body(first) == body(second) == stored.file.read()
    assert client.get(pdf_url(session), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    # An edition nobody asked for before: made by the first request, kept for the next.
    side_by_side = body(client.get(pdf_url(session, "lang=ru")))
    assert renders(caplog) == 1
    force_login(client, world.azizi)
    assert body(client.get(pdf_url(session, "lang=ru"))) == side_by_side
    assert renders(caplog) == 1
    assert "Железные дороги" in pdf_text(side_by_side)
    assert Rendering.objects.filter(kind=EDITION).count() == 2


def test_a_new_version_or_an_approval_is_a_new_edition(client, world, session, heads, worker):
    circulate(session, world)
    force_login(client, world.azizi)
    before = body(client.get(pdf_url(session)))
    assert "Approved in the portal on" not in pdf_text(before)

    services.minutes_approve(minutes=session.minutes, user=heads[world.af.pk].user)
    approved_once = body(client.get(pdf_url(session)))
    assert pdf_text(approved_once).count("Approved in the portal on") == 1

    AgendaItem.objects.filter(meeting=session).update(decision_en="Agreed to train 200 staff.")
    circulate(session, world)  # version 2 withdraws the approval
    second_version = pdf_text(body(client.get(pdf_url(session))))
    assert "Agreed to train 200 staff." in second_version
    assert "Approved in the portal on" not in second_version
    worker()  # what was queued for version 1 is no longer needed
    editions_made = Rendering.objects.filter(kind=EDITION)
    assert {r.status for r in editions_made} == {"ready", "cancelled"}
    assert len({r.key for r in editions_made.filter(status="ready")}) == 3


def test_everyone_reads_the_version_circulated_not_the_work_on_the_next(client, world, session):
    """The secretariat edits the next version while the delegations read this one: whoever
    asks first, the kept PDF is the version circulated."""
    circulate(session, world)
    AgendaItem.objects.filter(meeting=session).update(decision_en="The secretariat now proposes.")
    force_login(client, world.staff)
    assert "now proposes" in client.get(f"/meetings/{session.pk}/minutes/").content.decode()
    text = pdf_text(body(client.get(pdf_url(session))))
    assert "Agreed to train Afghan railway staff." in text
    assert "now proposes" not in text


def test_editions_of_approved_minutes_point_to_the_record(client, world, session, heads, worker):
    minutes = approve_all(circulate(session, world), heads)
    worker()
    minutes.refresh_from_db()
    force_login(client, world.observer)
    response = client.get(pdf_url(session, "original=ru"))
    text = pdf_text(body(response))
    assert "Железные дороги" in text
    assert minutes.pdf_sha256 in text.replace(" ", "")
    kept = Rendering.objects.get(kind=EDITION, key__contains="/record-")
    assert kept.key == editions.edition_key(
        minutes, circulation=None, approval_ids=(), original="ru", second=None
    )


def test_a_draft_is_rendered_live_and_never_kept(client, world, session):
    force_login(client, world.staff)
    first = client.get(pdf_url(session))
    assert first.status_code == 200
    assert not first.streaming
    assert not Rendering.objects.exists()


def test_an_edition_that_cannot_be_made_says_so(client, world, session, settings):
    circulate(session, world)
    Rendering.objects.all().delete()  # as if the worker had not made it yet
    settings.PDF_RENDER_TIMEOUT = 0.001
    force_login(client, world.azizi)
    response = client.get(pdf_url(session))
    assert response.status_code == 503
    assert "could not be produced" in response.content.decode()
    assert not Rendering.objects.filter(status="ready").exists()


def test_the_circulated_texts_are_those_of_the_latest_version(world, session):
    """The edition's key names the version and its texts."""
    minutes = circulate(session, world)
    circulation = record.latest_circulation(minutes)
    key = editions.edition_key(
        minutes, circulation=circulation, approval_ids=(), original="en", second="ru"
    )
    assert key == (f"minutes-{minutes.pk}/v1-{circulation.digest[:16]}/approvals-none/en+ru")


def test_a_kept_edition_is_served_in_a_fixed_number_of_queries(client, world, session, worker):
    """What the session's minutes list grows (agenda, attendance, pledges arising, reviews):
    the kept edition of the version circulated is served as it is, in as many queries."""
    from tests.test_query_counts import grow

    circulate(session, world)
    worker()
    force_login(client, world.azizi)
    urls = [pdf_url(session), pdf_url(session, "lang=ru")]

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        return len(queries)

    for url in urls:
        client.get(url)  # the side-by-side one is made by this first request
    grow(world, session, 1)
    few = [count(url) for url in urls]
    grow(world, session, 200)
    assert session.agenda_items.count() > 20
    assert [count(url) for url in urls] == few
    assert Rendering.objects.filter(kind=EDITION).count() == 2  # nothing made again


def test_a_kept_edition_does_not_depend_on_who_asked_first(client, world, session):
    """Kept for everyone, an edition first asked for by a reader of the Dari interface is the
    one an English reader would have had made."""
    from django.utils import translation

    circulate(session, world)
    world.azizi.language = "fa"
    world.azizi.save(update_fields=["language"])
    force_login(client, world.azizi)
    assert '<html lang="fa"' in client.get(session.get_absolute_url()).content.decode()
    kept = pdf_text(body(client.get(pdf_url(session, "lang=ru"))))
    meeting, _circulation = editions.edition_meeting(session.pk)
    with translation.override("en"):
        made_in_english = pdf_text(
            printing.render_minutes_pdf(meeting, original="en", second_language="ru")
        )
    assert kept == made_in_english


def test_the_print_page_tells_the_secretariat_what_went_wrong(
    client, sign_in, world, session, heads
):
    approve_all(circulate(session, world), heads)
    Rendering.objects.filter(kind=RECORD).update(
        status="failed", error="The PDF took longer than 60 seconds.", finished_at=timezone.now()
    )
    sign_in(world.azizi)
    toolbar = client.get(f"/meetings/{session.pk}/minutes/").content.decode()
    assert "The sealed PDF could not be prepared." in toolbar
    assert "took longer" not in toolbar
    sign_in(world.staff)
    toolbar = client.get(f"/meetings/{session.pk}/minutes/").content.decode()
    assert "The PDF took longer than 60 seconds." in toolbar
    assert f'action="/meetings/{session.pk}/minutes/record/prepare/"' in toolbar


# --- Served from storage -----------------------------------------------------------------------

# What the record is made of: a PDF served from storage reads none of it.
RECORD_TABLES = ("meetings_agendaitem", "meetings_attendance", "agreements_pledge")


def test_a_kept_pdf_is_streamed_without_reading_the_record(client, world, session, heads, worker):
    """The sealed record and a kept edition are streamed from storage after a few small
    queries (who may read them, and which file is the one): the agenda, the attendance and
    the pledges arising, which a long session has by the hundred, are not read."""
    for position in range(2, 42):
        item = factories.AgendaItemFactory(meeting=session, position=position)
        factories.PledgeFactory(
            agreement=None, agenda_item=item, committee=world.committee, number=1
        )
    minutes = approve_all(circulate(session, world), heads)
    worker()
    minutes.refresh_from_db()
    force_login(client, world.azizi)
    assert client.get(pdf_url(session, "lang=ru")).status_code == 200  # made, and kept

    # Besides the session's: the user, their membership (rules), the minutes; for an edition
    # also the approvals given (its key) and the kept file's rendering.
    for url, stored, expected in [
        (pdf_url(session), minutes.pdf, 3),
        (
            pdf_url(session, "lang=ru"),
            Rendering.objects.filter(kind=EDITION).ready().get().file,
            5,
        ),
    ]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            content = body(response)
        assert response.status_code == 200, url
        assert response.streaming
        with stored.open("rb") as file:
            assert content == file.read()
        read = " ".join(query["sql"] for query in queries)
        assert not [table for table in RECORD_TABLES if f'"{table}"' in read], url
        ours = [
            query["sql"]
            for query in queries
            if "django_session" not in query["sql"] and "SAVEPOINT" not in query["sql"]
        ]
        assert len(ours) == expected, ours
