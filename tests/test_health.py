import pytest


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_every_other_page_needs_a_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_the_login_page_is_styled_and_public(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b"vendor/bootstrap/css/bootstrap.min.css" in response.content
    assert b'name="csrfmiddlewaretoken"' in response.content


def test_favicon_ico_leads_to_the_icon_without_login(client):
    """Browsers ask for /favicon.ico by themselves: no 404 in the log for it."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.django_db
def test_the_password_pages_have_their_own_title(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    page = client.get("/accounts/password_change/").content.decode()
    assert "<title>Change your password · Joint Committee Portal</title>" in page
    page = client.get("/accounts/password_reset/").content.decode()
    assert "<title> · " not in page
