"""The agreed record, as the issue checks it: the secretariat circulates the demo minutes, the
Afghan and Kazakh officials each comment, the secretariat answers, corrects and re-circulates,
both heads of delegation approve, and the sealed record verifies."""

import re

from playwright.sync_api import expect

from committee.meetings.models import AgendaItem, Meeting, Minutes, MinutesComment
from tests.conftest import run_worker
from tests.e2e.conftest import PASSWORD, open_page, screenshot, sign_in


def as_user(page, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)


def comment(page, meeting, *, item: str, paragraph: str, text: str) -> None:
    open_page(page, f"/meetings/{meeting.pk}/minutes/comments/", re.compile("."))
    page.get_by_label("Agenda item").select_option(label=item)
    page.get_by_label("Paragraph").fill(paragraph)
    page.get_by_role("textbox", name=re.compile(r"^Comment")).fill(text)
    page.get_by_role("button", name="Send the comment").click()
    expect(page.locator(".alert-success")).to_be_visible()


def test_circulate_comment_answer_recirculate_approve_and_verify(
    page, secretariat, tmp_path, settings, seal_files
):
    settings.SIGNING_CERTIFICATE_FILE, settings.SIGNING_KEY_FILE = map(str, seal_files)
    meeting = Meeting.objects.get(number=1)
    trade = AgendaItem.objects.get(meeting=meeting, position=3)

    open_page(secretariat, meeting.get_absolute_url(), str(meeting))
    secretariat.get_by_role("link", name="Circulate to the delegations…").click()
    secretariat.get_by_role("button", name="Circulate to the delegations").click()
    expect(secretariat.locator(".alert-success")).to_contain_text("Version 1")

    official = page
    as_user(page, "azizi")
    comment(page, meeting, item=str(trade), paragraph="3.2", text="Add dried fruits to the list.")
    as_user(page, "torebayev")
    comment(page, meeting, item=str(trade), paragraph="3.1", text="Name the port of Aktau.")
    # The Afghan comment is not answered yet: the Kazakh side does not see it.
    expect(page.get_by_text("Add dried fruits to the list.")).to_have_count(0)
    screenshot(page, "negotiation-kazakh-comments")

    page = secretariat
    open_page(page, f"/meetings/{meeting.pk}/minutes/comments/", re.compile("."))
    for text, answer in (
        ("Add dried fruits to the list.", "Accepted"),
        ("Name the port of Aktau.", "Declined"),
    ):
        card = page.locator("li.card", has_text=text)
        card.get_by_label(answer, exact=True).check()
        if answer == "Declined":
            card.get_by_label("Reason").fill("The port was not discussed at the session.")
        card.get_by_role("button", name="Record the answer").click()
        expect(page.locator(".alert-success")).to_be_visible()
    screenshot(page, "negotiation-answers")
    assert not MinutesComment.objects.filter(answer="").exists()

    AgendaItem.objects.filter(pk=trade.pk).update(
        decision_en=trade.decision_en.replace("and dried fruits", "and dried fruits and nuts")
    )
    open_page(page, meeting.get_absolute_url(), str(meeting))
    page.get_by_role("link", name="Circulate a new version…").click()
    page.get_by_role("button", name="Circulate to the delegations").click()
    expect(page.locator(".alert-success")).to_contain_text("Version 2")

    page = official
    as_user(page, "torebayev")
    open_page(page, f"/meetings/{meeting.pk}/minutes/comments/", re.compile("."))
    expect(page.get_by_text("Add dried fruits to the list.")).to_be_visible()  # answered now
    open_page(page, f"/meetings/{meeting.pk}/minutes/changes/", re.compile("."))
    expect(page.locator("main ins", has_text="nuts")).to_have_count(1)
    screenshot(page, "negotiation-changes")

    for username, party in (("azizi", "Afghanistan"), ("dpm", "Kazakhstan")):
        as_user(page, username)
        open_page(page, meeting.get_absolute_url(), str(meeting))
        page.get_by_role("link", name="Approve for my delegation…").click()
        page.get_by_label("Your password").fill(PASSWORD)
        page.get_by_role("button", name=f"Approve for {party}").click()
        expect(page.locator(".alert-success")).to_be_visible()
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.is_approved
    assert {a.circulation.number for a in minutes.approvals.all()} == {2}
    screenshot(page, "negotiation-approved")
    run_worker()  # the sealed record, made and kept by the worker
    minutes.refresh_from_db()
    # A new tab: the meeting page open in this one reloads itself once the record is made.
    page = page.context.new_page()
    open_page(page, meeting.get_absolute_url(), str(meeting))

    record = tmp_path / "record.pdf"
    with page.expect_download() as download:
        page.evaluate(
            """url => { const a = document.createElement('a'); a.href = url;
            a.download = 'record.pdf'; document.body.appendChild(a); a.click(); }""",
            f"/meetings/{meeting.pk}/minutes.pdf",
        )
    download.value.save_as(record)
    # In a new tab: the download's navigation may still be ending in this one, and it aborts
    # a navigation begun meanwhile (seen on a loaded machine).
    page = page.context.new_page()
    open_page(page, "/verify/", re.compile("."))
    page.locator("input[type=file]").set_input_files(record)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#verdict")).to_contain_text("seal is intact", timeout=20_000)
    expect(page.locator("main")).to_contain_text(minutes.pdf_sha256)
    screenshot(page, "negotiation-verified")
