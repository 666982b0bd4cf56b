"""The pledge tracker in a browser: sorting by a column's header with the mouse and with the
keyboard, and filters whose chosen option reads in full at desktop and phone widths, in
English, Russian and Dari."""

import re

import pytest
from playwright.sync_api import Page, expect

from committee.agreements.models import Pledge
from committee.members.models import Party, User
from tests.e2e.conftest import open_page, screenshot, sign_in

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def header(page: Page, label: str):
    return page.get_by_role("columnheader", name=re.compile(f"^{label}"))


def column(page: Page, index: int) -> list[str]:
    """The texts of one column of the tracker's rows (1: the pledge)."""
    cells = page.locator(f"table.pledge-table tbody tr td:nth-child({index})")
    return [" ".join(text.split()) for text in cells.all_inner_texts()]


def test_sorting_by_a_column_with_the_mouse(page):
    sign_in(page, "azizi", "/pledges/")
    expect(header(page, "Due")).to_have_attribute("aria-sort", "ascending")
    by_due_date = column(page, 1)

    page.get_by_role("link", name=re.compile("^Focal point")).click()

    expect(page).to_have_url(re.compile(r"/pledges/\?ordering=focal_point$"))
    expect(header(page, "Focal point")).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("th[aria-sort]")).to_have_count(1)
    # Kairat Torebayev before (Alhaj) Nooruddin Azizi: by name, not by the honorific.
    focal_points = column(page, 3)
    assert focal_points == sorted(focal_points, key=lambda name: "Alhaj" in name)
    assert focal_points[0] == "Kairat Torebayev"
    assert "Nooruddin Azizi" in focal_points[-1]
    assert column(page, 1) != by_due_date

    page.get_by_role("link", name=re.compile("^Focal point")).click()

    expect(page).to_have_url(re.compile(r"/pledges/\?ordering=-focal_point$"))
    expect(header(page, "Focal point")).to_have_attribute("aria-sort", "descending")
    assert column(page, 3) == sorted(focal_points, key=lambda name: "Alhaj" not in name)
    expect(page.get_by_label("Sort by")).to_have_value("-focal_point")
    screenshot(page, "tracker-sorted-by-focal-point")


def test_sorting_by_a_column_with_the_keyboard(page):
    sign_in(page, "azizi", "/pledges/")
    kazakhstan = Party.objects.get(country_code="KZ")
    page.get_by_label("Responsible party").select_option(label="Kazakhstan only")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(rf"responsible_party={kazakhstan.pk}-only"))
    due_link = page.get_by_role("link", name=re.compile("^Due"))
    page.get_by_role("link", name="Clear").focus()

    # From the form to the table: the headers of Pledge, Responsible, Focal point, Sector, Due.
    for _ in range(5):
        page.keyboard.press("Tab")
    expect(due_link).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"ordering=-due"))
    expect(page).to_have_url(re.compile(rf"responsible_party={kazakhstan.pk}-only"))
    expect(header(page, "Due")).to_have_attribute("aria-sort", "descending")
    latest_first = Pledge.objects.filter(responsible_party=kazakhstan).order_by("-due_on")
    assert column(page, 1) == [f"{p.reference} {p.title}" for p in latest_first]

    page.get_by_role("link", name=re.compile("^Due")).focus()
    page.keyboard.press("Enter")

    expect(header(page, "Due")).to_have_attribute("aria-sort", "ascending")
    assert column(page, 1) == [f"{p.reference} {p.title}" for p in reversed(latest_first)]


# For each select of the filter form and each of its options: does the option, once chosen,
# show in full? On one line, or wrapped onto as many lines as it needs (Chromium wraps a
# select's text where white-space allows it).
CUT_OFF_CHOICES = """() => {
  const canvas = document.createElement("canvas").getContext("2d");
  const cut = [];
  for (const select of document.querySelectorAll("form[role=search] select")) {
    const style = getComputedStyle(select);
    const px = (name) => parseFloat(style[name]);
    canvas.font = style.font;
    const inner = select.clientWidth - px("paddingLeft") - px("paddingRight");
    const chosen = select.value;
    for (const option of select.options) {
      select.value = option.value;
      const width = canvas.measureText(option.text).width;
      const height = select.clientHeight - px("paddingTop") - px("paddingBottom");
      const lines = Math.ceil(width / inner);
      if (width > inner + 1 && height < lines * px("lineHeight") - 1) {
        cut.push(`${select.name}: "${option.text}" needs ${width}px, has ${inner}px`);
      }
    }
    select.value = chosen;
  }
  return cut;
}"""


@pytest.mark.parametrize("language", ["en", "ru", "fa"])
def test_every_filter_shows_its_choice_in_full(browser, live_server, demo, language):
    User.objects.filter(username="azizi").update(language=language)
    context = browser.new_context(viewport=LAPTOP, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, "azizi", "/pledges/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    for viewport in (LAPTOP, PHONE):
        page.set_viewport_size(viewport)
        for path in ("/pledges/", "/reports/implementation/", "/"):
            open_page(page, path, re.compile(".+"))
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{path} is {width}px wide"
            if path != "/":
                assert page.evaluate(CUT_OFF_CHOICES) == [], (path, viewport)
        screenshot(page, f"tracker-{language}-{viewport['width']}")
    context.close()
