"""The production configuration: `check --deploy` finds nothing, responses carry the security
headers and the Content-Security-Policy, and cookies are __Host- cookies over HTTPS.

The suite runs portal/settings.py with DEBUG off over plain HTTP (tests/settings.py); what
differs over HTTPS is read from a subprocess with the production environment."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
# Parsed, never connected to: neither the settings nor the deploy checks need a database.
UNUSED_DATABASE = "postgres://nobody@127.0.0.1:1/none"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": UNUSED_DATABASE,
    "DJANGO_SETTINGS_MODULE": "portal.settings",
}
COOKIE_SETTINGS = (
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_DOMAIN",
    "SESSION_COOKIE_PATH",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_DOMAIN",
    "CSRF_COOKIE_PATH",
)


def run(args, **env):
    # Only what the environment of a production server would hold.
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_settings(**env) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {COOKIE_SETTINGS!r}}}))"
    )
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_finds_nothing_in_the_production_configuration(seal_files):
    # Production seals approved minutes (without a seal the check warns: test_sealing.py).
    certificate, key = seal_files
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SIGNING_CERTIFICATE_FILE=str(certificate),
        SIGNING_KEY_FILE=str(key),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_over_https_the_cookies_are_host_cookies():
    values = production_settings()
    assert values["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert values["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    # What the browser demands of a __Host- cookie: Secure, Path=/, no Domain.
    assert values["SESSION_COOKIE_SECURE"]
    assert values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_PATH"] == values["CSRF_COOKIE_PATH"] == "/"
    assert values["SESSION_COOKIE_DOMAIN"] is None
    assert values["CSRF_COOKIE_DOMAIN"] is None
    assert values["SESSION_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"


def test_over_plain_http_the_cookies_keep_plain_names():
    values = production_settings(
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
    )
    assert values["SESSION_COOKIE_NAME"] == "sessionid"
    assert values["CSRF_COOKIE_NAME"] == "csrftoken"


def csp(response) -> dict[str, list[str]]:
    """The policy's directives; each response's own nonce reads 'nonce-…'."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = ["'nonce-…'" if s.startswith("'nonce-") else s for s in sources]
    return directives


def without_nonce(policy: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: [s for s in sources if s != "'nonce-…'"] for name, sources in policy.items()}


@pytest.mark.django_db
def test_a_page_carries_the_security_headers(client):
    response = client.get(reverse("login"), secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_content_security_policy_allows_no_inline_code(client):
    policy = csp(client.get(reverse("login")))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", "'nonce-…'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    for sources in policy.values():
        assert "'unsafe-inline'" not in sources
        assert "'unsafe-eval'" not in sources
        assert "*" not in sources


@pytest.mark.django_db
def test_the_admin_runs_under_the_same_policy(client, world, sign_in):
    # Checked in Chromium while clicking through the admin (changelists, change forms with
    # inlines, select2 autocompletes, date pickers, pop-ups): no violation, no override.
    world.staff.is_superuser = True
    world.staff.save()
    sign_in(world.staff)
    pledge = world.joint_pledge.pk
    for url in (
        reverse("admin:index"),
        reverse("admin:agreements_pledge_changelist"),
        reverse("admin:agreements_pledge_change", args=[pledge]),
        reverse("admin:autocomplete")
        + "?app_label=agreements&model_name=pledge&field_name=committee",
    ):
        response = client.get(url)
        assert response.status_code == 200
        # The same directives; a nonce only appears where a page uses one.
        assert without_nonce(csp(response)) == without_nonce(csp(client.get(reverse("home"))))


@pytest.mark.django_db
def test_cookies_set_over_https_are_secure_and_host_only(client, settings, world):
    # The names and flags of the production configuration (see above), on a real response.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    world.azizi.set_password("kabul-almaty-2026-pass")
    world.azizi.save()

    page = client.get(reverse("login"), secure=True)
    response = client.post(
        reverse("login"),
        {"username": "azizi", "password": "kabul-almaty-2026-pass"},
        secure=True,
    )

    assert response.status_code == 302
    for name, cookie in (
        ("__Host-csrftoken", page.cookies["__Host-csrftoken"]),
        ("__Host-sessionid", response.cookies["__Host-sessionid"]),
    ):
        assert cookie["secure"], name
        assert cookie["path"] == "/", name
        assert not cookie["domain"], name
        assert cookie["samesite"] == "Lax", name
    assert response.cookies["__Host-sessionid"]["httponly"]
