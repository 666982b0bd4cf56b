"""Printed pages and wide tables at a phone's width and at 1366 pixels (issue 13, item 5): the
minutes reflow on a phone (no sheet of paper, tables as labelled blocks, languages one above
the other, no word broken), the implementation matrix scrolls sideways in a region that says
so, and the admin's pledge list keeps due date, status and progress in sight beside the
sidebar. Each page is photographed in English and in Dari for people to look at."""

import re

import pytest
from playwright.sync_api import Page, expect

from committee.agreements.services import implementation_review_add
from committee.meetings import services
from committee.meetings.models import Meeting
from committee.members.models import User
from tests.e2e.conftest import PHONE, open_page, screenshot, sign_in

LAPTOP = {"width": 1366, "height": 900}

# Words the browser broke over two lines: a run of letters without a space, hyphen, dash or
# slash of its own (where a line may end) whose pieces stand on different lines. Text the
# page hides, or shows to screen readers only, is not looked at.
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest("thead, .visually-hidden, [aria-hidden=true]")) continue;
    for (const match of node.textContent.matchAll(/[^\\s\\-\\u2010-\\u2015\\/]{2,}/g)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set(
        [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))
      );
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


@pytest.fixture
def minutes_with_review(demo) -> Meeting:
    """The demo session with its review of open pledges, circulated: officials read it all."""
    meeting = Meeting.objects.get(number=1)
    implementation_review_add(meeting=meeting)
    services.minutes_circulate(
        minutes=meeting.minutes, user=User.objects.get(username="secretariat")
    )
    return meeting


def page_width(page: Page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def speak(username: str, language: str) -> None:
    User.objects.filter(username=username).update(language=language)


def test_the_minutes_reflow_on_a_phone(phone_page, minutes_with_review):
    page, meeting = phone_page, minutes_with_review
    sign_in(page, "azizi")
    address = f"/meetings/{meeting.pk}/minutes/"
    open_page(page, address, re.compile("Protocol of the first session"))

    width, viewport = page_width(page)
    assert width <= viewport, f"the minutes are {width}px wide in a {viewport}px window"
    # No sheet of paper: the text runs to the screen's edges, less a small margin.
    assert page.evaluate("getComputedStyle(document.body).boxShadow") == "none"
    assert page.evaluate("document.querySelector('main').getBoundingClientRect().width") > 340

    # Each table of the record is one block per row, every value under its column's name.
    for table in ("table.pledges", "table.reviews", "table.heads-table"):
        cells = page.locator(f"{table} tbody td")
        assert cells.count() > 0, table
        assert cells.first.evaluate("td => getComputedStyle(td).display") == "block", table
    header = page.locator("table.reviews thead").first
    assert header.evaluate("h => h.getBoundingClientRect().height") <= 1
    labels = (
        page.locator("table.reviews tbody tr")
        .first.locator("td")
        .evaluate_all("cells => cells.map(td => getComputedStyle(td, '::before').content)")
    )
    assert labels == [
        "none",  # the reference heads the block
        '"Pledge"',
        '"Responsible"',
        '"Status at the review"',
        '"Due"',
        '"Remarks"',
    ]
    assert page.evaluate(BROKEN_WORDS) == []
    screenshot(page, "phone-minutes-en")


def test_two_languages_stand_one_above_the_other_on_a_phone(phone_page, minutes_with_review):
    page, meeting = phone_page, minutes_with_review
    sign_in(page, "azizi")
    speak("azizi", "fa")
    response = page.goto(f"/meetings/{meeting.pk}/minutes/?original=en&lang=fa")
    assert response.ok
    expect(page.get_by_role("heading", level=1).first).to_have_text("Protocol of the first session")

    width, viewport = page_width(page)
    assert width <= viewport, f"the minutes are {width}px wide in a {viewport}px window"
    for row in ("title-row", "attendance-row", "closing-row"):
        english, dari = page.locator(f"tr.{row} > td").all()
        assert dari.get_attribute("lang") == "fa"
        above, below = english.bounding_box(), dari.bounding_box()
        assert below["y"] >= above["y"] + above["height"], row
        assert below["width"] > 340  # the whole width, not half of it
    dari_labels = (
        page.locator("table.pledges")
        .nth(1)
        .locator("tbody td")
        .evaluate_all("cells => cells.map(td => getComputedStyle(td, '::before').content)")
    )
    assert '"مسئول"' in dari_labels  # "Responsible", in the column's language
    assert page.evaluate(BROKEN_WORDS) == []
    screenshot(page, "phone-minutes-en-fa")
    response = page.goto(f"/meetings/{meeting.pk}/minutes/?original=fa")
    assert response.ok
    assert page.evaluate(BROKEN_WORDS) == []
    screenshot(page, "phone-minutes-fa")


def test_on_a_laptop_the_minutes_are_still_a_sheet_of_paper(new_page, minutes_with_review):
    meeting = minutes_with_review
    page = new_page(LAPTOP)
    sign_in(page, "azizi")
    for language, query in (("en", "?original=en&lang=fa"), ("fa", "?original=fa")):
        speak("azizi", language)
        response = page.goto(f"/meetings/{meeting.pk}/minutes/{query}")
        assert response.ok
        assert page.evaluate("getComputedStyle(document.body).boxShadow") != "none"
        sheet = page.evaluate("document.body.getBoundingClientRect().width")
        assert 790 < sheet < 1000  # 210 mm and its padding
        screenshot(page, f"laptop-minutes-{language}")
    assert page.goto(f"/meetings/{meeting.pk}/minutes/?original=en&lang=fa").ok
    english, dari = page.locator("tr.title-row > td").all()
    assert english.bounding_box()["y"] == dari.bounding_box()["y"]  # side by side


def test_the_report_on_a_phone_scrolls_in_a_region_that_says_so(phone_page):
    page = phone_page
    sign_in(page, "azizi")
    for language, forward in (("en", "ArrowRight"), ("fa", "ArrowLeft")):
        speak("azizi", language)
        response = page.goto("/reports/implementation/")
        assert response.ok
        width, viewport = page_width(page)
        assert width <= viewport, f"the report is {width}px wide in a {viewport}px window"

        group = page.locator("section.report-group").first
        region = group.locator('[role="region"]')
        title = group.locator("h2").evaluate("h => h.firstChild.textContent.trim()")
        expect(region).to_have_attribute("aria-label", title)
        expect(region).to_have_attribute("tabindex", "0")
        assert region.evaluate("r => r.scrollWidth > r.clientWidth")
        expect(group.locator(".scroll-hint")).to_be_visible()
        if language == "en":
            expect(group.locator(".scroll-hint")).to_have_text("Scroll sideways to see all columns")

        # Reached with the keyboard, the region scrolls with the arrow keys.
        page.keyboard.press("Tab")
        for _ in range(80):
            if page.evaluate("document.activeElement.getAttribute('role')") == "region":
                break
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == title
        assert region.evaluate("r => r.scrollLeft") == 0
        for _ in range(5):
            page.keyboard.press(forward)
        # The browser scrolls smoothly: wait for it to have moved.
        page.wait_for_function("r => Math.abs(r.scrollLeft) > 0", arg=region.element_handle())
        region.evaluate("r => { r.scrollLeft = 0; }")
        screenshot(page, f"phone-report-{language}")


def test_on_a_laptop_the_report_fits_and_says_nothing_of_scrolling(new_page):
    page = new_page(LAPTOP)
    sign_in(page, "azizi")
    for language in ("en", "fa"):
        speak("azizi", language)
        open_page(page, "/reports/implementation/", re.compile("."))
        for region in page.locator('[role="region"]').all():
            assert region.evaluate("r => r.scrollWidth <= r.clientWidth")
        expect(page.locator(".scroll-hint").first).to_be_hidden()
        screenshot(page, f"laptop-report-{language}")


@pytest.mark.parametrize("language", ["en", "ru", "fa"])
def test_the_admins_pledge_list_keeps_due_date_status_and_progress_in_sight(new_page, language):
    page = new_page(LAPTOP)
    sign_in(page, "secretariat", "/admin/agreements/pledge/")
    speak("secretariat", language)
    page.reload()
    expect(page.locator("#nav-sidebar")).to_be_visible()
    results = page.locator("#changelist-form .results").bounding_box()
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 11
    for column in ("field-due", "field-status", "field-progress_display"):
        for cell in page.locator(f"#result_list td.{column}").all():
            box = cell.bounding_box()
            # In the window, and not cut off by the list's own sideways scrolling.
            assert box["x"] >= 0, column
            assert box["x"] + box["width"] <= LAPTOP["width"], column
            assert box["x"] >= results["x"] - 1, column
            assert box["x"] + box["width"] <= results["x"] + results["width"] + 1, column
    assert page.evaluate(
        "(() => { const r = document.querySelector('#changelist-form .results');"
        " return r.scrollWidth <= r.clientWidth; })()"
    )
    screenshot(page, f"laptop-admin-pledges-{language}")
    phone = new_page(PHONE)
    phone.context.add_cookies(page.context.cookies())
    phone.goto("/admin/agreements/pledge/")
    screenshot(phone, f"phone-admin-pledges-{language}")
