"""The journeys of the issue, each in a real browser, each ending on what the page shows and
what the database holds."""

import io
import re
import unicodedata

import pypdf
from django.utils import timezone
from playwright.sync_api import expect

from committee.agreements.models import Pledge, PledgeUpdate
from committee.meetings.models import AgendaItem, Attendance, Meeting, Minutes
from committee.members.models import Member
from tests.conftest import run_worker
from tests.e2e.conftest import PASSWORD, open_page, screenshot, sign_in, url_of

EVIDENCE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AOB_TITLES = {
    "fa": "مسایل متفرقه",
    "ps": "نورې موضوعګانې",
    "ru": "Прочие вопросы",
    "kk": "Басқа мәселелер",
}


def afghan_pledge_due_soon():
    return (
        Pledge.objects.due_within(timezone.localdate(), 30)
        .filter(responsible_party__country_code="AF")
        .order_by("due_on")
        .first()
    )


def test_an_official_posts_an_update_with_evidence(page, tmp_path):
    sign_in(page, "azizi")
    due_soon = page.get_by_role("region", name=re.compile("Due in the next 30 days"))
    pledge = afghan_pledge_due_soon()
    due_soon.get_by_role("link", name=re.compile(re.escape(pledge.title))).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(pledge.title)

    evidence = tmp_path / "Railway trainees.pdf"
    evidence.write_bytes(EVIDENCE)
    page.get_by_label("New status").select_option("in_progress")
    page.get_by_label("Progress (%)").fill("55")
    page.get_by_label("Note").fill("Twelve trainees nominated; list sent to Almaty.")
    page.get_by_label("Evidence file").set_input_files(evidence)
    page.get_by_role("button", name="Post update").click()

    expect(page.get_by_role("status").or_(page.locator(".alert-success"))).to_contain_text(
        "Your update is recorded"
    )
    timeline = page.get_by_role("region", name="Updates")
    expect(timeline).to_contain_text("Twelve trainees nominated; list sent to Almaty.")
    expect(timeline.get_by_role("link", name=re.compile("Railway trainees.pdf"))).to_be_visible()
    screenshot(page, "journey-pledge-after-update")

    update = PledgeUpdate.objects.get(note="Twelve trainees nominated; list sent to Almaty.")
    assert update.pledge_id == pledge.pk
    assert update.author.username == "azizi"
    assert update.evidence_name == "Railway trainees.pdf"
    with update.evidence.open("rb") as stored:
        assert stored.read() == EVIDENCE
    pledge.refresh_from_db()
    assert (pledge.status, pledge.progress) == ("in_progress", 55)

    page.get_by_role("link", name="Dashboard").click()
    latest = page.get_by_role("region", name="Latest updates")
    expect(latest).to_contain_text("Twelve trainees nominated; list sent to Almaty.")


def test_the_other_delegation_finds_no_form_and_a_forged_post_is_refused(page):
    sign_in(page, "torebayev")
    pledge = afghan_pledge_due_soon()
    before = PledgeUpdate.objects.count()
    open_page(page, pledge.get_absolute_url(), pledge.title)
    expect(page.get_by_role("button", name="Post update")).to_have_count(0)
    expect(page.get_by_text("posted by the responsible delegation")).to_be_visible()

    csrf = next(c["value"] for c in page.context.cookies() if "csrftoken" in c["name"])
    response = page.request.post(
        pledge.get_absolute_url(),
        form={
            "csrfmiddlewaretoken": csrf,
            "status": "completed",
            "progress": "100",
            "note": "Forged",
            "submission_key": "6f1c4b8e-1111-4222-8333-944455556666",
        },
        headers={"Referer": page.url},
    )
    assert response.status == 403
    assert PledgeUpdate.objects.count() == before
    assert not PledgeUpdate.objects.filter(note="Forged").exists()
    pledge.refresh_from_db()
    assert pledge.status != "completed"


def test_staff_add_agenda_and_attendance_then_circulate_and_the_heads_approve(page):
    meeting = Meeting.objects.get(number=1)
    observer = Member.objects.get(user__username="observer")
    sign_in(page, "secretariat", next_path=f"/admin/meetings/meeting/{meeting.pk}/change/")
    expect(page).to_have_url(re.compile(rf"/admin/meetings/meeting/{meeting.pk}/change/"))

    screenshot(page, "journey-admin-meeting")
    items = AgendaItem.objects.filter(meeting=meeting).count()
    page.get_by_text("Add another Agenda item").click()
    row = page.locator(f"[id='agenda_items-{items}']")
    row.locator("input[name$='-position']").fill(str(items + 1))
    row.locator("input[name$='-title_en']").fill("Any other business")
    # Every authentic language of the record needs the title, or circulating is refused.
    for code, title in AOB_TITLES.items():
        row.locator(f"input[name$='-title_{code}']").fill(title)
    page.get_by_text("Add another Attendance").click()
    attendance_rows = Attendance.objects.filter(meeting=meeting).count()
    new_attendance = page.locator(f"[id='attendances-{attendance_rows}']")
    new_attendance.locator("select[name$='-member']").select_option(str(observer.pk))
    new_attendance.locator("select[name$='-status']").select_option("remote")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert AgendaItem.objects.filter(meeting=meeting, title_en="Any other business").exists()
    assert Attendance.objects.get(meeting=meeting, member=observer).status == "remote"

    open_page(page, meeting.get_absolute_url(), str(meeting))
    page.get_by_role("link", name="Circulate to the delegations…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Circulate the minutes")
    screenshot(page, "journey-circulate")
    page.get_by_role("button", name="Circulate to the delegations").click()
    expect(page.locator(".alert-success")).to_contain_text("Version 1 of the minutes")

    for username, party in (("azizi", "Afghanistan"), ("dpm", "Kazakhstan")):
        page.context.clear_cookies()
        sign_in(page, username)
        open_page(page, meeting.get_absolute_url(), str(meeting))
        page.get_by_role("link", name="Approve for my delegation…").click()
        page.get_by_label("Your password").fill(PASSWORD)
        screenshot(page, f"journey-approve-{username}")
        page.get_by_role("button", name=f"Approve for {party}").click()
        expect(page.locator(".alert-success")).to_be_visible()
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_by.username == "dpm"
    assert sorted(minutes.approvals.values_list("recorded_by__username", flat=True)) == [
        "azizi",
        "dpm",
    ]
    expect(page.get_by_role("region", name="Minutes")).to_contain_text(
        "The sealed PDF is being prepared."
    )
    run_worker()  # the worker makes the sealed PDF; the page shows it by itself
    minutes.refresh_from_db()
    expect(page.locator("#minutes-sha256")).to_have_text(minutes.pdf_sha256)
    expect(page.get_by_role("region", name="Minutes")).to_contain_text(
        "Approved by the heads of delegation"
    )
    screenshot(page, "journey-meeting-approved")


def test_printing_the_minutes_gives_the_record_without_navigation(page):
    meeting = Meeting.objects.get(number=1)
    Minutes.objects.filter(meeting=meeting).update(status=Minutes.Status.CIRCULATED)
    sign_in(page, "azizi")
    open_page(page, f"/meetings/{meeting.pk}/minutes/", re.compile("Protocol of the"))
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    # Chromium sets "fi", "fl" as ligatures; NFKC reads them as letters again.
    flat = " ".join(unicodedata.normalize("NFKC", text).split())
    for attendee in ("Nooruddin Azizi", "Kairat Torebayev", "Deputy Prime Minister"):
        assert attendee in flat
    assert "The Parties agreed to resume direct Kabul–Almaty flights" in flat
    assert "For the Government of the Republic of Kazakhstan" in flat
    assert "For" in flat
    assert "Afghanistan" in flat
    for chrome in ("Sign out", "Dashboard", "Skip to main content"):
        assert chrome not in flat


def test_keyboard_only_sign_in_and_update(page):
    page.goto("/accounts/login/")
    tab_to(page, "username")
    page.keyboard.type("azizi")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    # A refused password would show the form again: the dashboard proves the sign-in.
    expect(page).to_have_url(url_of("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    pledge = afghan_pledge_due_soon()
    open_page(page, pledge.get_absolute_url(), pledge.title)
    tab_to(page, "progress")
    page.keyboard.press("Control+A")
    page.keyboard.type("70")
    tab_to(page, "note")
    page.keyboard.type("Reported from the keyboard.")
    tab_to(page, "submit")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("region", name="Updates")).to_contain_text(
        "Reported from the keyboard."
    )
    assert PledgeUpdate.objects.filter(note="Reported from the keyboard.", progress=70).exists()


def tab_to(page, name: str, limit: int = 60) -> None:
    """Press Tab until the field called `name` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.name") == name:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{name} is not reachable with Tab")


def test_phone_sized_pages_need_no_sideways_scrolling(phone_page):
    page = phone_page
    sign_in(page, "azizi")
    pledge = Pledge.objects.get(number=1, agreement__isnull=False)
    for path, name, heading in [
        ("/", "dashboard", "Dashboard"),
        ("/pledges/", "tracker", "Pledge tracker"),
        (pledge.get_absolute_url(), "pledge", pledge.title),
    ]:
        open_page(page, path, heading)
        width = page.evaluate("document.documentElement.scrollWidth")
        viewport = page.evaluate("window.innerWidth")
        assert width <= viewport, f"{path} is {width}px wide in a {viewport}px window"
        screenshot(page, f"phone-{name}")
    page.get_by_role("button", name="Menu").click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Pledges")
    ).to_be_visible()
