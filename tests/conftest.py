import datetime

import pytest
from django.utils import timezone

from committee.members.models import Member
from tests import factories


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class World:
    """Two delegations on one committee, a second committee nobody here belongs to, and
    the personas of the design: an Afghan official, a Kazakh official, an observer, staff."""

    def __init__(self):
        self.today = timezone.localdate()
        self.af = factories.PartyFactory(name="Afghanistan", short_name="AF", country_code="AF")
        self.kz = factories.PartyFactory(name="Kazakhstan", short_name="KZ", country_code="KZ")
        self.committee = factories.CommitteeFactory(parties=[self.af, self.kz])
        self.other_committee = factories.CommitteeFactory()

        self.azizi = factories.UserFactory(
            username="azizi", first_name="Nooruddin", last_name="Azizi"
        )
        self.torebayev = factories.UserFactory(username="torebayev")
        self.observer = factories.UserFactory(username="observer")
        self.staff = factories.UserFactory(username="secretariat", is_staff=True)
        self.outsider = factories.UserFactory(username="outsider")
        factories.MemberFactory(
            committee=self.committee, party=self.af, user=self.azizi, role=Member.Role.CO_CHAIR
        )
        factories.MemberFactory(committee=self.committee, party=self.kz, user=self.torebayev)
        factories.MemberFactory(
            committee=self.committee, party=self.kz, user=self.observer, role=Member.Role.OBSERVER
        )
        factories.MemberFactory(committee=self.other_committee, user=self.outsider)

        self.agreement = factories.AgreementFactory(committee=self.committee, reference="AF-KZ/1")
        self.sector = factories.SectorFactory(name="Trade", slug="trade")
        self.af_pledge = self.pledge(
            responsible_party=self.af, title="Afghan exports of dried fruit", days=10
        )
        self.kz_pledge = self.pledge(
            responsible_party=self.kz, title="Space at Khorgos port", days=-5
        )
        self.joint_pledge = self.pledge(
            responsible_party=None,
            title="Annual trade to 3 billion",
            days=200,
            indicator="Annual bilateral trade",
            indicator_unit="USD billion",
            baseline_value=1,
            baseline_year=2025,
            target_value=3,
        )
        self.foreign_pledge = factories.PledgeFactory(
            agreement=factories.AgreementFactory(committee=self.other_committee),
            title="Another committee's pledge",
        )

    def pledge(self, *, days: int, **kwargs):
        return factories.PledgeFactory(
            agreement=self.agreement,
            sector=self.sector,
            due_on=self.today + datetime.timedelta(days=days),
            **kwargs,
        )


@pytest.fixture
def world(db):
    return World()
