"""The PDFs the worker makes, in the browser: the pages say they are being prepared, then,
as the worker finishes, show the file by themselves (rendering.js); each state is audited
with axe-core and photographed for people to look at."""

import re

import pytest
from playwright.sync_api import expect

from committee.meetings import record, services
from committee.meetings.models import Meeting, Minutes
from committee.members.models import User
from tests.conftest import run_worker
from tests.e2e.conftest import open_page, screenshot, sign_in
from tests.e2e.test_accessibility import serious_violations


@pytest.fixture
def approved_meeting(demo):
    """The demo session's minutes circulated and approved by both heads of delegation; the
    worker has not run yet."""
    meeting = Meeting.objects.get(number=1)
    staff = User.objects.get(username="secretariat")
    services.minutes_circulate(minutes=meeting.minutes, user=staff)
    for head in record.heads_of_delegation(meeting).values():
        services.minutes_approve(minutes=Minutes.objects.get(meeting=meeting), user=head.user)
    assert Minutes.objects.get(meeting=meeting).record_pending
    return meeting


def test_the_minutes_wait_for_their_sealed_pdf_then_offer_it(page, approved_meeting):
    meeting = approved_meeting
    sign_in(page, "azizi")
    progress = page.locator("#record-progress")

    response = page.goto(f"/meetings/{meeting.pk}/minutes.pdf")
    assert response.status == 202
    expect(page.get_by_role("heading", level=1)).to_have_text("PDF of the approved minutes")
    expect(progress).to_contain_text("The sealed PDF is being prepared.")
    assert serious_violations(page) == []
    screenshot(page, "desktop-azizi-record-pdf-pending")

    open_page(page, f"/meetings/{meeting.pk}/minutes/", re.compile("Protocol of the"))
    expect(progress).to_contain_text("The sealed PDF is being prepared.")
    expect(page.get_by_role("link", name="Download PDF")).to_have_count(0)
    screenshot(page, "desktop-azizi-minutes-record-pending")

    open_page(page, meeting.get_absolute_url(), str(meeting))
    expect(progress).to_contain_text("The sealed PDF is being prepared.")
    expect(progress).to_contain_text("Waiting its turn")
    expect(page.get_by_role("link", name="PDF", exact=True)).to_have_count(0)
    assert serious_violations(page) == []
    screenshot(page, "desktop-azizi-meeting-record-pending")

    run_worker()
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.pdf_sha256
    # The page asks how it goes and loads itself again: no click.
    expect(page.locator("#minutes-sha256")).to_have_text(minutes.pdf_sha256)
    expect(progress).to_have_count(0)
    expect(page.get_by_role("link", name="PDF", exact=True)).to_be_visible()
    screenshot(page, "desktop-azizi-meeting-record-ready")

    open_page(page, f"/meetings/{meeting.pk}/minutes/", re.compile("Protocol of the"))
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
    screenshot(page, "desktop-azizi-minutes-record-ready")


def test_the_implementation_matrix_pdf_is_prepared_then_offered(page, tmp_path):
    sign_in(page, "torebayev")
    open_page(page, "/reports/implementation/?due=overdue", "Implementation matrix")
    screenshot(page, "desktop-torebayev-report")
    page.get_by_role("button", name="Download PDF").click()
    expect(page).to_have_url(re.compile(r"/reports/implementation/pdf/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("PDF of the implementation matrix")
    expect(page.get_by_role("status")).to_contain_text("The PDF is being prepared.")
    assert serious_violations(page) == []
    screenshot(page, "desktop-torebayev-report-pdf-pending")

    run_worker()
    download_link = page.get_by_role("link", name="Download the PDF")
    expect(download_link).to_be_visible()  # the page loaded itself again
    assert serious_violations(page) == []
    screenshot(page, "desktop-torebayev-report-pdf-ready")
    with page.expect_download() as download:
        page.evaluate(
            """url => { const a = document.createElement('a'); a.href = url;
            a.download = 'report.pdf'; document.body.appendChild(a); a.click(); }""",
            download_link.get_attribute("href"),
        )
    saved = tmp_path / "report.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
