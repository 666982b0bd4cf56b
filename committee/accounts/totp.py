"""TOTP keys and codes, without the database or Django's settings.

django-otp stores a device's key in hex; authenticator apps and `DEMO_TOTP_KEY` take base32.
Tests and scripts (scripts/smoke.py) compute the current code here, as an authenticator app
would. From the command line: `python -m committee.accounts.totp BASE32_KEY` prints it.
"""

import base64
import binascii
import sys
import time

from django_otp.oath import TOTP


def hex_from_base32(value: str) -> str:
    """The hex key django-otp stores for a base32 key as apps show it (spaces and case ignored)."""
    cleaned = "".join(value.split()).upper().rstrip("=")
    try:
        raw = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except binascii.Error:
        raise ValueError("not a base32 key (letters A-Z and digits 2-7)") from None
    if len(raw) < 10:
        raise ValueError("a TOTP key needs at least 80 bits (16 base32 characters)")
    return raw.hex()


def base32_from_hex(key: str) -> str:
    """The base32 form of a stored hex key, without padding, as authenticator apps take it."""
    return base64.b32encode(bytes.fromhex(key)).decode("ascii").rstrip("=")


def current_code(key: str, *, step: int = 30, digits: int = 6, at: float | None = None) -> str:
    """The code an authenticator app shows now (or at Unix time `at`) for a hex key."""
    totp = TOTP(bytes.fromhex(key), step=step, digits=digits)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{digits}d}"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m committee.accounts.totp BASE32_KEY")
    print(current_code(hex_from_base32(sys.argv[1])))
