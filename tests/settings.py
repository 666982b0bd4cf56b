"""The production settings, with what the test client needs: plain HTTP on a test host.

Only environment defaults are set here, so the suite exercises portal/settings.py itself
with DEBUG off.
"""

import os

for name, value in {
    "DEBUG": "false",
    "SECRET_KEY": "test-only-secret-key-not-used-anywhere-else",
    "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
}.items():
    os.environ.setdefault(name, value)

from portal.settings import *  # noqa: E402, F403

# Static files straight from the finders: no collectstatic before a test run.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Hashing passwords at production strength would dominate the suite's run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
