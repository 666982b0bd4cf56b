"""The seal on approved minutes (PAdES, committee/core/sealing.py) and the page that verifies
a PDF (/verify/): real minutes rendered by WeasyPrint, real certificates made with
`cryptography`, pyHanko's own validator as the judge."""

import asyncio
import datetime
import hashlib
import io
import logging
import stat
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from committee.core import calendars, sealing, uploads
from committee.core.management.commands.make_signing_certificate import make_self_signed
from committee.meetings import services
from committee.meetings.models import Minutes
from tests import factories
from tests.conftest import force_login

PASSWORD = "correct horse battery staple"  # tests/factories.UserFactory's


@pytest.fixture
def seal(settings, seal_files):
    """The committee's seal configured, as the environment would (SIGNING_*)."""
    certificate, key = seal_files
    settings.SIGNING_CERTIFICATE_FILE = str(certificate)
    settings.SIGNING_KEY_FILE = str(key)
    settings.SIGNING_KEY_PASSPHRASE = ""
    return certificate


@pytest.fixture
def no_seal(settings):
    settings.SIGNING_CERTIFICATE_FILE = ""
    settings.SIGNING_KEY_FILE = ""
    settings.SIGNING_KEY_PASSPHRASE = ""


@pytest.fixture
def session(world):
    meeting = factories.MeetingFactory(
        committee=world.committee, number=3, title="Third session of the working committee"
    )
    factories.AgendaItemFactory(meeting=meeting, position=1, title="Trade", decision="Agreed.")
    factories.AttendanceFactory(meeting=meeting, member=world.azizi.memberships.get())
    factories.MinutesFactory(meeting=meeting)
    return meeting


def approve(session, world) -> Minutes:
    """Circulated, then approved by both heads of delegation: the last approval seals."""
    return factories.approve_minutes(session.minutes, world.staff)


def read(field_file) -> bytes:
    with field_file.open("rb") as stored:
        return stored.read()


def verify(client, content: bytes, name: str = "minutes.pdf"):
    return client.post("/verify/", {"file": SimpleUploadedFile(name, content, "application/pdf")})


def signed_range_end(content: bytes) -> int:
    """Where the first signed byte range ends (the signature's /Contents starts there)."""
    (signature,) = PdfFileReader(io.BytesIO(content)).embedded_signatures
    return signature.byte_range[1]


# --- Sealing at approval ----------------------------------------------------------------------


def test_approval_stores_a_sealed_pdf_that_pyhanko_finds_intact_and_trusted(seal, session, world):
    minutes = approve(session, world)
    content = read(minutes.pdf)
    assert hashlib.sha256(content).hexdigest() == minutes.pdf_sha256

    (signature,) = PdfFileReader(io.BytesIO(content)).embedded_signatures
    trusted = ValidationContext(trust_roots=[load_cert_from_pemder(str(seal))])
    status = validate_pdf_signature(signature, trusted)
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert status.md_algorithm == "sha256"
    assert "Approved minutes" in str(signature.sig_object["/Reason"])
    assert abs(status.signer_reported_dt - minutes.approved_at) < datetime.timedelta(minutes=1)


def test_the_sealed_pdf_is_still_pdf_a_3b_unencrypted_with_an_invisible_printable_seal(
    seal, session, world
):
    content = read(approve(session, world).pdf)
    reader = PdfReader(io.BytesIO(content))
    assert not reader.is_encrypted
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.pdfaid_part == "3"
    assert xmp.pdfaid_conformance == "B"
    # Still the minutes WeasyPrint wrote: the seal is an incremental update after them.
    assert "Trade" in reader.pages[0].extract_text()
    (field,) = reader.trailer["/Root"]["/AcroForm"]["/Fields"]
    widget = field.get_object()
    # PDF/A: an annotation is printed and never hidden; a zero-size one needs no appearance.
    assert widget["/F"] & 0b100
    assert not widget["/F"] & 0b100011
    assert [float(x) for x in widget["/Rect"]] == [0, 0, 0, 0]


def test_without_a_seal_approval_stores_the_unsigned_pdf_and_warns(no_seal, session, world, caplog):
    with caplog.at_level(logging.WARNING, logger="committee.core.sealing"):
        minutes = approve(session, world)
    assert minutes.status == Minutes.Status.APPROVED
    content = read(minutes.pdf)
    assert content.startswith(b"%PDF-")
    assert PdfFileReader(io.BytesIO(content)).embedded_signatures == []
    assert "no seal configured" in caplog.text


def test_a_seal_that_went_bad_after_start_stores_nothing_unsealed_and_says_so(
    seal, settings, client, sign_in, session, world, tmp_path, worker
):
    """The approval stands; the worker stores no unsealed record in the sealed one's place,
    and the secretariat reads why on the meeting's page, mends the key and asks again."""
    key = settings.SIGNING_KEY_FILE
    settings.SIGNING_KEY_FILE = str(tmp_path / "gone.key")
    heads = factories.name_heads_of_delegation(session)
    services.minutes_circulate(minutes=session.minutes, user=world.staff)
    services.minutes_approve(minutes=session.minutes, user=heads[world.af.pk].user)
    force_login(client, heads[world.kz.pk].user)
    url = f"/meetings/{session.pk}/minutes/approve/"
    page = client.get(url)
    response = client.post(
        url, {"seen": page.context["form"]["seen"].value(), "password": PASSWORD}
    )
    assert response.status_code == 302
    worker()
    minutes = Minutes.objects.get(meeting=session)
    assert minutes.status == Minutes.Status.APPROVED
    assert (minutes.pdf.name, minutes.pdf_sha256) == ("", "")
    sign_in(world.staff)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "The sealed PDF could not be prepared." in page
    assert "cannot be read" in page
    settings.SIGNING_KEY_FILE = key
    client.post(f"/meetings/{session.pk}/minutes/record/prepare/")
    worker()
    minutes.refresh_from_db()
    assert sealing.check_seal(read(minutes.pdf)).intact


# --- The verify page --------------------------------------------------------------------------


def test_the_approved_record_is_recognised_with_its_session_and_an_intact_seal(
    seal, client, sign_in, session, world
):
    minutes = approve(session, world)
    sign_in(world.observer)  # any signed-in user, observers too
    response = verify(client, read(minutes.pdf))
    assert response.status_code == 200
    page = response.content.decode()
    assert "the approved record of this portal, and its seal is intact" in page
    assert "Intact: the document has not changed since it was sealed" in page
    assert world.committee.name in page
    assert "Third session of the working committee" in page
    assert f'href="{session.get_absolute_url()}"' in page
    assert "Test Working Committee seal" in page  # the signer, from the certificate
    assert minutes.pdf_sha256 in page


@pytest.mark.parametrize("where", ["content", "signed-tail"])
def test_one_byte_changed_inside_the_signed_range_is_not_a_record_and_breaks_the_seal(
    seal, client, sign_in, session, world, where
):
    content = read(approve(session, world).pdf)
    if where == "content":
        # A byte of the first page's content stream, well inside the first signed range.
        position = content.index(b"stream\n") + 40
        assert position < signed_range_end(content)
    else:
        # A byte of the incremental update after the signature's /Contents (signed too).
        position = len(content) - 200
    tampered = bytearray(content)
    tampered[position] ^= 0x01
    assert sealing.check_seal(bytes(tampered)).state == sealing.SealState.BROKEN

    sign_in(world.azizi)
    page = verify(client, bytes(tampered)).content.decode()
    assert "This file is not an approved record of this portal." in page
    assert "The signature does not match the document" in page
    assert "Third session of the working committee" not in page


def test_something_appended_after_sealing_is_not_the_record(seal, client, sign_in, session, world):
    content = read(approve(session, world).pdf) + b"\n% a comment added later\n"
    assert sealing.check_seal(content).state == sealing.SealState.ADDED_TO
    sign_in(world.azizi)
    page = verify(client, content).content.decode()
    assert "carries this portal&#x27;s seal, but it is not one of the approved records" in page
    assert "something was added to the file afterwards" in page


def test_a_superseded_record_is_named_superseded_and_its_seal_still_holds(
    seal, client, sign_in, session, world
):
    content = read(approve(session, world).pdf)
    reopening = services.minutes_reopen(
        minutes=session.minutes, user=world.staff, reason="The venue was misspelt."
    )
    approve(session, world)  # approved again: a new record
    sign_in(world.torebayev)
    page = verify(client, content).content.decode()
    assert "it has been superseded" in page
    assert "Re-opened on" in page
    assert escape(calendars.date_time(reopening.reopened_at)) in page
    assert "Third session of the working committee" in page
    assert "Intact: the document has not changed since it was sealed" in page
    assert "The venue was misspelt." not in page  # the reason stays on the meeting page


def test_an_unsigned_record_is_recognised_by_its_checksum_and_said_not_signed(
    no_seal, client, sign_in, session, world
):
    minutes = approve(session, world)
    sign_in(world.azizi)
    page = verify(client, read(minutes.pdf)).content.decode()
    assert "This file is, byte for byte, the approved record of this portal." in page
    assert "Not signed: the file carries no digital signature." in page
    assert "Third session of the working committee" in page


def test_a_record_of_a_committee_the_user_cannot_see_is_confirmed_without_details(
    seal, client, sign_in, session, world
):
    minutes = approve(session, world)
    sign_in(world.outsider)
    page = verify(client, read(minutes.pdf)).content.decode()
    assert "a record approved in this portal" in page
    assert "a committee whose pages you cannot see" in page
    assert world.committee.name not in page
    assert "Third session of the working committee" not in page
    assert session.get_absolute_url() not in page


def test_a_pdf_signed_with_another_certificate_is_not_this_portals_seal(
    seal, settings, client, sign_in, world, tmp_path
):
    certificate, key = make_self_signed("Somebody else", key_size=2048)
    (tmp_path / "other.crt").write_bytes(certificate)
    (tmp_path / "other.key").write_bytes(key)
    plain = read_demo_pdf()
    settings.SIGNING_CERTIFICATE_FILE = str(tmp_path / "other.crt")
    settings.SIGNING_KEY_FILE = str(tmp_path / "other.key")
    foreign = sealing.seal_pdf(plain, reason="Forged approval")
    settings.SIGNING_CERTIFICATE_FILE = str(seal)

    check = sealing.check_seal(foreign)
    assert check.state == sealing.SealState.NOT_OURS
    assert check.signer == "Somebody else"
    sign_in(world.azizi)
    page = verify(client, foreign).content.decode()
    assert "This file is not an approved record of this portal." in page
    assert "it was not made with this portal's certificate" in page


def test_sealing_and_checking_work_under_a_running_event_loop(seal):
    """pyHanko's sync API calls asyncio.run(): an async caller must not break it."""
    plain = read_demo_pdf()

    async def from_a_coroutine():
        sealed = sealing.seal_pdf(plain, reason="Approved minutes")
        return sealing.check_seal(sealed)

    # In a thread of its own: this one may run Playwright's loop already (tests/e2e).
    with ThreadPoolExecutor(max_workers=1) as pool:
        check = pool.submit(asyncio.run, from_a_coroutine()).result()
    assert check.state == sealing.SealState.INTACT


def read_demo_pdf() -> bytes:
    from committee.core.pdf import render_pdf

    return render_pdf("<html lang='en'><title>Not minutes</title><p>Hello</p></html>")


def test_a_file_that_is_not_a_pdf_gets_a_message_at_the_field(client, sign_in, world):
    sign_in(world.azizi)
    response = client.post(
        "/verify/", {"file": SimpleUploadedFile("minutes.pdf", b"PK\x03\x04 a zip", "text/plain")}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This file is not a PDF. Choose the PDF of the minutes." in page
    # crispy puts the message under the field, tied to it, and marks the field invalid.
    assert 'class="form-control is-invalid"' in page
    assert 'id="error_1_id_file"' in page
    assert 'id="verdict"' not in page


def test_a_file_over_the_upload_limit_gets_a_message_at_the_field(
    client, sign_in, world, monkeypatch
):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1000)
    sign_in(world.azizi)
    response = verify(client, b"%PDF-1.7\n" + b"x" * 2000)
    assert response.status_code == 200
    assert "the limit is 1000" in response.content.decode()


def test_a_damaged_pdf_is_answered_not_a_500(seal, client, sign_in, world):
    sign_in(world.azizi)
    response = verify(client, b"%PDF-1.7\nthis is not really a PDF\n%%EOF\n")
    assert response.status_code == 200
    page = response.content.decode()
    assert "This file is not an approved record of this portal." in page
    assert "could not be read as a PDF" in page


def test_the_form_asks_for_a_pdf_with_a_label_and_help(client, sign_in, world):
    sign_in(world.observer)
    page = client.get("/verify/").content.decode()
    assert 'type="file"' in page
    assert 'accept=".pdf,application/pdf"' in page
    assert 'for="id_file" class="form-label' in page
    assert 'aria-describedby="id_file_helptext"' in page
    assert "It is checked and not kept." in page
    assert 'enctype="multipart/form-data"' in page


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/verify/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert client.post("/verify/").status_code == 302


def test_a_post_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.azizi)
    response = client.post("/verify/", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.7")})
    assert response.status_code == 403


def test_each_verification_is_in_the_security_log(seal, client, sign_in, session, world, caplog):
    minutes = approve(session, world)
    sign_in(world.azizi)
    with caplog.at_level(logging.INFO, logger="portal.security"):
        verify(client, read(minutes.pdf))
        client.post("/verify/", {"file": SimpleUploadedFile("x.pdf", b"GIF89a")})
    events = {
        r.security_event["event"]: r.security_event
        for r in caplog.records
        if hasattr(r, "security_event")
    }
    verified = events["record.verified"]
    assert verified["record"] == "current"
    assert verified["seal"] == "intact"
    assert verified["minutes"] == minutes.pk
    assert verified["sha256"] == minutes.pdf_sha256
    assert events["record.verify_refused"]["reason"] == "not_pdf"


# --- Configuration ----------------------------------------------------------------------------


def deploy_check_ids() -> set[str]:
    return {message.id for message in checks.run_checks(include_deployment_checks=True)}


def test_without_a_seal_the_deploy_check_warns(no_seal):
    messages = sealing.check_seal_deployment()
    assert [(m.level, m.id) for m in messages] == [(checks.WARNING, "sealing.W001")]
    assert "sealing.W001" in deploy_check_ids()
    assert sealing.check_seal_configuration() == []


def test_a_usable_seal_passes_every_check(seal):
    assert sealing.check_seal_configuration() == []
    assert sealing.check_seal_deployment() == []
    assert not {i for i in deploy_check_ids() if i.startswith("sealing.")}


def test_an_encrypted_key_needs_its_passphrase(settings, tmp_path):
    certificate, key = make_self_signed("Encrypted", key_size=2048, passphrase=b"correct horse")
    (tmp_path / "seal.crt").write_bytes(certificate)
    (tmp_path / "seal.key").write_bytes(key)
    settings.SIGNING_CERTIFICATE_FILE = str(tmp_path / "seal.crt")
    settings.SIGNING_KEY_FILE = str(tmp_path / "seal.key")
    settings.SIGNING_KEY_PASSPHRASE = "correct horse"
    assert sealing.check_seal_configuration() == []
    settings.SIGNING_KEY_PASSPHRASE = "wrong"
    (error,) = sealing.check_seal_configuration()
    assert error.level == checks.ERROR
    assert "SIGNING_KEY_PASSPHRASE" in error.msg
    assert "wrong" not in error.msg


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"SIGNING_KEY_FILE": ""}, "SIGNING_KEY_FILE is not set"),
        ({"SIGNING_CERTIFICATE_FILE": ""}, "SIGNING_CERTIFICATE_FILE is not set"),
        ({"SIGNING_KEY_FILE": "/nonexistent/seal.key"}, "cannot be read"),
        ({"SIGNING_CERTIFICATE_FILE": "KEY"}, "holds no certificate"),
        ({"SIGNING_KEY_FILE": "CERTIFICATE"}, "cannot be used as a private key"),
        ({"SIGNING_KEY_FILE": "OTHER_KEY"}, "is not the private key of the certificate"),
    ],
)
def test_an_unusable_seal_is_an_error_at_start(seal, settings, seal_files, tmp_path, change, says):
    certificate, key = seal_files
    _, other_key = make_self_signed("Other", key_size=2048)
    (tmp_path / "other.key").write_bytes(other_key)
    paths = {
        "KEY": str(key),
        "CERTIFICATE": str(certificate),
        "OTHER_KEY": str(tmp_path / "other.key"),
    }
    for name, value in change.items():
        setattr(settings, name, paths.get(value, value))
    (error,) = sealing.check_seal_configuration()
    assert error.level == checks.ERROR
    assert error.id == "sealing.E001"
    assert says in error.msg


def test_an_expired_certificate_is_an_error_and_one_about_to_expire_a_warning(settings, tmp_path):
    def configure(name, **kwargs):
        certificate, key = make_self_signed(name, key_size=2048, **kwargs)
        (tmp_path / f"{name}.crt").write_bytes(certificate)
        (tmp_path / f"{name}.key").write_bytes(key)
        settings.SIGNING_CERTIFICATE_FILE = str(tmp_path / f"{name}.crt")
        settings.SIGNING_KEY_FILE = str(tmp_path / f"{name}.key")

    configure("expired", valid_from=timezone.now() - datetime.timedelta(days=400), valid_days=365)
    (error,) = sealing.check_seal_configuration()
    assert (error.level, error.id) == (checks.ERROR, "sealing.E001")
    assert "expired on" in error.msg
    configure("soon", valid_days=10)
    (warning,) = sealing.check_seal_configuration()
    assert (warning.level, warning.id) == (checks.WARNING, "sealing.W002")


# --- The demo certificate of `make run` -------------------------------------------------------


def test_make_signing_certificate_makes_a_demo_seal_once(settings, tmp_path):
    from cryptography import x509

    folder = tmp_path / "signing"
    call_command("make_signing_certificate", directory=folder, verbosity=0)
    certificate_file, key_file = folder / "seal.crt", folder / "seal.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    certificate = x509.load_pem_x509_certificate(certificate_file.read_bytes())
    assert "demo seal" in certificate.subject.rfc4514_string()
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature
    assert usage.content_commitment
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert datetime.timedelta(days=5 * 365) <= lifetime <= datetime.timedelta(days=5 * 366)

    before = certificate_file.read_bytes()
    call_command("make_signing_certificate", directory=folder, verbosity=0)
    assert certificate_file.read_bytes() == before  # kept, not replaced

    settings.SIGNING_CERTIFICATE_FILE = str(certificate_file)
    settings.SIGNING_KEY_FILE = str(key_file)
    assert sealing.check_seal_configuration() == []
