"""What every response says to browsers and proxies: the features the portal refuses
(Permissions-Policy), that committee data is never stored by a cache while static files are,
that health checks answer over plain HTTP behind the HTTPS redirect, and that a body too
large to accept is refused before it is read."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committee.agreements.models import PledgeUpdate
from committee.core.uploads import MAX_UPLOAD_BYTES
from tests.conftest import body
from tests.test_pledge_update import form_data

STATIC_FILE = "/static/css/portal.css"


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def denied_features(response) -> set[str]:
    policy = {}
    for part in response["Permissions-Policy"].split(","):
        feature, allowed = part.strip().split("=")
        policy[feature] = allowed
    return {feature for feature, allowed in policy.items() if allowed == "()"}


@pytest.mark.django_db
@pytest.mark.parametrize("url", [reverse("login"), reverse("home"), "/healthz", STATIC_FILE])
def test_every_response_refuses_the_browser_features_the_portal_never_uses(client, world, url):
    client.force_login(world.azizi)
    response = client.get(url)
    assert response.status_code == 200
    assert {"camera", "microphone", "geolocation", "payment", "usb"} <= denied_features(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        reverse("pledges:list"),
        reverse("pledges:export_csv"),
        reverse("pledges:export_xlsx"),
        reverse("members:list"),
    ],
)
def test_pages_and_exports_with_committee_data_are_never_stored(client, world, url):
    client.force_login(world.azizi)
    response = client.get(url)
    assert response.status_code == 200
    assert {"no-store", "private"} <= directives(response)


def test_static_files_stay_cacheable(client):
    response = client.get(STATIC_FILE)
    assert response.status_code == 200
    assert body(response)
    assert "no-store" not in directives(response)
    assert any(d.startswith("max-age=") and d != "max-age=0" for d in directives(response))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/healthz", "/readyz", "/healthz/worker"])
def test_health_checks_answer_over_plain_http_with_the_https_redirect_on(client, settings, url):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(url)
    # /healthz/worker is 503 here (no worker runs), but it answers: it is not redirected.
    assert response.status_code in {200, 503}
    assert response.content.startswith((b"ok", b"ready", b"worker stopped"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", [reverse("home"), reverse("login"), "/healthz/other", "/readyz/"])
def test_every_other_address_is_redirected_to_https(client, settings, url):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{url}"
    assert "camera" in denied_features(response)


@pytest.mark.django_db
def test_a_body_larger_than_an_upload_and_its_form_is_refused_unread(client, world):
    client.force_login(world.azizi)
    too_big = MAX_UPLOAD_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(
        world.af_pledge.get_absolute_url(),
        form_data(evidence=SimpleUploadedFile("scan.pdf", b"%PDF-" + b"0" * too_big)),
    )
    assert response.status_code == 413
    assert "the limit is <bdi>12.5\xa0MB</bdi>" in response.content.decode()
    assert "no-store" in directives(response)
    assert not PledgeUpdate.objects.exists()
