"""`python manage.py make_signing_certificate`: a self-signed demo seal for `make run`.

Writes a private key (RSA 3072, mode 0600) and a self-signed certificate for the committee,
valid five years, meant for signatures (key usage digital signature and non-repudiation), as
PEM files in a folder (default VAR_DIR/signing: seal.crt, seal.key). Leaves a pair that is
already there alone. Production uses a certificate from the governments' or a trusted
certification authority instead (docs/sealing.md).
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

CERTIFICATE_NAME = "seal.crt"
KEY_NAME = "seal.key"
DEMO_COMMON_NAME = "Joint Intergovernmental Working Committee — demo seal"
VALID_DAYS = 5 * 365 + 1


def make_self_signed(
    common_name: str = DEMO_COMMON_NAME,
    *,
    organization: str = "Joint Committee Portal (demo)",
    valid_from: datetime.datetime | None = None,
    valid_days: int = VALID_DAYS,
    key_size: int = 3072,
    passphrase: bytes | None = None,
) -> tuple[bytes, bytes]:
    """A new key and a self-signed seal certificate for it, as (certificate PEM, key PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        ]
    )
    start = (valid_from or timezone.now()).replace(microsecond=0)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # An hour back: a clock a little behind still finds the certificate valid.
        .not_valid_before(start - datetime.timedelta(hours=1))
        .not_valid_after(start + datetime.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem


def write_private(path: Path, data: bytes) -> None:
    """Write a new file only its owner can read (mode 0600 from the start, never wider)."""
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


class Command(BaseCommand):
    help = (
        "Create a self-signed demo certificate and key for sealing approved minutes, as "
        f"{CERTIFICATE_NAME} and {KEY_NAME} in a folder (default VAR_DIR/signing), unless both "
        "are there already. For development and demonstrations only: a real seal comes from a "
        "certification authority (docs/sealing.md)."
    )
    # Needs neither the database nor a working seal (it may be making the first one).
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            default=None,
            help="Folder for seal.crt and seal.key (default: VAR_DIR/signing).",
        )
        parser.add_argument("--common-name", default=DEMO_COMMON_NAME)
        parser.add_argument(
            "--force", action="store_true", help="Replace a certificate and key already there."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"] or Path(settings.VAR_DIR) / "signing")
        certificate_path, key_path = directory / CERTIFICATE_NAME, directory / KEY_NAME
        present = [path for path in (certificate_path, key_path) if path.exists()]
        if len(present) == 2 and not options["force"]:
            if options["verbosity"] >= 2:
                self.stdout.write(f"Demo seal kept: {certificate_path}\n")
            return
        if len(present) == 1 and not options["force"]:
            raise CommandError(
                f"Only {present[0]} exists: a certificate without its key (or a key without its "
                "certificate) cannot seal. Remove it, or run again with --force."
            )
        certificate_pem, key_pem = make_self_signed(options["common_name"])
        directory.mkdir(parents=True, exist_ok=True)
        write_private(key_path, key_pem)
        certificate_path.write_bytes(certificate_pem)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Demo seal created: {certificate_path} (self-signed, for demonstrations only)\n"
            )
