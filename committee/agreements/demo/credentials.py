"""The demo logins' password and the secretariat's second factor: where they come from,
the secretariat's TOTP device, and how to sign in with them.

Each secret is taken from the environment when set, else from a file under VAR_DIR kept from
an earlier run, else generated and written there, so that the demo logins stay the same from
one run to the next.
"""

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from committee.accounts.totp import base32_from_hex, hex_from_base32
from committee.agreements.demo.data import USERS
from committee.agreements.demo.rows import Rows

PASSWORD_ENV = "DEMO_PASSWORD"  # noqa: S105 (the name of the variable)
PASSWORD_FILE = "demo-password"  # noqa: S105 (a file name)
# The second factor of the staff login: a TOTP key in base32, as authenticator apps take it.
TOTP_KEY_ENV = "DEMO_TOTP_KEY"
TOTP_KEY_FILE = "demo-totp-key"
TOTP_USERNAME = "secretariat"
TOTP_DEVICE_NAME = "Demo authenticator"


class Secret(NamedTuple):
    value: str
    source: str  # where it came from, as the summary says it


def demo_password() -> Secret:
    """The password of every demo login, refused (CommandError) if a login may not have it.

    Checked before anything is written, so that a weak $DEMO_PASSWORD leaves the database as
    it was.
    """
    password = os.environ.get(PASSWORD_ENV, "")
    if password:
        source = f"from ${PASSWORD_ENV}"
    else:
        path = Path(settings.VAR_DIR) / PASSWORD_FILE
        if path.exists():
            password = path.read_text(encoding="utf-8").strip()
        if password:
            source = f"kept in {path}"
        else:
            password = secrets.token_urlsafe(12)
            _write_private(path, password)
            source = f"generated, kept in {path}"
    user_model = get_user_model()
    for username, login in USERS.items():
        try:
            validate_password(
                password,
                user_model(
                    username=username, first_name=login.first_name, last_name=login.last_name
                ),
            )
        except ValidationError as error:
            raise CommandError(
                f"The demo password ({source}) is not accepted for {username}: "
                + " ".join(error.messages)
            ) from None
    return Secret(password, source)


def demo_totp_key() -> Secret:
    """The secretariat's TOTP key in hex (as django-otp stores it), refused (CommandError)
    if it is not base32."""
    key = os.environ.get(TOTP_KEY_ENV, "").strip()
    source = f"from ${TOTP_KEY_ENV}"
    if not key:
        path = Path(settings.VAR_DIR) / TOTP_KEY_FILE
        key = path.read_text(encoding="utf-8").strip() if path.exists() else ""
        source = f"kept in {path}"
        if not key:
            key = base32_from_hex(random_hex(20))
            _write_private(path, key)
            source = f"generated, kept in {path}"
    try:
        return Secret(hex_from_base32(key), source)
    except ValueError as error:
        raise CommandError(f"The demo TOTP key ({source}) is {error}.") from None


def ensure_totp_device(rows: Rows, key: str) -> TOTPDevice:
    """The secretariat's confirmed device, with the demo key (a changed key replaces it)."""
    user = get_user_model()._default_manager.get(username=TOTP_USERNAME)
    return rows.ensure(
        TOTPDevice,
        {"user": user, "name": TOTP_DEVICE_NAME},
        sync={"key": key, "confirmed": True},
    )[0]


def print_logins(write: Callable[[str], object], password: Secret) -> None:
    # The address the portal is served at (make run sets PORTAL_URL from HOST and PORT).
    write(f"Open {settings.PORTAL_URL}/ and sign in as:")
    width = max(len(username) for username in USERS)
    for username, login in USERS.items():
        write(f"  {username:<{width}}  {login.purpose}")
    write(f"Password for all of them: {password.value}  ({password.source})")


def print_totp(write: Callable[[str], object], device: TOTPDevice, key: Secret) -> None:
    base32 = base32_from_hex(device.key)
    write(
        f"{TOTP_USERNAME} (staff) also needs a code after the password. Add this key to an\n"
        "authenticator app (FreeOTP, Aegis, Google or Microsoft Authenticator; time-based):"
    )
    write(f"  key  {base32}  ({key.source})")
    write(f"  or   {device.config_url}")
    write(
        f"  No app at hand? .venv/bin/python -m committee.accounts.totp {base32} "
        "prints the current code."
    )


def _write_private(path: Path, text: str) -> None:
    """Write a new file only its owner can read (mode 0600 from the start, never wider)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text + "\n")
