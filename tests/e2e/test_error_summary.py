"""A refused form in the browser (GOV.UK's error summary): the summary at the top takes the
focus when the page loads, so that a screen reader reads it out first; a link of it, taken
with the keyboard, puts the focus in the field it names; each message is shown once in the
summary and once beside its field. Photographed at desktop and phone widths, in English and
in Dari, for people to look at."""

import re

import pytest
from playwright.sync_api import Page, expect

from committee.agreements.models import Pledge
from committee.members.models import User
from tests.e2e.conftest import PASSWORD, open_page, screenshot, sign_in
from tests.e2e.test_accessibility import serious_violations

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
NOTHING_TO_REPORT = "Nothing to report yet"


def summary_of(page: Page):
    summary = page.locator("[data-error-summary]")
    expect(summary).to_have_count(1)
    return summary


def expect_summary_focused(page: Page):
    """The summary holds the focus, and what a screen reader reads there is an alert that
    starts with the summary's heading."""
    summary = summary_of(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("alert")).to_be_visible()
    expect(summary.get_by_role("heading", level=2)).to_be_visible()
    # At the top of the main content: above the page's heading.
    main_heading = page.get_by_role("heading", level=1)
    assert summary.bounding_box()["y"] < main_heading.bounding_box()["y"]
    return summary


def follow_with_enter(page: Page, summary, field_id: str, name: str | None = None):
    """Take the summary's link to the field as a keyboard user would, press Enter: the focus
    is in the field, whose label is in view."""
    link = summary.locator(f"a[href='#{field_id}']")
    if name is not None:
        expect(link).to_have_text(name)
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#{field_id}")).to_be_focused()
    expect(page.locator(f"label[for='{field_id}']")).to_be_in_viewport(ratio=1)


def afghan_pledge() -> Pledge:
    return Pledge.objects.filter(responsible_party__country_code="AF").order_by("pk").first()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_refused_pledge_update(new_page, width):
    page = new_page(WIDTHS[width])
    sign_in(page, "azizi")
    pledge = afghan_pledge()
    open_page(page, pledge.get_absolute_url(), pledge.title)
    expect(page.locator("[data-error-summary]")).to_have_count(0)

    # Posted as shown, with nothing changed: one message, said once, in the summary.
    page.get_by_role("button", name="Post update").click()
    summary = expect_summary_focused(page)
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(summary).to_contain_text(NOTHING_TO_REPORT)
    expect(page.get_by_text(NOTHING_TO_REPORT)).to_have_count(1)
    expect(summary.get_by_role("link")).to_have_count(0)
    assert serious_violations(page) == []
    screenshot(page, f"{width}-error-summary-pledge-empty")

    # A blank progress: a link in the summary, the message beside the field too.
    page.get_by_label("Progress (%)").fill("")
    page.get_by_role("button", name="Post update").click()
    summary = expect_summary_focused(page)
    expect(page.get_by_text("This field is required.")).to_have_count(2)
    field = page.locator("#id_progress")
    expect(field).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(field).to_have_accessible_description(re.compile("This field is required."))
    screenshot(page, f"{width}-error-summary-pledge-progress")
    follow_with_enter(page, summary, "id_progress", "Progress (%): This field is required.")
    assert serious_violations(page) == []


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_refused_sign_in(new_page, width):
    page = new_page(WIDTHS[width])
    open_page(page, "/accounts/login/", "Sign in")
    expect(page).to_have_title(re.compile(r"^Sign in"))
    page.get_by_label("Username").fill("azizi")
    page.get_by_role("button", name="Sign in").click()
    summary = expect_summary_focused(page)
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    expect(summary.get_by_role("link")).to_have_text(["Password: This field is required."])
    expect(page.locator("#id_password")).to_have_accessible_description(
        re.compile("This field is required.")
    )
    screenshot(page, f"{width}-error-summary-sign-in")
    follow_with_enter(page, summary, "id_password", "Password: This field is required.")

    # A wrong password is about the whole form: said once, in the summary, without a link.
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    summary = expect_summary_focused(page)
    expect(page.get_by_text("Please enter a correct username and password")).to_have_count(1)
    expect(summary.get_by_role("link")).to_have_count(0)
    assert serious_violations(page) == []


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_summary_in_dari(new_page, width):
    """Right to left: the same summary, its links and the fields' messages in Dari."""
    page = new_page(WIDTHS[width])
    page.goto("/accounts/login/")
    page.get_by_role("button", name="دری").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("main form button[type=submit]").click()
    summary = expect_summary_focused(page)
    expect(summary.get_by_role("link")).to_have_count(2)
    screenshot(page, f"{width}-error-summary-sign-in-fa")
    follow_with_enter(page, summary, "id_password")

    page = new_page(WIDTHS[width])
    sign_in(page, "azizi")
    User.objects.filter(username="azizi").update(language="fa")
    pledge = afghan_pledge()
    page.goto(pledge.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("#id_progress").fill("")
    page.locator("#submit-id-submit").click()
    summary = expect_summary_focused(page)
    screenshot(page, f"{width}-error-summary-pledge-fa")
    follow_with_enter(page, summary, "id_progress")


def test_the_summary_takes_the_focus_from_an_autofocused_field(page):
    """The code field of the second factor has autofocus; after a refused code the summary
    holds the focus all the same, and its link leads back to the field."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("secretariat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/verify/"))
    page.get_by_label(re.compile("code", re.I)).fill("12")
    page.get_by_role("button", name="Continue").click()
    summary = expect_summary_focused(page)
    page.wait_for_timeout(500)  # autofocus runs at the browser's next rendering step
    expect(summary).to_be_focused()
    follow_with_enter(page, summary, "id_code")
