"""A new member of the secretariat sets up the second factor in a real browser: the password
alone leads to whom to ask; a colleague issues the enrolment link in the admin; the link, the
app's code, then the recovery codes shown once. The pages of the newcomer are audited with
axe-core and photographed."""

import re

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from committee.accounts.models import EnrolmentLink
from committee.accounts.totp import current_code, hex_from_base32
from committee.members.models import User
from tests.e2e.conftest import DESKTOP, PASSWORD, screenshot, url_of
from tests.e2e.test_accessibility import serious_violations


def test_a_newcomer_sets_up_the_app_with_a_link_from_the_secretariat(secretariat, new_page):
    newcomer = User.objects.create_user(
        "newcomer", password=PASSWORD, is_staff=True, first_name="Gulnara", last_name="Seitkali"
    )
    page = new_page(DESKTOP)

    # The password alone: whom to ask, and no key.
    page.goto("/accounts/login/?next=/admin/")
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/enrol/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ask another member of the secretariat for an enrolment link"
    )
    assert page.locator("svg").count() == 0
    assert serious_violations(page) == []
    screenshot(page, "desktop-enrolment-link-needed")

    # A colleague issues the link on the newcomer's page in the admin.
    admin = secretariat
    admin.goto(reverse("admin:members_user_change", args=[newcomer.pk]))
    admin.locator('select[name="CHANGE_FORM-action"]').select_option(
        label="Issue an enrolment link"
    )
    admin.get_by_role("button", name="Run").click()
    expect(admin.get_by_text("This link is shown only now")).to_be_visible()
    link = admin.get_by_label("Enrolment link").input_value()
    assert re.fullmatch(r"http://[^/]+/accounts/enrol/[\w-]{40,}/", link)
    screenshot(admin, "desktop-admin-enrolment-link")
    assert EnrolmentLink.objects.get().issued_by.username == "secretariat"

    # The newcomer opens it: the key, and the address no longer holds the secret.
    page.goto(link)
    expect(page).to_have_url(url_of("/accounts/enrol/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    assert serious_violations(page) == []
    key = "".join(page.locator("code.otp-key").inner_text().split())
    page.get_by_role("textbox", name="Code from your authenticator app").fill(
        current_code(hex_from_base32(key))
    )
    page.get_by_role("button", name="Confirm and continue").click()

    # The recovery codes, once.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, "desktop-recovery-codes")
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page).to_have_url(url_of("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    assert TOTPDevice.objects.get(user=newcomer).confirmed
    assert EnrolmentLink.objects.get().state == "used"
    # The newcomer's page in the admin says what became of the link.
    admin.goto(reverse("admin:members_user_change", args=[newcomer.pk]))
    links = admin.locator("#enrolment_links-group")
    expect(links).to_contain_text("Used")
    expect(links).to_contain_text("Committee Secretariat")
    screenshot(admin, "desktop-admin-user-enrolment-links")
