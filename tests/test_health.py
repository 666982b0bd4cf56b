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
