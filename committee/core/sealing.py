"""The seal on approved records: a PAdES signature made with the committee's certificate, and
the check of a sealed PDF.

**Sealing.** `seal_pdf` signs PDF bytes with pyHanko: an invisible signature (zero-size widget,
print flag set, as PDF/A asks) added as an incremental update, so the bytes WeasyPrint wrote
stay as they were inside the signed range, with no encryption. PAdES baseline B-B
(`ETSI.CAdES.detached`, SHA-256): no timestamp from a timestamp authority and no validation
data (LTV), so the signing time is the one the portal's clock stated. pyHanko keeps the
document's XMP packet (pdfaid:part 3, conformance B stay) and sets its producer and
modification date there; PDF/A-2 and -3, unlike PDF/A-1, do not ask the information
dictionary to repeat the XMP, so its producer ("WeasyPrint …; pyHanko …") may differ.

**Configuration** (read at each call, never at import): `SIGNING_CERTIFICATE_FILE` (PEM or
DER; a PEM file may hold the issuing chain after the certificate, which is then embedded in
each signature), `SIGNING_KEY_FILE` (PEM or DER, PKCS#8 or traditional) and
`SIGNING_KEY_PASSPHRASE` when the key is encrypted. Without a certificate and key, records
are stored unsealed: `seal_pdf` logs a warning and returns the bytes unchanged, and the
deploy check says so. A configuration that is there but unusable is an error of the system
checks (`check_seal_configuration`), so the process does not start with it; should the files
go bad afterwards, `seal_pdf` raises SealingError (a PDFRenderError: the worker's rendering of
the record fails, and nothing unsealed is stored as if it were sealed).

**Checking.** `check_seal` reads an uploaded PDF's signatures and says whether the document
is unchanged since signing and whether the signature was made with the configured
certificate, which is the only trust anchor: no certificate authority, revocation list or
network fetch is consulted.
"""

from __future__ import annotations

import asyncio
import datetime
import enum
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509 as crypto_x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core import checks
from django.utils import timezone

from committee.core.pdf import PDFRenderError

if TYPE_CHECKING:
    from asn1crypto import keys, x509

logger = logging.getLogger(__name__)

# The key usages a seal needs (either is enough): PDF readers and pyHanko's validator look for
# non-repudiation (content commitment) on a document signature; many seal certificates carry
# digital signature too.
SEAL_KEY_USAGES = frozenset({"digital_signature", "non_repudiation"})
# Our records carry one signature; a crafted upload could carry thousands to check.
MAX_SIGNATURES_CHECKED = 10
FIELD_NAME = "PortalSeal"
EXPIRY_WARNING_DAYS = 30


class SealingError(PDFRenderError):
    """A seal is configured but could not be applied (unreadable files, wrong passphrase, a key
    that does not belong to the certificate, an expired certificate)."""


@dataclass(frozen=True)
class Seal:
    """The committee's certificate (with the chain that came with it) and its private key."""

    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    private_key: keys.PrivateKeyInfo

    @property
    def name(self) -> str:
        return certificate_name(self.certificate)


def certificate_name(certificate: x509.Certificate) -> str:
    """The certificate's subject as people read it: its common name, else the whole subject."""
    subject = certificate.subject.native
    return subject.get("common_name") or certificate.subject.human_friendly


# --- Configuration ------------------------------------------------------------------------------


def seal_configured() -> bool:
    """A certificate or a key is named in the settings (whether or not the files are usable)."""
    return bool(settings.SIGNING_CERTIFICATE_FILE or settings.SIGNING_KEY_FILE)


def _read(setting: str) -> bytes:
    path = getattr(settings, setting)
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise SealingError(f"{setting} ({path}) cannot be read: {error.strerror}.") from None


def load_certificates() -> tuple[x509.Certificate, ...]:
    """The certificates in SIGNING_CERTIFICATE_FILE, the seal's own first; () without one.

    Raises SealingError when the file is named but cannot be read as certificates."""
    from pyhanko.keys import load_certs_from_pemder_data

    if not settings.SIGNING_CERTIFICATE_FILE:
        return ()
    data = _read("SIGNING_CERTIFICATE_FILE")
    try:
        certificates = tuple(load_certs_from_pemder_data(data))
    except (ValueError, TypeError) as error:
        raise SealingError(
            f"SIGNING_CERTIFICATE_FILE ({settings.SIGNING_CERTIFICATE_FILE}) holds no readable "
            f"certificate (PEM or DER expected): {error}"
        ) from None
    if not certificates:
        raise SealingError(
            f"SIGNING_CERTIFICATE_FILE ({settings.SIGNING_CERTIFICATE_FILE}) holds no certificate."
        )
    return certificates


def load_seal(*, now: datetime.datetime | None = None) -> Seal | None:
    """The configured seal, checked; None when no certificate and no key are configured.

    Raises SealingError with a sentence an operator can act on when the configuration is
    incomplete or unusable: a file missing or unreadable, a wrong or missing passphrase, a key
    that does not belong to the certificate, a certificate not valid `now` or not meant for
    signatures."""
    from pyhanko.keys import load_private_key_from_pemder_data

    if not seal_configured():
        return None
    if not (settings.SIGNING_CERTIFICATE_FILE and settings.SIGNING_KEY_FILE):
        missing = (
            "SIGNING_KEY_FILE" if settings.SIGNING_CERTIFICATE_FILE else "SIGNING_CERTIFICATE_FILE"
        )
        raise SealingError(f"{missing} is not set: the seal needs a certificate and its key.")
    certificate, *chain = load_certificates()
    passphrase = settings.SIGNING_KEY_PASSPHRASE.encode() or None
    try:
        private_key = load_private_key_from_pemder_data(_read("SIGNING_KEY_FILE"), passphrase)
    except (ValueError, TypeError) as error:
        # cryptography says "Bad decrypt", "Password was not given but private key is
        # encrypted", or that the data is no key; pass it on, never the passphrase.
        raise SealingError(
            f"SIGNING_KEY_FILE ({settings.SIGNING_KEY_FILE}) cannot be used as a private key "
            f"(check the file and SIGNING_KEY_PASSPHRASE): {error}"
        ) from None
    _check_certificate(certificate, private_key, now or timezone.now())
    return Seal(certificate=certificate, chain=tuple(chain), private_key=private_key)


def _check_certificate(certificate: x509.Certificate, private_key, now: datetime.datetime):
    where = f"SIGNING_CERTIFICATE_FILE ({settings.SIGNING_CERTIFICATE_FILE})"
    spki = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    try:
        parsed = crypto_x509.load_der_x509_certificate(certificate.dump())
        key = serialization.load_der_private_key(private_key.dump(), password=None)
        matches = key.public_key().public_bytes(*spki) == parsed.public_key().public_bytes(*spki)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise SealingError(f"The certificate or key cannot be used: {error}") from None
    if not matches:
        raise SealingError(
            f"SIGNING_KEY_FILE ({settings.SIGNING_KEY_FILE}) is not the private key of the "
            f"certificate in {where}."
        )
    if now < parsed.not_valid_before_utc:
        raise SealingError(
            f"The certificate in {where} is valid only from {parsed.not_valid_before_utc:%Y-%m-%d}."
        )
    if now > parsed.not_valid_after_utc:
        raise SealingError(
            f"The certificate in {where} expired on {parsed.not_valid_after_utc:%Y-%m-%d}."
        )
    usages = certificate.key_usage_value.native if certificate.key_usage_value else None
    if usages is not None and not SEAL_KEY_USAGES & set(usages):
        raise SealingError(
            f"The certificate in {where} is not meant for signatures: its key usage has "
            "neither digital signature nor non-repudiation."
        )


def check_seal_configuration(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: a seal named in the settings must be usable (Error otherwise)."""
    try:
        seal = load_seal()
    except SealingError as error:
        return [
            checks.Error(
                f"The seal for approved minutes cannot be used: {error}",
                hint="Fix or unset SIGNING_CERTIFICATE_FILE, SIGNING_KEY_FILE and "
                "SIGNING_KEY_PASSPHRASE (docs/sealing.md).",
                id="sealing.E001",
            )
        ]
    if seal is not None:
        expires = crypto_x509.load_der_x509_certificate(seal.certificate.dump()).not_valid_after_utc
        if expires - timezone.now() < datetime.timedelta(days=EXPIRY_WARNING_DAYS):
            return [
                checks.Warning(
                    f"The seal's certificate expires on {expires:%Y-%m-%d}; after that, "
                    "approving minutes fails until a new one is configured.",
                    hint="Renew the certificate (docs/sealing.md).",
                    id="sealing.W002",
                )
            ]
    return []


def check_seal_deployment(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Deploy check: without a seal, approved minutes are stored unsealed (Warning)."""
    if seal_configured():
        return []
    return [
        checks.Warning(
            "No seal is configured: approved minutes will be stored without a digital seal, "
            "and the verification page can only compare checksums.",
            hint="Set SIGNING_CERTIFICATE_FILE and SIGNING_KEY_FILE (docs/sealing.md).",
            id="sealing.W001",
        )
    ]


# --- Sealing ------------------------------------------------------------------------------------


def _outside_event_loop(function, *args, **kwargs):
    """`function(*args, **kwargs)`, in a thread of its own when this one runs an event loop.

    pyHanko's synchronous functions wrap its asynchronous ones in asyncio.run(), which refuses
    to start inside a running loop (an async caller; Playwright's sync API in the browser
    tests). Sync views and management commands have none and call straight through."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def seal_pdf(pdf: bytes, *, reason: str, location: str | None = None) -> bytes:
    """`pdf` with the committee's seal (PAdES B-B) added as an incremental update.

    Without a configured seal, logs a warning and returns `pdf` unchanged. Raises SealingError
    when the configured seal cannot be used."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    try:
        seal = load_seal()
    except SealingError:
        logger.exception("sealing failed: the configured seal cannot be used")
        raise
    if seal is None:
        logger.warning("sealing skipped: no seal configured (SIGNING_CERTIFICATE_FILE)")
        return pdf
    signer = signers.SimpleSigner(
        signing_cert=seal.certificate,
        signing_key=seal.private_key,
        cert_registry=SimpleCertificateStore.from_certs(seal.chain),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location or None,
        name=seal.name,
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=True)
        output = _outside_event_loop(signers.PdfSigner(metadata, signer=signer).sign_pdf, writer)
    except Exception as error:
        # pyHanko raises many kinds (PdfReadError, SigningError, ValueError from the key):
        # whatever it is, the record cannot be sealed and must not be stored as sealed.
        logger.exception("sealing failed")
        raise SealingError(f"The PDF could not be sealed: {error}") from error
    return output.getvalue()


# --- Checking -----------------------------------------------------------------------------------


class SealState(enum.StrEnum):
    """What a PDF's seal says, from best to worst."""

    INTACT = "intact"  # made with our certificate, nothing changed or added since
    ADDED_TO = "added_to"  # made with our certificate; something was appended after sealing
    NOT_OURS = "not_ours"  # the signature matches the document, but not made with our certificate
    BROKEN = "broken"  # the signature does not match the document: changed after signing
    NOT_SIGNED = "not_signed"
    UNREADABLE = "unreadable"  # not a PDF that can be read


@dataclass(frozen=True)
class SealCheck:
    state: SealState
    signer: str = ""
    # As the signer's clock stated it: without a timestamp authority nobody vouches for it.
    signed_at: datetime.datetime | None = None
    signature_count: int = 0

    @property
    def intact(self) -> bool:
        return self.state == SealState.INTACT


def check_seal(pdf: bytes) -> SealCheck:
    """Whether `pdf` carries an intact seal made with the configured certificate.

    With several signatures, the one made with our certificate is reported (else the first).
    Never raises for what an upload contains: an unreadable file is SealState.UNREADABLE."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        trusted = load_certificates()[:1]
    except SealingError:
        logger.exception("seal check: the configured certificate cannot be read")
        trusted = ()
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception as error:
        # Uploaded bytes reach a parser: any failure means "cannot be read", never a 500.
        logger.info("seal check: unreadable pdf (%s: %s)", type(error).__name__, error)
        return SealCheck(SealState.UNREADABLE)
    if not signatures:
        return SealCheck(SealState.NOT_SIGNED)
    checks_made = [
        _check_signature(signature, trusted) for signature in signatures[:MAX_SIGNATURES_CHECKED]
    ]
    ours = [check for check in checks_made if check.state in {SealState.INTACT, SealState.ADDED_TO}]
    chosen = ours[0] if ours else checks_made[0]
    return SealCheck(chosen.state, chosen.signer, chosen.signed_at, signature_count=len(signatures))


def _check_signature(signature, trusted: tuple[x509.Certificate, ...]) -> SealCheck:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signer = certificate_name(signature.signer_cert)[:200]
    except Exception:
        # A CMS object without a readable certificate: the signature fails below anyway.
        signer = ""
    try:
        context = ValidationContext(
            trust_roots=list(trusted), allow_fetching=False, revocation_mode="soft-fail"
        )
        status = _outside_event_loop(
            validate_pdf_signature,
            signature,
            signer_validation_context=context,
            key_usage_settings=KeyUsageConstraints(
                key_usage=set(SEAL_KEY_USAGES), match_all_key_usages=False
            ),
            # Whatever was appended after our seal makes the file another than the record
            # (coverage tells that); judging whether the additions were "allowed" would cost
            # time on a crafted upload with thousands of revisions, and answer nothing asked.
            skip_diff=True,
        )
    except Exception as error:
        # A signature dictionary that cannot be parsed or hashed (a byte range pointing
        # outside the file, a mangled CMS object) does not vouch for the document.
        logger.info("seal check: signature not checkable (%s: %s)", type(error).__name__, error)
        return SealCheck(SealState.BROKEN, signer)
    signed_at = status.signer_reported_dt
    if not (status.intact and status.valid):
        return SealCheck(SealState.BROKEN, signer, signed_at)
    ours = bool(trusted) and signature.signer_cert.dump() == trusted[0].dump() and status.trusted
    if not ours:
        return SealCheck(SealState.NOT_OURS, signer, signed_at)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SealCheck(SealState.ADDED_TO, signer, signed_at)
    return SealCheck(SealState.INTACT, signer, signed_at)
