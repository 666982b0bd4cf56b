"""Factories for test data. Each builds a consistent row: a member's party is on its committee,
a pledge's agreement belongs to the pledge's committee, and so on."""

import datetime

import factory
from django.utils import timezone

from committee.agreements.models import Agreement, Pledge, PledgeReview, PledgeUpdate
from committee.core.models import Rendering
from committee.meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    Minutes,
    MinutesApproval,
    MinutesCirculation,
    MinutesComment,
    MinutesReopening,
    Sector,
)
from committee.members.models import Committee, Member, Organization, Party, User
from committee.notifications.models import Mail


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    name = factory.Sequence(lambda n: f"Republic {n}")
    short_name = factory.Sequence(lambda n: f"R{n}")


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Joint Working Committee {n}")
    short_name = factory.Sequence(lambda n: f"JWC{n}")
    established_on = datetime.date(2026, 1, 15)

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if create:
            self.parties.set(
                extracted if extracted is not None else [PartyFactory(), PartyFactory()]
            )


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    party = factory.SubFactory(PartyFactory)
    name = factory.Sequence(lambda n: f"Ministry {n}")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    committee = factory.SubFactory(CommitteeFactory)
    party = factory.LazyAttribute(lambda m: m.committee.parties.first())
    full_name = factory.Sequence(lambda n: f"Member {n}")
    position = "Director"


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    number = factory.Sequence(lambda n: n + 1)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + datetime.timedelta(hours=8))
    time_zone = "Asia/Kabul"
    city = "Kabul"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    member = factory.SubFactory(
        MemberFactory, committee=factory.SelfAttribute("..meeting.committee")
    )


class MinutesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Minutes

    meeting = factory.SubFactory(MeetingFactory)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    committee = factory.SubFactory(CommitteeFactory)
    title = factory.Sequence(lambda n: f"Agreement {n}")
    signed_on = datetime.date(2026, 3, 1)


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    agreement = factory.SubFactory(AgreementFactory)
    committee = factory.SelfAttribute("agreement.committee")
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Pledge {n}")
    sector = factory.SubFactory(SectorFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))


class PledgeUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgeUpdate

    pledge = factory.SubFactory(PledgeFactory)
    author = factory.SubFactory(UserFactory)
    status = Pledge.Status.IN_PROGRESS
    progress = 10


class MinutesReopeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MinutesReopening

    minutes = factory.SubFactory(MinutesFactory)
    reopened_by = factory.SubFactory(UserFactory)
    reason = "A name was misspelt."


class PledgeReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgeReview

    agenda_item = factory.SubFactory(AgendaItemFactory, kind=AgendaItem.Kind.IMPLEMENTATION_REVIEW)
    pledge = factory.SubFactory(
        PledgeFactory,
        agreement__committee=factory.SelfAttribute("...agenda_item.meeting.committee"),
    )
    position = factory.Sequence(lambda n: n + 1)
    status = factory.SelfAttribute("pledge.status")
    progress = factory.SelfAttribute("pledge.progress")
    due_on = factory.SelfAttribute("pledge.due_on")


class MinutesCirculationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MinutesCirculation

    minutes = factory.SubFactory(MinutesFactory)
    number = factory.Sequence(lambda n: n + 1)
    circulated_at = factory.LazyFunction(timezone.now)
    circulated_by = factory.SubFactory(UserFactory, is_staff=True)
    comment_deadline = factory.LazyAttribute(
        lambda c: c.circulated_at + datetime.timedelta(days=14)
    )
    texts = factory.LazyFunction(dict)
    digest = "0" * 64


class MinutesCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MinutesComment

    circulation = factory.SubFactory(MinutesCirculationFactory)
    minutes = factory.SelfAttribute("circulation.minutes")
    party = factory.LazyAttribute(lambda c: c.minutes.meeting.committee.parties.first())
    author = factory.SubFactory(UserFactory)
    text = "Paragraph 1.1 should name the ministries."


class MinutesApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MinutesApproval

    circulation = factory.SubFactory(MinutesCirculationFactory)
    minutes = factory.SelfAttribute("circulation.minutes")
    signatory = factory.LazyAttribute(
        lambda a: MemberFactory(committee=a.minutes.meeting.committee, role=Member.Role.CO_CHAIR)
    )
    party = factory.SelfAttribute("signatory.party")
    method = MinutesApproval.Method.PORTAL
    approved_at = factory.LazyFunction(timezone.now)
    recorded_by = factory.SubFactory(UserFactory)


class RenderingFactory(factory.django.DjangoModelFactory):
    """A PDF asked of the worker, still waiting (a report of everything, in English)."""

    class Meta:
        model = Rendering

    kind = Rendering.Kind.IMPLEMENTATION_REPORT
    key = factory.Sequence(lambda n: f"implementation-report/{n:064x}")
    params = factory.LazyFunction(
        lambda: {
            "query": "",
            "original": "en",
            "second": "",
            "today": timezone.localdate().isoformat(),
            "committees": None,
        }
    )
    requested_by = factory.SubFactory(UserFactory, is_staff=True)


def name_heads_of_delegation(meeting) -> dict:
    """Each party of the meeting's committee gets a head of delegation with a login, present
    at the session (an existing co-chair's attendance is marked, else one is added)."""
    from committee.meetings import record

    heads = record.heads_of_delegation(meeting)
    for party in meeting.committee.parties.all():
        head = heads.get(party.pk)
        if head is None:
            head = MemberFactory(
                committee=meeting.committee,
                party=party,
                role=Member.Role.CO_CHAIR,
                full_name=f"Head of {party.short_name}",
                position="Minister",
                user=UserFactory(username=f"head-{party.short_name.lower()}"),
            )
        if head.user is None:
            head.user = UserFactory(username=f"head-{party.short_name.lower()}")
            head.save(update_fields=["user"])
        Attendance.objects.update_or_create(
            meeting=meeting, member=head, defaults={"heads_delegation": True}
        )
        heads[party.pk] = head
    return heads


def approve_minutes(minutes, staff):
    """Name the heads of delegation, circulate what is not circulated yet, have every head
    approve in the portal, and let the worker make the sealed PDF."""
    from committee.meetings import record, services
    from tests.conftest import run_worker

    heads = name_heads_of_delegation(minutes.meeting)
    minutes.refresh_from_db()
    latest = record.latest_circulation(minutes)
    if minutes.is_draft or latest is None or latest.digest != record.current_digest(minutes):
        services.minutes_circulate(minutes=minutes, user=staff)
    for head in heads.values():
        services.minutes_approve(minutes=minutes, user=head.user)
    run_worker()
    minutes.refresh_from_db()
    return minutes


class MailFactory(factory.django.DjangoModelFactory):
    """A reminder in the outbox, queued for delivery."""

    class Meta:
        model = Mail

    recipient = factory.SubFactory(UserFactory)
    to = "official@example.org"
    language = "ru"
    kind = Mail.Kind.REMINDER
    subject = "Due in 7 days"
    text = "text"
    html = "<p>html</p>"
