"""End-to-end fixtures: the demo data, pytest-django's live server and Debian's Chromium.

Playwright drives the system Chromium (`playwright install` cannot download browsers here);
`scripts/ensure_test_packages.sh`, run by `make test`, installs it where missing.
"""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect, sync_playwright

from committee.accounts.totp import current_code, hex_from_base32
from committee.members.models import User

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "e2e-demo-password-2026"
TOTP_KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db, monkeypatch, tmp_path, settings):
    """The founding case, as `make run` shows it."""
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    monkeypatch.setenv("DEMO_TOTP_KEY", TOTP_KEY)
    call_command("load_demo", verbosity=0)
    # The demo's officials read in their own languages; the journeys read the pages in
    # English (tests/e2e/test_mail.py sets the languages back where it needs them).
    User.objects.update(language="")


@pytest.fixture
def page(browser, live_server, demo) -> Page:
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server, demo) -> Page:
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def new_page(browser, live_server, demo):
    """new_page(viewport): a fresh window of that size on the live server."""
    contexts = []

    def open_window(viewport: dict) -> Page:
        phone = viewport["width"] < 600
        context = browser.new_context(
            viewport=viewport, base_url=live_server.url, is_mobile=phone, has_touch=phone
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_window
    for context in contexts:
        context.close()


@pytest.fixture
def secretariat(browser, live_server, demo):
    """The secretariat in a window of its own, signed in once: a second factor code is
    accepted only once."""
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    staff = context.new_page()
    staff.set_default_timeout(15_000)
    sign_in(staff, "secretariat")
    yield staff
    context.close()


def url_of(path: str) -> re.Pattern:
    """The address of `path` on the live server, whatever its host and port."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}$")


def sign_in(page: Page, username: str, next_path: str = "/") -> None:
    """Sign in through the form (and the second factor, where it is asked) and check that it
    worked: the browser lands on `next_path`. A refused password shows the form again, and a
    test that went on from there would audit or click through the sign-in page instead."""
    page.goto(f"/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # A refused password renders the form again at the same address: wait to have left it.
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    if re.search(r"/accounts/verify/", page.url):
        page.get_by_label(re.compile("code", re.I)).fill(current_code(hex_from_base32(TOTP_KEY)))
        page.get_by_role("button", name=re.compile("verify|continue|confirm", re.I)).click()
    expect(page).to_have_url(url_of(next_path))


def open_page(page: Page, path: str, heading: str | re.Pattern) -> None:
    """Go to `path` and check that this is the page named: it answered, it was not sent
    elsewhere (to the sign-in page above all), and its main heading reads `heading`."""
    response = page.goto(path)
    assert response is not None, path
    assert response.ok, f"{path} answered {response.status}"
    expect(page).to_have_url(url_of(path))
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
