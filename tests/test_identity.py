"""The service header and footer: whose service, whom to ask, which version."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from committee.members.models import Committee
from portal.context_processors import portal_version
from tests import factories

pytestmark = pytest.mark.django_db


def _header(client, url="/"):
    page = client.get(url).content.decode()
    return page.split("<header", 1)[1].split("</header>", 1)[0]


def _footer(client, url="/"):
    page = client.get(url).content.decode()
    return page.split('<footer class="service-footer', 1)[1].split("</footer>", 1)[0]


def test_a_member_sees_their_committee_and_its_parties(client, world, sign_in):
    sign_in(world.azizi)
    header = _header(client)
    assert world.committee.name in header
    assert "<bdi>Afghanistan</bdi> · <bdi>Kazakhstan</bdi>" in header
    assert world.other_committee.name not in header


def test_the_committee_is_named_in_the_readers_language(client, world, sign_in):
    Committee.objects.filter(pk=world.committee.pk).update(name_ru="Совместный комитет")
    world.azizi.language = "ru"
    world.azizi.save()
    sign_in(world.azizi)
    assert "Совместный комитет" in _header(client)


def test_a_reader_of_several_committees_sees_the_portals_name(client, world, sign_in):
    factories.MemberFactory(committee=world.other_committee, user=world.azizi)
    sign_in(world.azizi)
    header = _header(client)
    assert "Joint Committee Portal" in header
    assert world.committee.name not in header
    assert world.other_committee.name not in header


def test_the_footer_gives_the_secretariats_contact_and_the_version(client, world, sign_in):
    Committee.objects.filter(pk=world.committee.pk).update(
        secretariat_email="jiwc@mfa.example.org", secretariat_phone="+93 20 210 0000"
    )
    sign_in(world.azizi)
    footer = _footer(client)
    assert 'href="mailto:jiwc@mfa.example.org"' in footer
    assert 'href="tel:+93202100000"' in footer
    assert f"Joint Committee Portal, version {portal_version()}" in footer


def test_without_a_contact_the_footer_says_nothing_of_one(client, world, sign_in):
    sign_in(world.azizi)
    assert "Help from the secretariat" not in _footer(client)


def test_the_sign_in_page_names_the_installations_committee(client):
    committee = factories.CommitteeFactory(secretariat_email="jiwc@mfa.example.org")
    assert committee.name in _header(client, reverse("login"))
    assert "jiwc@mfa.example.org" in _footer(client, reverse("login"))

    # With a second committee the sign-in page cannot know which the visitor belongs to.
    factories.CommitteeFactory()
    header = _header(client, reverse("login"))
    assert "Joint Committee Portal" in header
    assert committee.name not in header


@pytest.mark.parametrize("phone", ["020 210 0000", "+93 abc", "+"])
def test_a_secretariat_phone_is_dialled_from_abroad(world, phone):
    world.committee.secretariat_phone = phone
    with pytest.raises(ValidationError) as error:
        world.committee.full_clean()
    assert "secretariat_phone" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Committee.objects.filter(pk=world.committee.pk).update(secretariat_phone=phone)
