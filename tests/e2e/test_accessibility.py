"""axe-core finds no serious or critical WCAG 2.1 A/AA violation on the main pages; the
pages are also photographed at desktop and phone widths for people to look at."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from committee.agreements.models import Agreement, Pledge
from committee.meetings import services
from committee.meetings.models import Meeting, Minutes
from committee.members.models import User
from tests.e2e.conftest import open_page, screenshot, sign_in

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
    """(name, address, main heading) of each page audited: the heading shows that the page
    audited is the page named, not the sign-in page or an error a redirect led to."""
    meeting = Meeting.objects.select_related("committee").get(number=1)
    minutes = Minutes.objects.get(meeting=meeting)
    if minutes.is_draft:  # as the secretariat circulates them: officials get the comment form
        services.minutes_circulate(minutes=minutes, user=User.objects.get(username="secretariat"))
    pledge = Pledge.objects.get(number=1, agreement__isnull=False)
    agreement = Agreement.objects.get()
    return [
        ("dashboard", "/", "Dashboard"),
        ("tracker", "/pledges/", "Pledge tracker"),
        ("pledge", pledge.get_absolute_url(), pledge.title),
        ("agreement", agreement.get_absolute_url(), agreement.title),
        ("meeting", meeting.get_absolute_url(), str(meeting)),
        (
            "minutes",
            f"/meetings/{meeting.pk}/minutes/",
            re.compile(r"Protocol of the \w+ session"),
        ),
        ("members", "/members/", "Members by delegation"),
        ("comments", f"/meetings/{meeting.pk}/minutes/comments/", "Comments on the minutes"),
        ("changes", f"/meetings/{meeting.pk}/minutes/changes/", "Changes between versions"),
    ]


def test_the_sign_in_page(page):
    open_page(page, "/accounts/login/", "Sign in")
    assert serious_violations(page) == []
    screenshot(page, "desktop-sign-in")


@pytest.mark.parametrize("persona", ["azizi", "observer"])
def test_the_main_pages(page, persona):
    sign_in(page, persona)
    found = {}
    for name, path, heading in main_pages():
        open_page(page, path, heading)
        problems = serious_violations(page)
        if problems:
            found[name] = problems
        screenshot(page, f"desktop-{persona}-{name}")
    assert found == {}


def test_the_main_pages_on_a_phone(phone_page):
    sign_in(phone_page, "torebayev")
    found = {}
    for name, path, heading in main_pages():
        open_page(phone_page, path, heading)
        problems = serious_violations(phone_page)
        if problems:
            found[name] = problems
        screenshot(phone_page, f"phone-torebayev-{name}")
    assert found == {}
