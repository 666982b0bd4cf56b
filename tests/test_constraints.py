"""Each invariant of the design is a database constraint: a bad row is refused by PostgreSQL
itself, whatever code wrote it (the ORM without full_clean, a bulk update, a migration)."""

import datetime
import uuid

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from committee.accounts.models import EnrolmentLink, EnrolmentLinkEvent
from committee.agreements.models import Agreement, Pledge, PledgeReview, PledgeUpdate
from committee.core.models import Rendering
from committee.meetings.models import AgendaItem, Attendance, Minutes, MinutesReopening
from committee.members.models import CalendarToken, Committee, Member, Organization, Party
from committee.notifications.models import Mail, Reminder, ScheduledRun
from tests import factories

pytestmark = pytest.mark.django_db


def _user_language_unknown():
    factories.UserFactory(language="de")


def _party_country_code_lowercase():
    factories.PartyFactory(country_code="af")


def _party_country_code_twice():
    factories.PartyFactory(country_code="AF")
    factories.PartyFactory(country_code="AF")


def _organization_name_twice():
    party = factories.PartyFactory()
    Organization.objects.create(party=party, name="Ministry of Transport")
    Organization.objects.create(party=party, name="Ministry of Transport")


def _organization_name_twice_in(language):
    """The name is unique per party in each language's column too (modeltranslation copies
    the constraint): two ministries may not share a Dari name."""

    def write():
        party = factories.PartyFactory()
        first = Organization.objects.create(party=party, name="Ministry of Transport")
        second = Organization.objects.create(party=party, name="Ministry of Railways")
        column = f"name_{language}"
        Organization.objects.filter(pk=first.pk).update(**{column: "وزارت ترانسپورت"})
        Organization.objects.filter(pk=second.pk).update(**{column: "وزارت ترانسپورت"})

    return write


def _member_without_name_or_position():
    committee = factories.CommitteeFactory()
    Member.objects.create(committee=committee, party=committee.parties.first())


def _member_login_twice_on_committee():
    member = factories.MemberFactory(user=factories.UserFactory())
    factories.MemberFactory(committee=member.committee, user=member.user)


def _calendar_token_stored_raw():
    raw = "AIlB-iAvYK5gydjmAfTrx74IF2kTtctJm0UpwX1Qf78"  # what token_urlsafe(32) gives
    CalendarToken.objects.create(user=factories.UserFactory(), token_hash=raw)


def _enrolment_link(**fields):
    now = timezone.now()
    values = {
        "user": factories.UserFactory(is_staff=True),
        "token_hash": uuid.uuid4().hex * 2,
        "created_at": now,
        "expires_at": now + datetime.timedelta(hours=72),
    }
    return EnrolmentLink.objects.create(**(values | fields))


def _enrolment_link_stored_raw():
    _enrolment_link(token_hash="AIlB-iAvYK5gydjmAfTrx74IF2kTtctJm0UpwX1Qf78")


def _enrolment_link_for_oneself():
    user = factories.UserFactory(is_staff=True)
    _enrolment_link(user=user, issued_by=user)


def _enrolment_link_expiring_at_issue():
    now = timezone.now()
    _enrolment_link(created_at=now, expires_at=now)


def _enrolment_link_state_unknown():
    _enrolment_link(state="lost", ended_at=timezone.now())


def _enrolment_link_used_without_end():
    _enrolment_link(state="used")


def _enrolment_link_waiting_with_end():
    _enrolment_link(ended_at=timezone.now())


def _enrolment_link_waiting_twice():
    first = _enrolment_link()
    _enrolment_link(user=first.user)


def _enrolment_event(**fields):
    link = _enrolment_link()
    EnrolmentLinkEvent.objects.create(**({"link": link, "account": link.user} | fields))


def _enrolment_event_kind_unknown():
    _enrolment_event(kind="lost")


def _enrolment_refusal_without_reason():
    _enrolment_event(kind="refused")


def _enrolment_use_with_reason():
    _enrolment_event(kind="used", reason="expired")


def _enrolment_use_without_link():
    _enrolment_event(kind="used", link=None)


def _meeting_ends_before_start():
    start = timezone.now()
    factories.MeetingFactory(starts_at=start, ends_at=start - datetime.timedelta(hours=1))


def _meeting_number_twice():
    meeting = factories.MeetingFactory(number=3)
    factories.MeetingFactory(committee=meeting.committee, number=3)


def _meeting_number_zero():
    factories.MeetingFactory(number=0)


def _agenda_position_twice():
    item = factories.AgendaItemFactory(position=1)
    factories.AgendaItemFactory(meeting=item.meeting, position=1)


def _agenda_position_zero():
    factories.AgendaItemFactory(position=0)


def _attendance_twice():
    attendance = factories.AttendanceFactory()
    Attendance.objects.create(meeting=attendance.meeting, member=attendance.member)


def _minutes_approved_without_approver():
    minutes = factories.MinutesFactory()
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.APPROVED)


def _minutes_bad_checksum():
    factories.MinutesFactory(pdf_sha256="not-a-checksum")


def _minutes_no_original():
    factories.MinutesFactory(original_count=0)


def _absent_head_of_delegation():
    factories.AttendanceFactory(status="absent", heads_delegation=True)


def _circulation_twice():
    circulation = factories.MinutesCirculationFactory()
    factories.MinutesCirculationFactory(minutes=circulation.minutes, number=circulation.number)


def _circulation_bad_digest():
    factories.MinutesCirculationFactory(digest="not-a-digest")


def _circulation_deadline_before():
    now = timezone.now()
    factories.MinutesCirculationFactory(
        circulated_at=now, comment_deadline=now - datetime.timedelta(hours=1)
    )


def _comment_without_text():
    factories.MinutesCommentFactory(text="")


def _comment_answer_without_who():
    factories.MinutesCommentFactory(answer="accepted")


def _comment_declined_without_reason():
    factories.MinutesCommentFactory(
        answer="declined",
        answered_at=timezone.now(),
        answered_by=factories.UserFactory(is_staff=True),
    )


def _approval_twice():
    approval = factories.MinutesApprovalFactory()
    factories.MinutesApprovalFactory(
        minutes=approval.minutes,
        circulation=approval.circulation,
        signatory=approval.signatory,
    )


def _paper_approval_without_scan():
    factories.MinutesApprovalFactory(method="paper", signed_at="Kabul")


def _reopening_without_reason():
    MinutesReopening.objects.create(
        minutes=factories.MinutesFactory(), reopened_by=factories.UserFactory(), reason=""
    )


def _agreement_reference_twice():
    agreement = factories.AgreementFactory(reference="AF-KZ/1")
    factories.AgreementFactory(committee=agreement.committee, reference="AF-KZ/1")


def _agreement_in_force_before_signature():
    factories.AgreementFactory(
        signed_on=datetime.date(2026, 3, 1), entry_into_force_on=datetime.date(2026, 2, 1)
    )


def _agreement_expires_before_signature():
    factories.AgreementFactory(
        signed_on=datetime.date(2026, 3, 1), expires_on=datetime.date(2025, 1, 1)
    )


def _agreement_bad_checksum():
    # save() computes the checksum from the document; an UPDATE writes what it is given.
    agreement = factories.AgreementFactory()
    Agreement.objects.filter(pk=agreement.pk).update(document_sha256="ABC")


def _pledge_number_twice_in_agreement():
    pledge = factories.PledgeFactory(number=1)
    factories.PledgeFactory(agreement=pledge.agreement, number=1)


def _pledge_number_twice_in_agenda_item():
    item = factories.AgendaItemFactory()
    for _ in range(2):
        factories.PledgeFactory(
            agreement=None, agenda_item=item, committee=item.meeting.committee, number=1
        )


def _pledge_without_origin():
    factories.PledgeFactory(agreement=None, committee=factories.CommitteeFactory())


def _pledge_progress_over_100():
    pledge = factories.PledgeFactory()
    Pledge.objects.filter(pk=pledge.pk).update(progress=150)


def _pledge_rescheduled_without_original():
    pledge = factories.PledgeFactory()
    Pledge.objects.filter(pk=pledge.pk).update(due_moved_at=timezone.now())


def _committee_phone_not_international():
    committee = factories.CommitteeFactory()
    Committee.objects.filter(pk=committee.pk).update(secretariat_phone="020 210 0000")


def _pledge_number_zero():
    factories.PledgeFactory(number=0)


def _pledge_target_without_indicator():
    factories.PledgeFactory(indicator="", target_value=3)


def _pledge_baseline_year_implausible():
    factories.PledgeFactory(indicator="Trade", baseline_year=20250)


def _update_progress_over_100():
    factories.PledgeUpdateFactory(progress=101)


def _update_period_reversed():
    factories.PledgeUpdateFactory(
        period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2025, 12, 31)
    )


def _review(**kwargs):
    pledge = factories.PledgeFactory()
    item = factories.AgendaItemFactory(meeting__committee=pledge.committee)
    fields = {
        "agenda_item": item,
        "pledge": pledge,
        "position": 1,
        "status": "in_progress",
        "progress": 5,
    }
    return PledgeReview.objects.create(**{**fields, **kwargs})


def _review_pledge_twice():
    review = _review()
    PledgeReview.objects.create(
        agenda_item=review.agenda_item,
        pledge=review.pledge,
        position=2,
        status="in_progress",
        progress=5,
    )


def _review_position_twice():
    review = _review()
    PledgeReview.objects.create(
        agenda_item=review.agenda_item,
        pledge=factories.PledgeFactory(agreement=review.pledge.agreement),
        position=1,
        status="in_progress",
        progress=5,
    )


def _review_progress_over_100():
    _review(progress=120)


def _rendering(**fields):
    return factories.RenderingFactory(**fields)


def _ready(**fields):
    """What a ready rendering has: its file, checksum and end; `fields` take one away."""
    done = {
        "status": Rendering.Status.READY,
        "file": "renderings/report.pdf",
        "sha256": "a" * 64,
        "finished_at": timezone.now(),
    }
    return _rendering(**{**done, **fields})


def _rendering_kind_unknown():
    _rendering(kind="video")


def _rendering_status_unknown():
    _rendering(status="lost", finished_at=timezone.now())


def _rendering_queued_twice():
    first = _rendering()
    _rendering(key=first.key, status=Rendering.Status.RUNNING)


def _rendering_edition_ready_twice():
    kind = Rendering.Kind.MINUTES_EDITION
    first = _ready(kind=kind)
    _ready(kind=kind, key=first.key)


def _rendering_bad_checksum():
    _ready(sha256="ABC")


def _rendering_ready_without_checksum():
    _ready(sha256="")


def _rendering_ready_without_file():
    _ready(file="")


def _rendering_file_while_queued():
    _rendering(file="renderings/report.pdf")


def _rendering_failed_without_error():
    _rendering(status=Rendering.Status.FAILED, finished_at=timezone.now())


def _rendering_queued_but_finished():
    _rendering(finished_at=timezone.now())


def _mail_sent_without_time():
    factories.MailFactory(status=Mail.Status.SENT)


def _mail_time_while_queued():
    factories.MailFactory(sent_at=timezone.now())


def _mail_failed_without_reason():
    factories.MailFactory(status=Mail.Status.FAILED)


def _mail_told_twice():
    first = factories.MailFactory(event="minutes-circulated:1")
    factories.MailFactory(recipient=first.recipient, event="minutes-circulated:1")


def _reminder_twice():
    pledge = factories.PledgeFactory()
    for _ in range(2):
        Reminder.objects.create(pledge=pledge, milestone="due_7", due_on=pledge.due_on)


def _scheduled_run_twice():
    for _ in range(2):
        ScheduledRun.objects.create(job="send_reminders", period="2026-11-30")


# Texts written by a script, not typed into a form (which cleans them: committee/core/text.py).
REVERSED = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: what follows prints backwards


def _user_name_reversed():
    factories.UserFactory(first_name=f"Ahmad{REVERSED}")


def _party_dari_name_reversed():
    factories.PartyFactory(name_fa=f"افغانستان{REVERSED}")


def _committee_mandate_with_a_form_feed():
    factories.CommitteeFactory(mandate_en="Trade.\x0cTransit.")


def _organization_name_on_two_lines():
    factories.OrganizationFactory(name_en="Ministry of\nTransport")


def _member_name_isolated():
    factories.MemberFactory(full_name="\u2067Azizi\u2069")


def _sector_russian_name_overridden():
    factories.SectorFactory(name_ru="\u202dТорговля")


def _meeting_kazakh_venue_on_two_lines():
    factories.MeetingFactory(venue_kk="Үкімет үйі\r\nАстана")


def _agenda_dari_title_reversed():
    factories.AgendaItemFactory(title_fa=f"تجارت {REVERSED}Trade")


def _attendance_note_on_two_lines():
    factories.AttendanceFactory(note="Late\nleft early")


def _minutes_next_session_with_a_line_separator():
    factories.MinutesFactory(next_session_en="In Almaty.\u2028In May.")


def _reopening_reason_with_an_escape_sequence():
    factories.MinutesReopeningFactory(reason="\x1b[31mUrgent")


def _comment_reversed():
    factories.MinutesCommentFactory(text=f"Paragraph {REVERSED}2.1")


def _approval_place_on_two_lines():
    factories.MinutesApprovalFactory(signed_at="Kabul\n")


def _agreement_title_reversed():
    factories.AgreementFactory(title_en=f"invoice{REVERSED}fdp.exe")


def _pledge_pashto_title_reversed_by_a_bulk_update():
    pledge = factories.PledgeFactory()
    Pledge.objects.filter(pk=pledge.pk).update(title_ps=f"سوداګري{REVERSED}")


def _update_note_with_a_control_character():
    factories.PledgeUpdateFactory(note="=1+1\x02")


def _review_remarks_embedded():
    factories.PledgeReviewFactory(remarks_ps="\u202bيادونه\u202c")


CASES = [
    (_user_language_unknown, "user_language_known"),
    (_party_country_code_lowercase, "party_country_code_two_capitals"),
    (_party_country_code_twice, "party_country_code_unique"),
    (_organization_name_twice, "organization_name_unique_per_party"),
    *(
        (_organization_name_twice_in(code), f"organization_name_unique_per_party-{code}")
        for code, _name in settings.LANGUAGES
    ),
    (_member_without_name_or_position, "member_has_name_or_position"),
    (_member_login_twice_on_committee, "member_one_login_per_committee"),
    (_calendar_token_stored_raw, "calendar_token_hash_sha256_hex"),
    (_enrolment_link_stored_raw, "enrolment_link_hash_sha256_hex"),
    (_enrolment_link_for_oneself, "enrolment_link_not_for_oneself"),
    (_enrolment_link_expiring_at_issue, "enrolment_link_expires_after_issue"),
    (_enrolment_link_state_unknown, "enrolment_link_state_known"),
    (_enrolment_link_used_without_end, "enrolment_link_ended_unless_waiting"),
    (_enrolment_link_waiting_with_end, "enrolment_link_ended_unless_waiting"),
    (_enrolment_link_waiting_twice, "enrolment_link_one_waiting_per_user"),
    (_enrolment_event_kind_unknown, "enrolment_link_event_kind_known"),
    (_enrolment_refusal_without_reason, "enrolment_link_event_reason_for_refusals"),
    (_enrolment_use_with_reason, "enrolment_link_event_reason_for_refusals"),
    (_enrolment_use_without_link, "enrolment_link_event_has_link"),
    (_meeting_ends_before_start, "meeting_ends_after_start"),
    (_meeting_number_twice, "meeting_number_unique_per_committee"),
    (_meeting_number_zero, "meeting_number_positive"),
    (_agenda_position_twice, "agenda_position_unique_per_meeting"),
    (_agenda_position_zero, "agenda_position_positive"),
    (_attendance_twice, "attendance_once_per_member_and_meeting"),
    (_minutes_approved_without_approver, "minutes_approval_recorded"),
    (_minutes_bad_checksum, "minutes_pdf_sha256_hex"),
    (_minutes_no_original, "minutes_at_least_one_original"),
    (_reopening_without_reason, "minutes_reopening_has_reason"),
    (_absent_head_of_delegation, "attendance_head_is_present"),
    (_circulation_twice, "minutes_circulation_number_unique"),
    (_circulation_bad_digest, "minutes_circulation_digest_hex"),
    (_circulation_deadline_before, "minutes_circulation_deadline_after"),
    (_comment_without_text, "minutes_comment_has_text"),
    (_comment_answer_without_who, "minutes_comment_answer_recorded"),
    (_comment_declined_without_reason, "minutes_comment_reason_unless_accepted"),
    (_approval_twice, "minutes_one_approval_per_delegation"),
    (_paper_approval_without_scan, "minutes_paper_approval_complete"),
    (_agreement_reference_twice, "agreement_reference_unique_per_committee"),
    (_agreement_in_force_before_signature, "agreement_in_force_not_before_signature"),
    (_agreement_expires_before_signature, "agreement_expires_after_signature"),
    (_agreement_bad_checksum, "agreement_document_sha256_hex"),
    (_pledge_number_twice_in_agreement, "pledge_number_unique_per_agreement"),
    (_pledge_number_twice_in_agenda_item, "pledge_number_unique_per_agenda_item"),
    (_pledge_without_origin, "pledge_has_agreement_or_agenda_item"),
    (_pledge_progress_over_100, "pledge_progress_within_0_100"),
    (_pledge_number_zero, "pledge_number_positive"),
    (_pledge_rescheduled_without_original, "pledge_rescheduled_when_due_date_moved"),
    (_committee_phone_not_international, "committee_secretariat_phone_international"),
    (_pledge_target_without_indicator, "pledge_indicator_named_when_measured"),
    (_pledge_baseline_year_implausible, "pledge_baseline_year_plausible"),
    (_update_progress_over_100, "pledge_update_progress_within_0_100"),
    (_update_period_reversed, "pledge_update_period_in_order"),
    (_review_pledge_twice, "pledge_review_once_per_item"),
    (_review_position_twice, "pledge_review_position_unique_per_item"),
    (_review_progress_over_100, "pledge_review_progress_within_0_100"),
    (_rendering_kind_unknown, "rendering_kind_known"),
    (_rendering_status_unknown, "rendering_status_known"),
    (_rendering_queued_twice, "rendering_one_pending_per_key"),
    (_rendering_edition_ready_twice, "rendering_one_ready_per_fixed_key"),
    (_rendering_bad_checksum, "rendering_sha256_hex"),
    (_rendering_ready_without_checksum, "rendering_ready_has_checksum"),
    (_rendering_ready_without_file, "rendering_ready_has_file"),
    (_rendering_file_while_queued, "rendering_file_only_when_ready"),
    (_rendering_failed_without_error, "rendering_failure_says_why"),
    (_rendering_queued_but_finished, "rendering_finished_when_done"),
    (_mail_sent_without_time, "mail_sent_has_time"),
    (_mail_time_while_queued, "mail_sent_has_time"),
    (_mail_failed_without_reason, "mail_failure_has_reason"),
    (_mail_told_twice, "mail_once_per_event"),
    (_reminder_twice, "reminder_once_per_milestone"),
    (_scheduled_run_twice, "scheduled_run_once"),
    (_user_name_reversed, "user_texts_plain"),
    (_party_dari_name_reversed, "party_texts_plain"),
    (_committee_mandate_with_a_form_feed, "committee_texts_plain"),
    (_organization_name_on_two_lines, "organization_texts_plain"),
    (_member_name_isolated, "member_texts_plain"),
    (_sector_russian_name_overridden, "sector_texts_plain"),
    (_meeting_kazakh_venue_on_two_lines, "meeting_texts_plain"),
    (_agenda_dari_title_reversed, "agenda_item_texts_plain"),
    (_attendance_note_on_two_lines, "attendance_texts_plain"),
    (_minutes_next_session_with_a_line_separator, "minutes_texts_plain"),
    (_reopening_reason_with_an_escape_sequence, "minutes_reopening_texts_plain"),
    (_comment_reversed, "minutes_comment_texts_plain"),
    (_approval_place_on_two_lines, "minutes_approval_texts_plain"),
    (_agreement_title_reversed, "agreement_texts_plain"),
    (_pledge_pashto_title_reversed_by_a_bulk_update, "pledge_texts_plain"),
    (_update_note_with_a_control_character, "pledge_update_texts_plain"),
    (_review_remarks_embedded, "pledge_review_texts_plain"),
]


@pytest.mark.parametrize(
    ("write", "constraint"), CASES, ids=[f"{c}-{w.__name__}" for w, c in CASES]
)
def test_it_refuses_the_row_at_the_database(write, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        write()


def test_every_named_constraint_has_a_case():
    from django.apps import apps

    declared = {
        constraint.name
        for config in apps.get_app_configs()
        if config.name.startswith("committee.")
        for model in config.get_models()
        for constraint in model._meta.constraints
    }
    assert declared == {name for _, name in CASES}


def test_what_may_be_made_again_is_not_refused():
    """A report is made again when asked after a while: two ready ones of one key stand. The
    sealed record of minutes is kept on the minutes: its rendering is ready without a file."""
    first = _ready()
    _ready(key=first.key)
    _ready(kind=Rendering.Kind.MINUTES_RECORD, file="")
    # A failure does not block asking again.
    failed = _rendering(status=Rendering.Status.FAILED, error="Timeout", finished_at=timezone.now())
    _rendering(key=failed.key)


def test_full_clean_gives_the_readable_message():
    meeting = factories.MeetingFactory.build(
        committee=factories.CommitteeFactory(),
        starts_at=timezone.now(),
        ends_at=timezone.now() - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="A meeting must end after it starts"):
        meeting.full_clean()


def test_clean_refuses_a_member_whose_organization_is_of_another_party():
    committee = factories.CommitteeFactory()
    other_party = factories.PartyFactory()
    member = Member(
        committee=committee,
        party=committee.parties.first(),
        organization=Organization.objects.create(party=other_party, name="Foreign ministry"),
        full_name="Someone",
    )
    with pytest.raises(ValidationError) as raised:
        member.full_clean()
    assert "organization" in raised.value.message_dict


def test_clean_refuses_a_pledge_whose_agreement_is_of_another_committee():
    agreement = factories.AgreementFactory()
    pledge = Pledge(
        committee=factories.CommitteeFactory(),
        agreement=agreement,
        number=1,
        title_en="Pledge",
        sector=factories.SectorFactory(),
    )
    with pytest.raises(ValidationError) as raised:
        pledge.full_clean()
    assert "agreement" in raised.value.message_dict


def test_models_read_as_officials_cite_them():
    party = Party(name="Republic of Kazakhstan", short_name="KZ")
    assert str(party) == "Republic of Kazakhstan"
    unnamed = Member(position="Deputy Prime Minister")
    assert str(unnamed) == "Deputy Prime Minister"
    named = Member(honorific="Alhaj", full_name="Nooruddin Azizi", position="Acting Minister")
    assert str(named) == "Alhaj Nooruddin Azizi"
    agreement = factories.AgreementFactory(reference="AF-KZ/1", title="Protocol")
    assert str(Pledge(agreement=agreement, number=3, title="Visas")) == "AF-KZ/1 §3 Visas"
    assert str(AgendaItem(position=2, title="Trade")) == "2. Trade"
    assert PledgeUpdate._meta.get_latest_by == "created_at"
