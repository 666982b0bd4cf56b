"""The verify page in the browser: an observer uploads the sealed record, a changed copy, a
superseded record and a file that is no PDF; each answer is audited with axe-core and
photographed for people to look at."""

import re

import pytest
from playwright.sync_api import expect

from committee.meetings import services
from committee.meetings.models import Meeting
from committee.members.models import User
from tests import factories
from tests.e2e.conftest import open_page, screenshot, sign_in
from tests.e2e.test_accessibility import serious_violations


@pytest.fixture
def sealed_record(settings, seal_files, demo, tmp_path):
    """The demo session's minutes approved and sealed, then re-opened and approved again:
    (current PDF, superseded PDF, meeting)."""
    certificate, key = seal_files
    settings.SIGNING_CERTIFICATE_FILE = str(certificate)
    settings.SIGNING_KEY_FILE = str(key)
    meeting = Meeting.objects.select_related("minutes").get(number=1)
    staff = User.objects.get(username="secretariat")
    first = factories.approve_minutes(meeting.minutes, staff)
    with first.pdf.open("rb") as stored:
        superseded = stored.read()
    services.minutes_reopen(minutes=first, user=staff, reason="Spelling of the venue.")
    current = factories.approve_minutes(first, staff)
    with current.pdf.open("rb") as stored:
        record = stored.read()
    files = {}
    for name, content in {
        "minutes.pdf": record,
        "changed.pdf": change_one_byte(record),
        "superseded.pdf": superseded,
        "notes.txt": b"Not a PDF at all.",
    }.items():
        files[name] = tmp_path / name
        files[name].write_bytes(content)
    return files, meeting


def change_one_byte(content: bytes) -> bytes:
    changed = bytearray(content)
    changed[content.index(b"stream\n") + 40] ^= 0x01
    return bytes(changed)


def upload(page, path):
    page.get_by_label("PDF file").set_input_files(path)
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/verify/$"))


def test_an_observer_verifies_records_in_the_browser(page, sealed_record):
    files, meeting = sealed_record
    sign_in(page, "observer")
    open_page(page, "/verify/", "Verify a PDF record")
    screenshot(page, "desktop-observer-verify")

    found = {}
    for name, verdict, seal in [
        ("minutes.pdf", "the approved record of this portal", "Intact"),
        ("changed.pdf", "not an approved record", "does not match the document"),
        ("superseded.pdf", "it has been superseded", "Intact"),
    ]:
        upload(page, files[name])
        expect(page.locator("#verdict")).to_contain_text(verdict)
        expect(page.locator("#seal-answer")).to_contain_text(seal)
        if "changed" not in name:
            expect(page.get_by_role("link", name=str(meeting))).to_be_visible()
        if problems := serious_violations(page):
            found[name] = problems
        screenshot(page, f"desktop-observer-verify-{name.removesuffix('.pdf')}")

    upload(page, files["notes.txt"])
    expect(page.locator("#error_1_id_file")).to_contain_text("This file is not a PDF")
    expect(page.get_by_label("PDF file")).to_have_attribute("aria-invalid", "true")
    if problems := serious_violations(page):
        found["notes.txt"] = problems
    screenshot(page, "desktop-observer-verify-not-a-pdf")
    assert found == {}
