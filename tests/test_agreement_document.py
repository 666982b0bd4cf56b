"""The signed document of an agreement carries its SHA-256, computed by the model whoever
stores the file (the admin, a script, load_demo)."""

import hashlib

import pytest
from django.core.files.base import ContentFile

from committee.agreements.models import Agreement
from tests import factories

pytestmark = pytest.mark.django_db

SIGNED = b"%PDF-1.7 signed original"
AMENDED = b"%PDF-1.7 amended original"


def stored_checksum(agreement) -> str:
    return Agreement.objects.values_list("document_sha256", flat=True).get(pk=agreement.pk)


def test_storing_a_document_records_its_checksum():
    agreement = factories.AgreementFactory()
    agreement.document.save("signed.pdf", ContentFile(SIGNED), save=True)
    assert stored_checksum(agreement) == hashlib.sha256(SIGNED).hexdigest()


def test_replacing_the_document_replaces_the_checksum():
    agreement = factories.AgreementFactory()
    agreement.document.save("signed.pdf", ContentFile(SIGNED), save=True)
    agreement.document.save("amended.pdf", ContentFile(AMENDED), save=True)
    assert stored_checksum(agreement) == hashlib.sha256(AMENDED).hexdigest()


def test_other_changes_keep_the_checksum_and_a_removed_document_takes_it_away():
    agreement = factories.AgreementFactory()
    agreement.document.save("signed.pdf", ContentFile(SIGNED), save=True)
    agreement = Agreement.objects.get(pk=agreement.pk)
    agreement.title = "Renamed"
    agreement.save()
    assert stored_checksum(agreement) == hashlib.sha256(SIGNED).hexdigest()

    agreement.document = ""
    agreement.save(update_fields=["document"])
    assert stored_checksum(agreement) == ""


def test_a_checksum_typed_by_hand_does_not_stick():
    agreement = factories.AgreementFactory(document_sha256="0" * 64)
    assert stored_checksum(agreement) == ""
