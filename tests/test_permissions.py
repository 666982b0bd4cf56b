"""The permission matrix of the design, every role against every action."""

import uuid

import pytest

from committee.agreements.models import PledgeUpdate
from tests import factories


def post_update(client, pledge, **data):
    payload = {
        "status": "in_progress",
        "progress": 40,
        "note": "Progress report",
        "submission_key": str(uuid.uuid4()),
        "pledge_version": str(pledge.version),
        **data,
    }
    return client.post(pledge.get_absolute_url(), payload)


@pytest.mark.parametrize(
    ("persona", "pledge_name", "expected"),
    [
        ("azizi", "af_pledge", 302),
        ("azizi", "joint_pledge", 302),
        ("azizi", "kz_pledge", 403),
        ("torebayev", "kz_pledge", 302),
        ("torebayev", "joint_pledge", 302),
        ("torebayev", "af_pledge", 403),
        ("observer", "af_pledge", 403),
        ("observer", "kz_pledge", 403),
        ("observer", "joint_pledge", 403),
        ("staff", "af_pledge", 302),
        ("staff", "kz_pledge", 302),
        ("staff", "foreign_pledge", 302),
        ("outsider", "af_pledge", 404),
        ("azizi", "foreign_pledge", 404),
        ("observer", "foreign_pledge", 404),
    ],
)
def test_posting_an_update(client, world, sign_in, persona, pledge_name, expected):
    pledge = getattr(world, pledge_name)
    sign_in(getattr(world, persona))
    response = post_update(client, pledge)
    assert response.status_code == expected
    written = PledgeUpdate.objects.filter(pledge=pledge).count()
    assert written == (1 if expected == 302 else 0)


@pytest.mark.parametrize(
    ("persona", "pledge_name", "status", "has_form"),
    [
        ("azizi", "af_pledge", 200, True),
        ("azizi", "joint_pledge", 200, True),
        ("azizi", "kz_pledge", 200, False),
        ("torebayev", "af_pledge", 200, False),
        ("observer", "af_pledge", 200, False),
        ("observer", "joint_pledge", 200, False),
        ("staff", "af_pledge", 200, True),
        ("staff", "foreign_pledge", 200, True),
        ("outsider", "af_pledge", 404, False),
        ("azizi", "foreign_pledge", 404, False),
    ],
)
def test_reading_a_pledge(client, world, sign_in, persona, pledge_name, status, has_form):
    sign_in(getattr(world, persona))
    response = client.get(getattr(world, pledge_name).get_absolute_url())
    assert response.status_code == status
    assert (b'name="submission_key"' in response.content) is has_form


def test_a_refused_post_explains_itself(client, world):
    client.force_login(world.torebayev)
    response = post_update(client, world.af_pledge)
    assert response.status_code == 403
    assert b"responsible delegation" in response.content


def test_observer_is_told_why_there_is_no_form(client, world):
    client.force_login(world.observer)
    response = client.get(world.af_pledge.get_absolute_url())
    assert b"Observers read the follow-up" in response.content


@pytest.mark.parametrize("persona", ["azizi", "torebayev", "observer", "outsider"])
def test_other_committees_objects_are_not_found(client, world, persona):
    client.force_login(getattr(world, persona))
    foreign_meeting = factories.MeetingFactory(committee=world.other_committee)
    foreign_agreement = world.foreign_pledge.agreement
    if persona == "outsider":
        # The outsider belongs to the other committee: it is the Kabul one they cannot see.
        foreign_meeting = factories.MeetingFactory(committee=world.committee)
        foreign_agreement = world.agreement
    assert client.get(foreign_meeting.get_absolute_url()).status_code == 404
    assert client.get(foreign_agreement.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("url", ["/", "/pledges/", "/agreements/", "/members/", "/meetings/"])
def test_lists_show_only_the_users_committees(client, world, url):
    own_meeting = factories.MeetingFactory(committee=world.committee, title="Kabul session")
    factories.MeetingFactory(committee=world.other_committee, title="Foreign session")
    client.force_login(world.azizi)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    own = {
        "/": world.af_pledge.title,
        "/pledges/": world.af_pledge.title,
        "/agreements/": world.agreement.title,
        "/members/": world.committee.name,
        "/meetings/": own_meeting.title,
    }[url]
    assert own in body
    assert "Another committee" not in body
    assert "Foreign session" not in body
    assert world.other_committee.name not in body


def test_staff_see_every_committee(client, world, sign_in):
    sign_in(world.staff)
    body = client.get("/pledges/").content.decode()
    assert "Another committee&#x27;s pledge" in body
    assert world.af_pledge.title in body


def test_exports_hold_only_the_users_committees(client, world):
    client.force_login(world.azizi)
    body = client.get("/pledges/export.csv").getvalue().decode()
    assert world.af_pledge.title in body
    assert "Another committee" not in body


@pytest.mark.parametrize("persona", ["azizi", "torebayev", "observer", "outsider"])
def test_only_staff_reach_the_admin(client, world, persona):
    client.force_login(getattr(world, persona))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_reach_the_admin(client, world, sign_in):
    sign_in(world.staff)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/pledges/",
        "/pledges/1/",
        "/pledges/export.csv",
        "/agreements/",
        "/meetings/",
        "/members/",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_evidence_is_served_only_to_readers_of_the_committee(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.azizi)
    post_update(
        client,
        world.af_pledge,
        evidence=SimpleUploadedFile("report.pdf", b"%PDF-1.4 test", "application/pdf"),
    )
    update = PledgeUpdate.objects.get(pledge=world.af_pledge)
    url = f"/pledges/updates/{update.pk}/evidence"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404


def test_the_signed_document_is_served_only_to_readers_of_the_committee(client, world):
    from django.core.files.base import ContentFile

    world.agreement.document.save("signed.pdf", ContentFile(b"%PDF-1.7 signed"), save=True)
    client.force_login(world.observer)
    page = client.get(world.agreement.get_absolute_url()).content.decode()
    url = f"/agreements/{world.agreement.pk}/document"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="AF-KZ-1.pdf"')
    assert b"".join(response.streaming_content) == b"%PDF-1.7 signed"
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404


def test_the_dashboard_counts_a_delegation_per_committee(client, world):
    """azizi is Afghan on the Kabul committee and Kazakh (say, as an expert) on another: the
    other committee's Afghan pledges are not his delegation's."""
    factories.MemberFactory(
        committee=world.other_committee,
        party=world.other_committee.parties.first(),
        user=world.azizi,
    )
    world.other_committee.parties.add(world.af)
    foreign_afghan = factories.PledgeFactory(
        agreement=world.foreign_pledge.agreement,
        responsible_party=world.af,
        title="Afghan pledge elsewhere",
        due_on=world.today,
    )
    client.force_login(world.azizi)
    response = client.get("/")
    due_soon = [p.title for p in response.context["due_soon"]]
    assert world.af_pledge.title in due_soon
    assert foreign_afghan.title not in due_soon
