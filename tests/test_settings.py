"""The settings guard: with DEBUG off the process refuses to start without its secrets, and
the secure defaults hold unless switched off by name."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({n: getattr(s, n) for n in ("
    "'DEBUG', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
    "'CSRF_TRUSTED_ORIGINS', 'SECURE_HSTS_SECONDS', 'ALLOWED_HOSTS')}))"
)
# Parsed, never connected to: the guard and the settings need no database.
UNUSED_DATABASE = "postgres://nobody@127.0.0.1:1/none"


def run_settings(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "SECURE_SSL_REDIRECT",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "CSRF_TRUSTED_ORIGINS",
            "SECURE_HSTS_SECONDS",
        }
    }
    clean.update(DJANGO_SETTINGS_MODULE="portal.settings", DATABASE_URL=UNUSED_DATABASE, **env)
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "SECRET_KEY and ALLOWED_HOSTS"),
        ({"SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": "portal.example.org"}, "SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS"),
    ],
)
def test_it_refuses_to_start_without_secrets_when_debug_is_off(env, missing):
    result = run_settings(**env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"set {missing} in the environment" in lines[0]


def test_debug_off_defaults_are_the_secure_ones():
    result = run_settings(SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example.org")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["ALLOWED_HOSTS"] == ["portal.example.org"]


def test_each_secure_default_can_be_switched_off_by_name_for_plain_http():
    result = run_settings(
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        CSRF_TRUSTED_ORIGINS="http://127.0.0.1:8000",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["CSRF_TRUSTED_ORIGINS"] == ["http://127.0.0.1:8000"]


def test_a_misspelt_boolean_is_refused():
    result = run_settings(
        SECRET_KEY="x" * 50, ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="flase"
    )
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT must be true or false" in result.stderr


def test_debug_on_needs_no_secrets():
    result = run_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["SECURE_SSL_REDIRECT"] is False
