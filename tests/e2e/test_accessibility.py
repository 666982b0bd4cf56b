"""axe-core finds no serious or critical WCAG 2.1 A/AA violation on the main pages; the
pages are also photographed at desktop and phone widths for people to look at."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from committee.agreements.models import Agreement, Pledge
from committee.meetings.models import Meeting, Minutes
from tests.e2e.conftest import screenshot, sign_in

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
axe = Axe()


def serious_violations(page):
    results = axe.run(page, options=WCAG_21_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def main_pages():
    meeting = Meeting.objects.get(number=1)
    Minutes.objects.filter(meeting=meeting).update(status=Minutes.Status.CIRCULATED)
    return [
        ("dashboard", "/"),
        ("tracker", "/pledges/"),
        ("pledge", Pledge.objects.get(number=1, agreement__isnull=False).get_absolute_url()),
        ("agreement", Agreement.objects.get().get_absolute_url()),
        ("meeting", meeting.get_absolute_url()),
        ("minutes", f"/meetings/{meeting.pk}/minutes/"),
        ("members", "/members/"),
    ]


def test_the_sign_in_page(page):
    page.goto("/accounts/login/")
    assert serious_violations(page) == []
    screenshot(page, "desktop-sign-in")


@pytest.mark.parametrize("persona", ["azizi", "observer"])
def test_the_main_pages(page, persona):
    sign_in(page, persona)
    found = {}
    for name, path in main_pages():
        page.goto(path)
        problems = serious_violations(page)
        if problems:
            found[name] = problems
        screenshot(page, f"desktop-{persona}-{name}")
    assert found == {}


def test_the_main_pages_on_a_phone(phone_page):
    sign_in(phone_page, "torebayev")
    found = {}
    for name, path in main_pages():
        phone_page.goto(path)
        problems = serious_violations(phone_page)
        if problems:
            found[name] = problems
        screenshot(phone_page, f"phone-torebayev-{name}")
    assert found == {}
