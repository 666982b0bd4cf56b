"""Posting a follow-up update: the happy path, the double submit, and each bad input."""

import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from committee.agreements.models import Pledge, PledgeUpdate
from committee.core.uploads import MAX_UPLOAD_BYTES

PDF = b"%PDF-1.4\n%test evidence\n"


def form_data(**overrides):
    return {
        "status": "in_progress",
        "progress": "35",
        "note": "Lists of exporters sent to the Kazakh side.",
        "submission_key": str(uuid.uuid4()),
        "pledge_version": "1",
        **overrides,
    }


def test_an_official_posts_an_update_with_evidence(client, world):
    client.force_login(world.azizi)
    response = client.post(
        world.af_pledge.get_absolute_url(),
        form_data(evidence=SimpleUploadedFile("Report March.pdf", PDF, "application/pdf")),
        follow=True,
    )
    assert response.redirect_chain == [(world.af_pledge.get_absolute_url(), 302)]
    assert "Your update is recorded." in response.content.decode()
    update = PledgeUpdate.objects.get(pledge=world.af_pledge)
    assert update.author == world.azizi
    assert update.author_party == world.af
    assert update.evidence_name == "Report March.pdf"
    assert update.evidence.name.startswith("evidence/")
    assert "Report" not in update.evidence.name
    with update.evidence.open("rb") as stored:
        assert stored.read() == PDF
    pledge = Pledge.objects.get(pk=world.af_pledge.pk)
    assert (pledge.status, pledge.progress) == ("in_progress", 35)
    page = response.content.decode()
    assert "Lists of exporters sent to the Kazakh side." in page
    assert "Report March.pdf" in page
    dashboard = client.get("/").content.decode()
    assert "Lists of exporters sent to the Kazakh side." in dashboard


def test_an_indicator_value_becomes_the_latest_value(client, world):
    client.force_login(world.torebayev)
    client.post(
        world.joint_pledge.get_absolute_url(),
        form_data(indicator_value="1.35", period_start="2026-01-01", period_end="2026-06-30"),
    )
    pledge = Pledge.objects.get(pk=world.joint_pledge.pk)
    assert pledge.current_value == Decimal("1.35")
    assert pledge.indicator_percent == 18
    page = client.get(pledge.get_absolute_url()).content.decode()
    assert "<svg" in page
    assert "1.35" in page


def test_a_double_submit_records_one_update(client, world):
    client.force_login(world.azizi)
    data = form_data()
    first = client.post(world.af_pledge.get_absolute_url(), data)
    second = client.post(world.af_pledge.get_absolute_url(), data, follow=True)
    assert first.status_code == 302
    assert "already been recorded" in second.content.decode()
    assert PledgeUpdate.objects.filter(pledge=world.af_pledge).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"progress": "150"}, "progress", "less than or equal to 100"),
        ({"progress": "-1"}, "progress", "greater than or equal to 0"),
        ({"progress": "abc"}, "progress", "Enter a whole number"),
        ({"status": "finished"}, "status", "Select a valid choice"),
        ({"status": "completed", "progress": "80"}, "progress", "A completed pledge is at 100"),
    ],
)
def test_bad_input_shows_field_errors_and_keeps_what_was_typed(
    client, world, overrides, field, message
):
    client.force_login(world.azizi)
    response = client.post(world.af_pledge.get_absolute_url(), form_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Lists of exporters sent to the Kazakh side." in response.content.decode()
    assert not PledgeUpdate.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1.2x", "Enter a number"),
        ("NaN", "Enter a number"),
        ("-3", "cannot be negative"),
        ("12345678901234567890", "no more than 18 digits"),
    ],
)
def test_bad_indicator_values_are_refused(client, world, value, message):
    client.force_login(world.azizi)
    response = client.post(world.joint_pledge.get_absolute_url(), form_data(indicator_value=value))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["indicator_value"])
    assert not PledgeUpdate.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.pdf", b"%PDF-" + b"0" * (MAX_UPLOAD_BYTES - 4), "the limit is 10"),
        ("setup.exe", b"MZ\x90\x00", "not accepted"),
        ("invoice.pdf", b"MZ\x90\x00 renamed program", "not a .pdf file"),
        ("../../settings.py", b"SECRET_KEY = 'x'", "not accepted"),
    ],
)
def test_bad_files_are_refused(client, world, name, content, message):
    client.force_login(world.azizi)
    response = client.post(
        world.af_pledge.get_absolute_url(),
        form_data(evidence=SimpleUploadedFile(name, content)),
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["evidence"])
    assert not PledgeUpdate.objects.exists()


def test_a_file_of_exactly_the_limit_is_accepted(client, world):
    client.force_login(world.azizi)
    content = b"%PDF-" + b"0" * (MAX_UPLOAD_BYTES - 5)
    response = client.post(
        world.af_pledge.get_absolute_url(),
        form_data(evidence=SimpleUploadedFile("exact.pdf", content)),
    )
    assert response.status_code == 302
    assert PledgeUpdate.objects.get().evidence.size == MAX_UPLOAD_BYTES


def test_an_empty_update_is_refused_with_a_message(client, world):
    client.force_login(world.azizi)
    response = client.post(
        world.af_pledge.get_absolute_url(),
        form_data(status=world.af_pledge.status, progress=world.af_pledge.progress, note=""),
    )
    assert response.status_code == 200
    assert "Nothing to report yet" in response.content.decode()
    assert not PledgeUpdate.objects.exists()


def test_a_missing_submission_key_is_refused(client, world):
    client.force_login(world.azizi)
    data = form_data()
    del data["submission_key"]
    response = client.post(world.af_pledge.get_absolute_url(), data)
    assert response.status_code == 200
    assert not PledgeUpdate.objects.exists()


def test_a_note_with_script_is_escaped_on_the_page_and_in_the_exports(client, world):
    client.force_login(world.azizi)
    note = '<script>alert("x")</script>'
    client.post(world.af_pledge.get_absolute_url(), form_data(note=note))
    page = client.get(world.af_pledge.get_absolute_url()).content.decode()
    assert note not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert note not in client.get("/").content.decode()
    export = client.get("/pledges/export.csv").getvalue().decode("utf-8-sig")
    assert '"<script>alert(""x"")</script>"' in export


def test_the_form_starts_at_the_current_status_and_progress(client, world):
    Pledge.objects.filter(pk=world.af_pledge.pk).update(status="at_risk", progress=55)
    client.force_login(world.azizi)
    form = client.get(world.af_pledge.get_absolute_url()).context["form"]
    assert form.initial["status"] == "at_risk"
    assert form.initial["progress"] == 55
    assert "indicator_value" not in form.fields


def test_a_post_without_the_version_seen_is_refused(client, world):
    """Without it the lost-update check could be skipped by an old tab or a script."""
    client.force_login(world.azizi)
    data = form_data()
    del data["pledge_version"]
    response = client.post(world.af_pledge.get_absolute_url(), data)
    assert response.status_code == 200
    assert response.context["form"].errors["pledge_version"]
    assert not PledgeUpdate.objects.exists()
