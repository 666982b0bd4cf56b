"""The agreed record: circulated versions, approval by each head of delegation (in the portal
with the password, or signed on paper), and every refusal on the way."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from committee.meetings import record, services
from committee.meetings.models import AgendaItem, Attendance, Minutes, MinutesApproval
from tests import factories
from tests.conftest import force_login, run_worker

PASSWORD = "correct horse battery staple"
SCAN = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def session(world):
    held = timezone.now() - datetime.timedelta(days=3)  # signed on paper at the session
    meeting = factories.MeetingFactory(
        committee=world.committee,
        number=1,
        city="Kabul",
        starts_at=held,
        ends_at=held + datetime.timedelta(hours=8),
    )
    factories.AgendaItemFactory(meeting=meeting, position=1, title="Trade", decision="Agreed.")
    factories.AttendanceFactory(meeting=meeting, member=world.azizi.memberships.get())
    factories.MinutesFactory(meeting=meeting)
    return meeting


@pytest.fixture
def heads(session):
    return factories.name_heads_of_delegation(session)


@pytest.fixture
def circulated(session, heads, world):
    services.minutes_circulate(minutes=session.minutes, user=world.staff)
    session.minutes.refresh_from_db()
    return session.minutes


def page_digest(client, url) -> str:
    return client.get(url).context["form"]["seen"].value()


def approve_url(meeting) -> str:
    return f"/meetings/{meeting.pk}/minutes/approve/"


# --- Heads of delegation -------------------------------------------------------------------


def test_one_head_per_delegation_at_the_database(session, heads, world):
    other = factories.MemberFactory(committee=world.committee, party=world.af)
    with pytest.raises(IntegrityError, match="already heads"), transaction.atomic():
        Attendance.objects.create(meeting=session, member=other, heads_delegation=True)
    row = Attendance(meeting=session, member=other, heads_delegation=True)
    with pytest.raises(ValidationError, match="already heads"):
        row.full_clean()


def test_the_attending_co_chair_heads_unless_someone_is_marked(session, world):
    azizi = world.azizi.memberships.get()
    assert record.heads_of_delegation(session) == {world.af.pk: azizi}
    deputy = factories.MemberFactory(committee=world.committee, party=world.af)
    Attendance.objects.create(meeting=session, member=deputy, heads_delegation=True)
    assert record.heads_of_delegation(session)[world.af.pk] == deputy


def test_an_absent_co_chair_does_not_head_the_delegation(session, world):
    Attendance.objects.filter(meeting=session).update(status=Attendance.Status.EXCUSED)
    assert world.af.pk not in record.heads_of_delegation(session)
    observer = world.observer.memberships.get()
    row = Attendance(meeting=session, member=observer, heads_delegation=True)
    with pytest.raises(ValidationError, match="observer"):
        row.full_clean()


# --- Circulating -----------------------------------------------------------------------------


def test_circulating_keeps_the_texts_as_version_one(session, world):
    circulation = services.minutes_circulate(minutes=session.minutes, user=world.staff)
    assert circulation.number == 1
    assert circulation.texts["items"][0]["decision"]["en"] == "Agreed."
    assert circulation.digest == record.current_digest(session.minutes)
    assert circulation.comment_deadline > timezone.now()


def test_circulating_in_an_authentic_language_without_texts_is_refused(client, session, world):
    Minutes.objects.filter(pk=session.minutes.pk).update(authentic_languages=["en", "ru"])
    session.minutes.refresh_from_db()
    with pytest.raises(ValidationError, match="Russian") as refused:
        services.minutes_circulate(minutes=session.minutes, user=world.staff)
    assert "item 1" in str(refused.value)
    force_login(client, world.staff)
    url = f"/meetings/{session.pk}/minutes/circulate/"
    page = client.get(url).content.decode()
    assert "missing in an authentic language" in page
    response = client.post(
        url,
        {
            "seen": page_digest(client, url),
            "comment_deadline": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Russian" in str(response.context["form"].non_field_errors())
    assert Minutes.objects.get(pk=session.minutes.pk).is_draft


def test_a_past_deadline_is_refused_next_to_the_field(client, session, world):
    force_login(client, world.staff)
    url = f"/meetings/{session.pk}/minutes/circulate/"
    response = client.post(
        url, {"seen": page_digest(client, url), "comment_deadline": "2020-01-01"}
    )
    assert response.context["form"].errors["comment_deadline"]
    assert Minutes.objects.get(pk=session.minutes.pk).is_draft


def test_a_stale_page_does_not_circulate(client, session, world):
    force_login(client, world.staff)
    url = f"/meetings/{session.pk}/minutes/circulate/"
    seen = page_digest(client, url)
    AgendaItem.objects.filter(meeting=session).update(decision_en="Agreed, with a change.")
    deadline = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    response = client.post(url, {"seen": seen, "comment_deadline": deadline})
    assert "changed after this page was shown" in response.content.decode()
    assert Minutes.objects.get(pk=session.minutes.pk).is_draft


def test_recirculating_makes_a_new_version_and_withdraws_approvals(circulated, heads, world):
    approval = services.minutes_approve(minutes=circulated, user=heads[world.af.pk].user)
    with pytest.raises(ValidationError, match="Nothing changed"):
        services.minutes_circulate(minutes=circulated, user=world.staff)
    AgendaItem.objects.filter(meeting=circulated.meeting).update(decision_en="Agreed again.")
    second = services.minutes_circulate(minutes=circulated, user=world.staff)
    assert second.number == 2
    approval.refresh_from_db()
    assert approval.withdrawn_at is not None
    changes = record.changes(circulated.circulations.get(number=1).texts, second.texts)
    assert [(c.label, c.lang) for c in changes] == [("Item 1, decision", "en")]


# --- Approving in the portal ----------------------------------------------------------------


def test_each_head_approves_and_the_last_approval_approves(client, circulated, heads, world):
    af, kz = heads[world.af.pk], heads[world.kz.pk]
    force_login(client, af.user)
    page = client.get(approve_url(circulated.meeting)).content.decode()
    assert "Approve the minutes for" in page
    response = client.post(
        approve_url(circulated.meeting),
        {"seen": page_digest(client, approve_url(circulated.meeting)), "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
        follow=True,
    )
    assert "Your approval for" in response.content.decode()
    approval = MinutesApproval.objects.get(party=world.af)
    assert approval.signatory == af
    assert approval.recorded_by == af.user
    assert approval.client_ip == "203.0.113.7"
    assert approval.method == MinutesApproval.Method.PORTAL
    assert Minutes.objects.get(pk=circulated.pk).is_circulated
    force_login(client, kz.user)
    client.post(
        approve_url(circulated.meeting),
        {"seen": page_digest(client, approve_url(circulated.meeting)), "password": PASSWORD},
    )
    minutes = Minutes.objects.get(pk=circulated.pk)
    assert minutes.is_approved
    # The sealed PDF is made on the worker, after the approval's commit.
    assert minutes.pdf_sha256 == ""
    page = client.get(circulated.meeting.get_absolute_url()).content.decode()
    assert "The sealed PDF is being prepared." in page
    run_worker()
    minutes.refresh_from_db()
    assert minutes.pdf_sha256
    page = client.get(circulated.meeting.get_absolute_url()).content.decode()
    assert minutes.pdf_sha256 in page
    assert "Approved by the heads of delegation" in page
    assert "Approved in the portal on" in page
    assert "Secretariat" not in page.split('id="approvals"')[1].split("</ul>")[0]


def test_a_wrong_password_approves_nothing(client, circulated, heads, world):
    user = heads[world.af.pk].user
    force_login(client, user)
    url = approve_url(circulated.meeting)
    response = client.post(url, {"seen": page_digest(client, url), "password": "guess"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not MinutesApproval.objects.exists()


@pytest.mark.parametrize("persona", ["torebayev", "observer", "staff"])
def test_only_a_head_of_delegation_approves(client, circulated, heads, world, persona):
    force_login(client, getattr(world, persona))
    url = approve_url(circulated.meeting)
    assert client.get(url).status_code == 403
    assert client.post(url, {"seen": "x", "password": PASSWORD}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.minutes_approve(minutes=circulated, user=getattr(world, persona))
    assert not MinutesApproval.objects.exists()


def test_an_outsider_does_not_learn_the_minutes_exist(client, circulated, world):
    force_login(client, world.outsider)
    assert client.get(approve_url(circulated.meeting)).status_code == 404


def test_a_draft_is_not_approved(client, session, heads, world):
    force_login(client, heads[world.af.pk].user)
    assert client.get(approve_url(session)).status_code == 404  # drafts are the secretariat's
    with pytest.raises(ValidationError, match="circulated before"):
        services.minutes_approve(minutes=session.minutes, user=heads[world.af.pk].user)


def test_a_delegation_approves_once(circulated, heads, world):
    user = heads[world.af.pk].user
    services.minutes_approve(minutes=circulated, user=user)
    with pytest.raises(ValidationError, match="already approved"):
        services.minutes_approve(minutes=circulated, user=user)


def test_texts_changed_after_circulation_are_recirculated_before_approval(
    client, circulated, heads, world
):
    user = heads[world.af.pk].user
    force_login(client, user)
    url = approve_url(circulated.meeting)
    seen = page_digest(client, url)
    AgendaItem.objects.filter(meeting=circulated.meeting).update(decision_en="Agreed later.")
    response = client.post(url, {"seen": seen, "password": PASSWORD})
    assert "changed after this page was shown" in response.content.decode()
    with pytest.raises(ValidationError, match="changed after they were circulated"):
        services.minutes_approve(minutes=circulated, user=user)
    assert not MinutesApproval.objects.exists()


def test_approving_with_an_authentic_language_lacking_texts_is_refused(circulated, heads, world):
    # A head's name prints in the record but is kept with the member, outside the circulated
    # texts: losing its English after circulation leaves the record language without it.
    from committee.members.models import Member

    Member.objects.filter(pk=heads[world.af.pk].pk).update(
        full_name_en="", full_name_fa="نورالدین عزیزی"
    )
    with pytest.raises(ValidationError, match="English"):
        services.minutes_approve(minutes=circulated, user=heads[world.af.pk].user)
    assert not MinutesApproval.objects.exists()


# --- Signed on paper ------------------------------------------------------------------------


def sign(client, meeting, party, **overrides):
    url = f"/meetings/{meeting.pk}/minutes/sign/"
    data = {
        "seen": page_digest(client, url),
        "party": str(party.pk),
        "signed_on": timezone.localdate().isoformat(),
        "signed_at": "Kabul",
        "scan": SimpleUploadedFile("signed.pdf", SCAN, content_type="application/pdf"),
        **overrides,
    }
    return client.post(url, data)


def test_the_secretariat_records_a_signature_on_paper(client, circulated, heads, world):
    force_login(client, world.staff)
    response = sign(client, circulated.meeting, world.kz)
    assert response.status_code == 302
    approval = MinutesApproval.objects.get(party=world.kz)
    assert approval.method == MinutesApproval.Method.PAPER
    assert approval.signatory == heads[world.kz.pk]
    assert approval.signed_at == "Kabul"
    with approval.scan.open("rb") as stored:
        assert stored.read() == SCAN
    services.minutes_approve(minutes=circulated, user=heads[world.af.pk].user)
    assert Minutes.objects.get(pk=circulated.pk).is_approved
    page = client.get(circulated.meeting.get_absolute_url()).content.decode()
    assert "Signed on paper at Kabul" in page
    scan_url = f"/meetings/{circulated.meeting_id}/minutes/signatures/{approval.pk}/scan"
    assert scan_url in page
    force_login(client, world.torebayev)
    response = client.get(scan_url)
    assert b"".join(response.streaming_content) == SCAN
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"].startswith("attachment;")
    force_login(client, world.outsider)
    assert client.get(scan_url).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"scan": ""}, "scan"),
        ({"scan": SimpleUploadedFile("signed.pdf", b"not a pdf")}, "scan"),
        ({"scan": SimpleUploadedFile("signed.docx", b"PK\x03\x04rest")}, "scan"),
        ({"signed_at": ""}, "signed_at"),
        ({"signed_on": "2999-01-01"}, "signed_on"),
        ({"signed_on": "0001-01-01"}, "signed_on"),
    ],
    ids=["no-scan", "not-a-pdf", "wrong-type", "no-place", "future", "before-the-session"],
)
def test_an_incomplete_signature_record_is_refused_next_to_the_field(
    client, circulated, heads, world, overrides, field
):
    force_login(client, world.staff)
    response = sign(client, circulated.meeting, world.kz, **overrides)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not MinutesApproval.objects.exists()


def test_a_paper_approval_without_its_scan_is_refused_by_the_database(circulated, heads, world):
    with pytest.raises(IntegrityError, match="minutes_paper_approval_complete"):
        MinutesApproval.objects.create(
            minutes=circulated,
            circulation=circulated.circulations.get(),
            party=world.kz,
            signatory=heads[world.kz.pk],
            method=MinutesApproval.Method.PAPER,
            approved_at=timezone.now(),
            recorded_by=world.staff,
        )


# --- Re-opening -----------------------------------------------------------------------------


def test_reopening_withdraws_the_approvals_and_keeps_the_superseded_pdf(circulated, heads, world):
    minutes = factories.approve_minutes(circulated, world.staff)
    sha = minutes.pdf_sha256
    reopening = services.minutes_reopen(minutes=minutes, user=world.staff, reason="A typo.")
    assert reopening.previous_pdf_sha256 == sha
    assert not minutes.approvals.filter(withdrawn_at__isnull=True).exists()
    assert minutes.approvals.count() == 2
    # Approved again only after a corrected version is circulated and approved by both.
    AgendaItem.objects.filter(meeting=minutes.meeting).update(decision_en="Agreed, corrected.")
    services.minutes_circulate(minutes=minutes, user=world.staff)
    minutes = factories.approve_minutes(minutes, world.staff)
    assert minutes.is_approved
    assert minutes.pdf_sha256 != sha


def test_the_reopen_page_carries_the_version(client, circulated, heads, world):
    minutes = factories.approve_minutes(circulated, world.staff)
    force_login(client, world.staff)
    url = f"/meetings/{minutes.meeting_id}/minutes/reopen/"
    page = client.get(url).content.decode()
    assert "superseded record" in page
    response = client.post(url, {"seen": "0" * 64, "reason": "A typo."})
    assert "changed after this page was shown" in response.content.decode()
    assert Minutes.objects.get(pk=minutes.pk).is_approved


def test_the_printed_record_shows_each_head_and_how_they_approved(client, circulated, heads, world):
    from committee.meetings import printing

    force_login(client, world.staff)
    sign(client, circulated.meeting, world.kz)
    services.minutes_approve(minutes=circulated, user=heads[world.af.pk].user)
    meeting = printing.minutes_queryset().get(pk=circulated.meeting_id)
    html = printing.render_minutes_html(meeting)
    signatures = html.split('class="signatures"')[1].split("</table>")[0]
    for head in heads.values():
        assert head.full_name in signatures
    assert "Signed at \u2068Kabul\u2069 on" in signatures
    assert "Approved in the portal on" in signatures
    assert "Secretariat" not in signatures
    assert "secretariat" not in signatures


@pytest.mark.django_db(transaction=True)
def test_an_edit_while_the_record_is_approved_waits_and_is_refused(world):
    """The last approval holds the minutes' row until it commits: a change to the session made
    meanwhile waits for it, then meets the lock, so the worker's PDF shows what was approved."""
    import threading

    from django.db import connections

    meeting = factories.MeetingFactory(committee=world.committee, number=7)
    item = factories.AgendaItemFactory(meeting=meeting, position=1, decision="Agreed.")
    minutes = factories.MinutesFactory(meeting=meeting, status=Minutes.Status.CIRCULATED)
    outcome = {}

    def edit():
        try:
            AgendaItem.objects.filter(pk=item.pk).update(decision_en="Changed meanwhile.")
            outcome["result"] = "saved"
        except IntegrityError as error:
            outcome["result"] = str(error)
        finally:
            connections.close_all()

    with transaction.atomic():
        locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
        Minutes.objects.filter(pk=locked.pk).update(
            status=Minutes.Status.APPROVED, approved_at=timezone.now(), approved_by=world.staff
        )
        editor = threading.Thread(target=edit)
        editor.start()
        editor.join(timeout=1.5)
        assert editor.is_alive()  # waiting for the approval to end
    editor.join(timeout=10)
    assert "approved" in outcome["result"]
    assert AgendaItem.objects.get(pk=item.pk).decision_en == "Agreed."


def test_members_read_the_circulated_version_while_the_next_is_prepared(client, circulated, world):
    AgendaItem.objects.filter(meeting=circulated.meeting).update(
        decision_en="Agreed, as the secretariat now proposes."
    )
    Minutes.objects.filter(pk=circulated.pk).update(next_session_en="In Almaty, next spring.")
    meeting = circulated.meeting
    for persona in ("azizi", "torebayev", "observer"):
        force_login(client, getattr(world, persona))
        for url in (meeting.get_absolute_url(), f"/meetings/{meeting.pk}/minutes/"):
            page = client.get(url).content.decode()
            assert "Agreed." in page
            assert "now proposes" not in page
            assert "Almaty, next spring" not in page
    force_login(client, world.staff)
    assert "now proposes" in client.get(f"/meetings/{meeting.pk}/minutes/").content.decode()


def test_guessing_the_password_on_the_approval_page_locks_out(client, circulated, heads, world):
    """The page checks the password as the sign-in does: its wrong guesses count towards
    the same lockout."""
    user = heads[world.af.pk].user
    force_login(client, user)
    url = approve_url(circulated.meeting)
    seen = page_digest(client, url)
    for _attempt in range(4):
        assert client.post(url, {"seen": seen, "password": "guess"}).status_code == 200
    assert client.post(url, {"seen": seen, "password": "guess"}).status_code == 429
    response = client.post(url, {"seen": seen, "password": PASSWORD})
    assert response.status_code == 429  # the sign-in's lockout page, even with the password
    assert not MinutesApproval.objects.exists()


def test_the_secretariat_does_not_comment_even_as_a_member(circulated, world):
    factories.MemberFactory(committee=world.committee, party=world.af, user=world.staff)
    with pytest.raises(PermissionDenied):
        services.minutes_comment(minutes=circulated, user=world.staff, text="A remark.")


def test_a_comment_on_an_earlier_version_is_refused_and_kept(client, circulated, world):
    force_login(client, world.azizi)
    url = f"/meetings/{circulated.meeting_id}/minutes/comments/"
    read = client.get(url).context["comment_form"]["version"].value()
    AgendaItem.objects.filter(meeting=circulated.meeting).update(decision_en="Agreed anew.")
    services.minutes_circulate(minutes=circulated, user=world.staff)
    response = client.post(
        url, {"version": read, "agenda_item": "", "paragraph": "1.2", "text": "On 1.2: add…"}
    )
    assert response.status_code == 200
    assert "Version 2 of the minutes was circulated" in response.content.decode()
    assert "On 1.2: add…" in response.content.decode()  # what was typed is kept
    assert not circulated.comments.exists()


def test_an_approval_given_by_mistake_is_withdrawn(client, circulated, heads, world):
    af, kz = heads[world.af.pk], heads[world.kz.pk]
    approval = services.minutes_approve(minutes=circulated, user=af.user)
    url = f"/meetings/{circulated.meeting_id}/minutes/approvals/{approval.pk}/withdraw/"
    for outsider_of_it in (kz.user, world.torebayev, world.observer):
        force_login(client, outsider_of_it)
        assert client.post(url).status_code == 403
    force_login(client, af.user)
    assert (
        "Withdraw this approval"
        in client.get(circulated.meeting.get_absolute_url()).content.decode()
    )
    client.post(url)
    approval.refresh_from_db()
    assert approval.withdrawn_at is not None
    # Approving again is possible; the withdrawn one stays on record.
    services.minutes_approve(minutes=circulated, user=af.user)
    assert circulated.approvals.count() == 2
    services.minutes_approve(minutes=circulated, user=kz.user)
    minutes = Minutes.objects.get(pk=circulated.pk)
    assert minutes.is_approved
    force_login(client, world.staff)
    latest = minutes.approvals.filter(withdrawn_at__isnull=True).first()
    url = f"/meetings/{minutes.meeting_id}/minutes/approvals/{latest.pk}/withdraw/"
    response = client.post(url, follow=True)
    assert "re-opened" in response.content.decode()
    assert Minutes.objects.get(pk=minutes.pk).is_approved


@pytest.mark.django_db(transaction=True)
def test_a_step_behind_a_long_approval_says_to_try_again(world, monkeypatch):
    """A step waits a while for the minutes' row (held by another step, or by the worker
    storing the sealed record), then refuses in words rather than hanging the request."""
    import threading

    from django.db import connections

    monkeypatch.setattr(services, "LOCK_WAIT", "300ms")
    meeting = factories.MeetingFactory(committee=world.committee, number=8)
    factories.AgendaItemFactory(meeting=meeting, position=1, decision="Agreed.")
    minutes = factories.MinutesFactory(meeting=meeting)
    outcome = {}

    def circulate():
        try:
            services.minutes_circulate(minutes=minutes, user=world.staff)
            outcome["result"] = "circulated"
        except ValidationError as error:
            outcome["result"] = error.messages[0]
        finally:
            connections.close_all()

    with transaction.atomic():
        Minutes.objects.select_for_update().get(pk=minutes.pk)
        step = threading.Thread(target=circulate)
        step.start()
        step.join(timeout=10)
    assert "try again" in outcome["result"]
    assert Minutes.objects.get(pk=minutes.pk).is_draft


def test_a_correction_in_one_authentic_language_only_is_pointed_out(client, session, world):
    AgendaItem.objects.filter(meeting=session).update(
        decision_ru="Согласовано.", title_ru="Торговля"
    )
    Minutes.objects.filter(pk=session.minutes.pk).update(authentic_languages=["en", "ru"])
    session.minutes.refresh_from_db()
    # Circulated as it stands (the names of this test's people have no Russian text).
    Minutes.objects.filter(pk=session.minutes.pk).update(status=Minutes.Status.CIRCULATED)
    factories.MinutesCirculationFactory(
        minutes=session.minutes,
        texts=record.snapshot(session.minutes),
        digest=record.current_digest(session.minutes),
    )
    AgendaItem.objects.filter(meeting=session).update(decision_en="Agreed, with saffron.")
    force_login(client, world.staff)
    page = client.get(f"/meetings/{session.pk}/minutes/circulate/").content.decode()
    assert "Item 1, decision: changed in English, not in Russian" in page
    AgendaItem.objects.filter(meeting=session).update(decision_ru="Согласовано, с шафраном.")
    page = client.get(f"/meetings/{session.pk}/minutes/circulate/").content.decode()
    assert "not in Russian" not in page


def test_a_rendering_in_other_languages_points_to_the_sealed_record(client, circulated, world):
    minutes = factories.approve_minutes(circulated, world.staff)
    force_login(client, world.azizi)
    url = f"/meetings/{minutes.meeting_id}/minutes/"
    assert "not the record itself" not in client.get(url).content.decode()
    page = client.get(url + "?lang=ru").content.decode()
    assert f"the record is the sealed PDF in English, SHA-256 {minutes.pdf_sha256}" in page
