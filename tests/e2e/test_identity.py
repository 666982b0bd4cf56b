"""Whose service this is, at first sight: the header names the committee and its parties in
the reader's language, the footer whom to ask and which version answers; the navigation is
reached by keyboard on a phone too."""

import re

from playwright.sync_api import expect

from committee.members.models import Committee
from portal.context_processors import portal_version
from tests.e2e.conftest import sign_in


def test_the_sign_in_page_says_whose_service_it_is_and_whom_to_ask(page):
    committee = Committee.objects.get()
    page.goto("/accounts/login/")
    banner = page.get_by_role("banner")
    expect(banner).to_contain_text(committee.name_en)
    expect(banner).to_contain_text("Afghanistan · Kazakhstan")
    # Nothing to navigate to before signing in.
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    footer = page.get_by_role("contentinfo")
    expect(footer.get_by_role("link", name=committee.secretariat_email)).to_have_attribute(
        "href", f"mailto:{committee.secretariat_email}"
    )
    expect(footer).to_contain_text(f"version {portal_version()}")


def test_the_header_speaks_the_readers_language(page):
    committee = Committee.objects.get()
    sign_in(page, "azizi")
    page.locator(".language-switcher").get_by_role("button", name="دری").click()
    banner = page.get_by_role("banner")
    expect(banner).to_contain_text(committee.name_fa)
    expect(banner).to_contain_text("افغانستان · قزاقستان")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def test_on_a_phone_the_menu_opens_by_keyboard(phone_page):
    page = phone_page
    sign_in(page, "azizi")
    pledges = page.get_by_role("navigation", name="Main").get_by_role("link", name="Pledges")
    expect(pledges).to_be_hidden()
    menu = page.get_by_role("button", name="Menu")
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(pledges).to_be_visible()
    pledges.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/pledges/$"))
    # The committee's name wraps inside the screen: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
