"""The admin that the secretariat lives in: every page answers, only staff get in, lists and
inlines cost the same number of queries whatever their size, a database constraint comes back
as a form error, and pledge updates stay append-only."""

import datetime
import itertools
import re
import zoneinfo

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.http import urlencode
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from committee.accounts import enrolment
from committee.accounts.models import EnrolmentLink, EnrolmentLinkEvent
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
from committee.members.models import (
    CalendarToken,
    Committee,
    Member,
    Organization,
    Party,
    User,
)
from committee.notifications import tasks
from committee.notifications.models import Mail, MailSettings, Reminder, ScheduledRun, Worker
from tests import factories

pytestmark = pytest.mark.django_db

LANGUAGES = tuple(code for code, _name in settings.CONTENT_LANGUAGES)
_group_numbers = itertools.count(1)
_sign_in_numbers = itertools.count(1)


def _calendar_token():
    user = factories.UserFactory()
    CalendarToken.issue(user)
    return CalendarToken.objects.get(user=user)


def _sign_in_record(model, **fields):
    """A row of django-axes: sign-in attempts and accesses, recorded by axes, never typed in."""
    return model.objects.create(
        username=f"user{next(_sign_in_numbers)}",
        ip_address="192.0.2.10",
        user_agent="Mozilla/5.0",
        http_accept="text/html",
        path_info="/accounts/login/",
        **fields,
    )


def _enrolment_link():
    """A link a colleague issued, refused once to someone else: every column has a value."""
    account = factories.UserFactory(is_staff=True)
    enrolment.issue_link(account, issued_by=factories.UserFactory(is_staff=True))
    link = EnrolmentLink.objects.get(user=account)
    EnrolmentLinkEvent.objects.create(
        kind="refused",
        link=link,
        account=account,
        actor=factories.UserFactory(),
        reason="other_account",
        ip="192.0.2.10",
    )
    return link


def _recovery_codes():
    user = factories.UserFactory(is_staff=True)
    enrolment.make_recovery_codes(user)
    return StaticDevice.objects.get(user=user)


def _today():
    return timezone.localdate()


MAKERS = {
    User: factories.UserFactory,
    Group: lambda: Group.objects.create(name=f"Group {next(_group_numbers)}"),
    Party: factories.PartyFactory,
    Committee: factories.CommitteeFactory,
    Organization: factories.OrganizationFactory,
    Member: factories.MemberFactory,
    Sector: factories.SectorFactory,
    Meeting: factories.MeetingFactory,
    AgendaItem: factories.AgendaItemFactory,
    Attendance: factories.AttendanceFactory,
    Minutes: factories.MinutesFactory,
    MinutesReopening: factories.MinutesReopeningFactory,
    MinutesCirculation: factories.MinutesCirculationFactory,
    MinutesComment: factories.MinutesCommentFactory,
    MinutesApproval: factories.MinutesApprovalFactory,
    Agreement: factories.AgreementFactory,
    Pledge: factories.PledgeFactory,
    PledgeUpdate: factories.PledgeUpdateFactory,
    PledgeReview: factories.PledgeReviewFactory,
    CalendarToken: _calendar_token,
    TOTPDevice: lambda: TOTPDevice.objects.create(user=factories.UserFactory(), name="Phone"),
    StaticDevice: _recovery_codes,
    EnrolmentLink: _enrolment_link,
    EnrolmentLinkEvent: lambda: _enrolment_link().events.get(kind="refused"),
    AccessAttempt: lambda: _sign_in_record(
        AccessAttempt, get_data="", post_data="", failures_since_start=1
    ),
    AccessLog: lambda: _sign_in_record(AccessLog),
    AccessFailureLog: lambda: _sign_in_record(AccessFailureLog),
    Mail: lambda: factories.MailFactory(language="fa", subject="Due in 7 days: Kabul"),
    MailSettings: lambda: MailSettings.objects.create(user=factories.UserFactory()),
    Reminder: lambda: Reminder.objects.create(
        pledge=factories.PledgeFactory(), milestone=Reminder.Milestone.DUE_7, due_on=_today()
    ),
    Worker: lambda: Worker.objects.create(
        worker_id=f"worker{next(_group_numbers)}",
        host="app1",
        pid=1,
        started_at=timezone.now(),
        seen_at=timezone.now(),
    ),
    DBTaskResult: lambda: tasks.send_reminders.enqueue().db_result,
    ScheduledRun: lambda: ScheduledRun.objects.create(
        job="send_reminders", period=f"run {next(_group_numbers)}"
    ),
    Rendering: factories.RenderingFactory,
}
# History events are written by database triggers, never typed in: their admin is tested in
# tests/test_history.py.
REGISTERED = [model for model in admin.site._registry if model._meta.app_label != "pghistory"]
# Reviews of pledges are put on an agenda by the meeting page's button, and calendar feed
# secrets are issued to their owner on the calendar page: neither is typed in here.
# django-axes records sign-in attempts itself; the PDFs the worker makes are asked for on the
# portal's pages.
NOT_ADDED_IN_THE_ADMIN = {
    # What the portal and its worker write themselves.
    Mail,
    MailSettings,
    Reminder,
    Worker,
    DBTaskResult,
    ScheduledRun,
    Rendering,
    PledgeReview,
    CalendarToken,
    AccessAttempt,
    AccessLog,
    AccessFailureLog,
    MinutesCirculation,
    MinutesComment,
    MinutesApproval,
    # Issued on a user's page, or by the operator on the server, and what became of them;
    # the second factor's devices are bound through those links only.
    EnrolmentLink,
    EnrolmentLinkEvent,
    TOTPDevice,
    StaticDevice,
}


def _label(model):
    return model._meta.label


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _count_queries(client, url):
    client.get(url)  # warm the process-wide caches (content types, site) first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def _constraint_message(model, name):
    constraint = next(c for c in model._meta.constraints if c.name == name)
    return escape(str(constraint.violation_error_message))


def _management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _in_every_language(name, english="", prefix=""):
    return {f"{prefix}{name}_{code}": english if code == "en" else "" for code in LANGUAGES}


def _split(moment, zone=datetime.UTC):
    local = timezone.localtime(moment, zone)
    return local.date().isoformat(), local.time().strftime("%H:%M:%S")


# Every page answers, to staff only.


def test_every_model_of_the_portal_is_registered():
    for app_label in ("core", "members", "meetings", "agreements", "notifications"):
        for model in apps.get_app_config(app_label).get_models():
            # A model's history (its event model) is read in the history admin.
            is_history = getattr(model, "pgh_tracked_model", None) is not None
            assert is_history or admin.site.is_registered(model), model
    assert set(REGISTERED) <= set(MAKERS), "a registered model has no factory in MAKERS"


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_changelist_add_and_change_pages_answer_staff(client, secretariat, model):
    obj = MAKERS[model]()

    assert client.get(_url(model, "changelist")).status_code == 200
    add_status = 403 if model in NOT_ADDED_IN_THE_ADMIN else 200
    assert client.get(_url(model, "add")).status_code == add_status
    assert client.get(_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_changelist_searches_and_sorts_by_every_column(client, secretariat, model):
    MAKERS[model]()
    columns = len(admin.site._registry[model].list_display)
    every_column_descending = ".".join(f"-{index}" for index in range(columns))

    assert client.get(_url(model, "changelist"), {"q": "Kabul"}).status_code == 200
    response = client.get(_url(model, "changelist"), {"o": every_column_descending})
    assert response.status_code == 200


AUTOCOMPLETES = [
    (model, field)
    for model, model_admin in admin.site._registry.items()
    for field in model_admin.autocomplete_fields
]


@pytest.mark.parametrize(
    ("model", "field"), AUTOCOMPLETES, ids=lambda v: v if isinstance(v, str) else _label(v)
)
def test_autocomplete_queries_do_not_grow_with_answers(client, secretariat, model, field):
    related = model._meta.get_field(field).related_model
    make_row = ROWS.get(related, MAKERS[related])
    url = (
        reverse("admin:autocomplete")
        + "?"
        + urlencode(
            {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field,
            }
        )
    )
    for _ in range(2):
        make_row()
    with_two = _count_queries(client, url)

    for _ in range(28):
        make_row()
    with_a_page = _count_queries(client, url)

    assert with_a_page == with_two
    assert len(client.get(url).json()["results"]) == 20


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
@pytest.mark.parametrize("who", ["anonymous", "official"])
def test_everyone_else_is_sent_to_log_in(client, model, who):
    if who == "official":
        # An Afghan official has a login but is not staff: the admin sends them to its login.
        client.force_login(factories.UserFactory(username="azizi"))
        login_urls = (reverse("admin:login"),)
    else:
        # Anonymous requests stop at LoginRequiredMiddleware, which sends them to the
        # portal's sign-in page; after it they come back to the admin page.
        login_urls = (reverse("login"), reverse("admin:login"))
    obj = MAKERS[model]()

    for url in (
        _url(model, "changelist"),
        _url(model, "add"),
        _url(model, "change", obj.pk),
        _url(model, "delete", obj.pk),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.split("?")[0] in login_urls
        assert "next=" in response.url


# Query budgets: the same count with 2 rows and with 30.


_pledge_row_numbers = itertools.count()


def _pledge_row():
    """Pledges of an agreement and pledges arising from an agenda item, in turn: each kind
    is cited differently (Pledge.reference)."""
    committee = factories.CommitteeFactory()
    party = committee.parties.first()
    if next(_pledge_row_numbers) % 2:
        origin = {
            "agreement": None,
            "agenda_item": factories.AgendaItemFactory(
                meeting=factories.MeetingFactory(committee=committee)
            ),
        }
    else:
        origin = {
            "agreement": factories.AgreementFactory(
                committee=committee, reference=f"AF-KZ/{party.pk}"
            )
        }
    pledge = factories.PledgeFactory(
        **origin,
        committee=committee,
        responsible_party=party,
        lead_organization=factories.OrganizationFactory(party=party),
        focal_point=factories.MemberFactory(committee=committee, party=party),
    )
    factories.PledgeUpdateFactory(pledge=pledge)
    return pledge


def _meeting_row():
    committee = factories.CommitteeFactory()
    meeting = factories.MeetingFactory(committee=committee, host_party=committee.parties.first())
    factories.AgendaItemFactory(meeting=meeting)
    factories.AttendanceFactory(meeting=meeting)
    factories.MinutesFactory(meeting=meeting)
    return meeting


def _agenda_item_row():
    """An item with its presenter and sector, which the list shows: the factory's items have
    neither, and a list of empty relations costs no query to read, selected or not."""
    meeting = factories.MeetingFactory()
    return factories.AgendaItemFactory(
        meeting=meeting,
        presenter=factories.MemberFactory(committee=meeting.committee),
        sector=factories.SectorFactory(),
    )


def _member_row():
    committee = factories.CommitteeFactory()
    party = committee.parties.first()
    return factories.MemberFactory(
        committee=committee,
        party=party,
        organization=factories.OrganizationFactory(party=party),
        user=factories.UserFactory(),
    )


def _pledge_update_row():
    pledge = _pledge_row()
    return factories.PledgeUpdateFactory(pledge=pledge, author_party=pledge.responsible_party)


def _agreement_row():
    agreement = factories.AgreementFactory(reference="AF-KZ/2026/1")
    factories.PledgeFactory.create_batch(2, agreement=agreement)
    return agreement


def _pledge_review_row():
    return factories.PledgeReviewFactory(pledge=_pledge_row())


def _minutes_row():
    return factories.MinutesFactory(
        status=Minutes.Status.APPROVED,
        approved_at=timezone.now(),
        approved_by=factories.UserFactory(),
    )


ROWS = {
    Minutes: _minutes_row,
    PledgeReview: _pledge_review_row,
    Pledge: _pledge_row,
    Meeting: _meeting_row,
    AgendaItem: _agenda_item_row,
    Member: _member_row,
    PledgeUpdate: _pledge_update_row,
    Agreement: _agreement_row,
}


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_changelist_queries_do_not_grow_with_rows(client, secretariat, model):
    make_row = ROWS.get(model, MAKERS[model])
    url = _url(model, "changelist")
    for _ in range(2):
        make_row()
    with_two = _count_queries(client, url)

    for _ in range(28):
        make_row()
    with_thirty = _count_queries(client, url)

    assert with_thirty == with_two
    assert client.get(url).context["cl"].result_count >= 30


def _meeting_with(rows):
    meeting = factories.MeetingFactory()
    factories.MinutesFactory(meeting=meeting)
    sector = factories.SectorFactory()
    for position in range(1, rows + 1):
        member = factories.MemberFactory(committee=meeting.committee)
        factories.AttendanceFactory(meeting=meeting, member=member)
        factories.AgendaItemFactory(
            meeting=meeting, position=position, presenter=member, sector=sector
        )
    return meeting


def _agreement_with(rows):
    agreement = factories.AgreementFactory(reference="AF-KZ/2026/2")
    party = agreement.committee.parties.first()
    for number in range(1, rows + 1):
        factories.PledgeFactory(
            agreement=agreement,
            number=number,
            responsible_party=party,
            lead_organization=factories.OrganizationFactory(party=party),
        )
    return agreement


def _pledge_with(rows):
    pledge = factories.PledgeFactory()
    party = pledge.committee.parties.first()
    for _ in range(rows):
        factories.PledgeUpdateFactory(pledge=pledge, author_party=party)
    return pledge


def _party_with(rows):
    party = factories.PartyFactory()
    factories.OrganizationFactory.create_batch(rows, party=party)
    return party


def _user_with(rows):
    """Memberships, and enrolment links each issued by someone else (each retires the one
    before): both inlines of the page grow."""
    user = factories.UserFactory(is_staff=True)
    for _ in range(rows):
        factories.MemberFactory(user=user)
        enrolment.issue_link(user, issued_by=factories.UserFactory(is_staff=True))
    return user


def _enrolment_link_with(rows):
    """A link opened by as many others, each refused."""
    link = _enrolment_link()
    for _ in range(rows):
        EnrolmentLinkEvent.objects.create(
            kind="refused",
            link=link,
            account=link.user,
            actor=factories.UserFactory(),
            reason="other_account",
        )
    return link


def _minutes_with(rows):
    minutes = factories.MinutesFactory()
    factories.MinutesReopeningFactory.create_batch(rows, minutes=minutes)
    return minutes


@pytest.mark.parametrize(
    "make",
    [
        _meeting_with,
        _agreement_with,
        _pledge_with,
        _party_with,
        _minutes_with,
        _user_with,
        _enrolment_link_with,
    ],
    ids=lambda make: make.__name__,
)
def test_change_page_queries_do_not_grow_with_inline_rows(client, secretariat, make):
    small, large = make(2), make(30)

    with_two = _count_queries(client, _url(type(small), "change", small.pk))
    with_thirty = _count_queries(client, _url(type(large), "change", large.pk))

    assert with_thirty == with_two


# A database constraint comes back as a form error, never as a server error.


def _meeting_data(meeting, **changes):
    # The form shows and reads times in the venue's time zone.
    starts_on, starts_time = _split(meeting.starts_at, meeting.zone)
    ends_on, ends_time = _split(meeting.ends_at, meeting.zone)
    return {
        "committee": meeting.committee_id,
        "number": meeting.number,
        "title_en": meeting.title,
        "status": meeting.status,
        "format": meeting.format,
        "starts_at_0": starts_on,
        "starts_at_1": starts_time,
        "ends_at_0": ends_on,
        "ends_at_1": ends_time,
        "time_zone": meeting.time_zone,
        "venue_en": meeting.venue,
        "city_en": meeting.city,
        "host_party": "",
        # The version the change page showed (a new meeting's form sends one too, unused).
        "version": meeting.version,
        **_management("agenda_items"),
        **_management("attendances"),
        **_management("minutes"),
        **changes,
    }


def _agenda_rows(meeting, positions, initial=0):
    data = _management("agenda_items", total=len(positions), initial=initial)
    for index, position in enumerate(positions):
        prefix = f"agenda_items-{index}-"
        data |= {
            f"{prefix}id": "",
            f"{prefix}meeting": meeting.pk,
            f"{prefix}position": position,
            f"{prefix}presenter": "",
            f"{prefix}sector": "",
            f"{prefix}outcome": AgendaItem.Outcome.PENDING,
            **_in_every_language("title", f"Item {index}", prefix=prefix),
        }
    return data


def test_meeting_ending_before_it_starts_is_a_form_error(client, secretariat):
    committee = factories.CommitteeFactory()
    starts_on, _ = _split(timezone.now())
    data = _meeting_data(
        factories.MeetingFactory.build(committee=committee),
        starts_at_0=starts_on,
        starts_at_1="14:00:00",
        ends_at_0=starts_on,
        ends_at_1="09:00:00",
    )

    response = client.post(_url(Meeting, "add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert _constraint_message(Meeting, "meeting_ends_after_start") in response.text
    assert not Meeting.objects.exists()


def test_meeting_times_are_read_and_shown_in_the_venue_time_zone(client, secretariat):
    committee = factories.CommitteeFactory()
    data = _meeting_data(
        factories.MeetingFactory.build(committee=committee),
        time_zone="Asia/Kabul",
        starts_at_0="2026-06-10",
        starts_at_1="10:00:00",
        ends_at_0="2026-06-10",
        ends_at_1="17:30:00",
    )

    response = client.post(_url(Meeting, "add"), data)

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    kabul = zoneinfo.ZoneInfo("Asia/Kabul")
    assert meeting.starts_at == datetime.datetime(2026, 6, 10, 10, 0, tzinfo=kabul)
    assert meeting.starts_at == datetime.datetime(2026, 6, 10, 5, 30, tzinfo=datetime.UTC)
    page = client.get(_url(Meeting, "change", meeting.pk)).text
    assert 'name="starts_at_1" value="10:00:00"' in page


def test_two_agenda_items_with_one_number_is_a_formset_error(client, secretariat):
    meeting = factories.MeetingFactory()
    data = _meeting_data(meeting) | _agenda_rows(meeting, [1, 1])

    response = client.post(_url(Meeting, "change", meeting.pk), data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for position." in response.text
    assert not meeting.agenda_items.exists()


def test_agenda_item_taking_an_existing_number_is_a_form_error(client, secretariat):
    meeting = factories.MeetingFactory()
    existing = factories.AgendaItemFactory(meeting=meeting, position=1)
    data = _meeting_data(meeting) | _agenda_rows(meeting, [1, 1], initial=1)
    data["agenda_items-0-id"] = existing.pk
    data["agenda_items-0-version"] = existing.version
    data["agenda_items-0-position"] = 1
    data["agenda_items-1-position"] = 1

    response = client.post(_url(Meeting, "change", meeting.pk), data)

    assert response.status_code == 200
    assert _constraint_message(AgendaItem, "agenda_position_unique_per_meeting") in response.text
    assert meeting.agenda_items.count() == 1


def _agenda_item_data(item, **changes):
    return {
        "meeting": item.meeting_id,
        "position": item.position,
        "kind": item.kind,
        **_in_every_language("title", item.title_en),
        **_in_every_language("discussion"),
        **_in_every_language("decision"),
        "presenter": "",
        "sector": "",
        "outcome": item.outcome,
        "version": item.version,
        **changes,
    }


def test_an_agenda_item_is_made_the_next_session_but_not_a_review(client, secretariat):
    item = factories.AgendaItemFactory(title_en="Date and place of the next session")
    url = _url(AgendaItem, "change", item.pk)
    page = client.get(url).text
    assert 'value="next_session"' in page
    assert 'value="other_business"' in page
    assert 'value="implementation_review"' not in page

    response = client.post(url, _agenda_item_data(item, kind="implementation_review"))
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.kind == AgendaItem.Kind.REGULAR

    assert client.post(url, _agenda_item_data(item, kind="next_session")).status_code == 302
    item.refresh_from_db()
    assert item.kind == AgendaItem.Kind.NEXT_SESSION


def test_a_review_of_implementation_stays_one(client, secretariat):
    item = factories.AgendaItemFactory(kind=AgendaItem.Kind.IMPLEMENTATION_REVIEW)
    url = _url(AgendaItem, "change", item.pk)

    assert client.post(url, _agenda_item_data(item, kind="regular")).status_code == 302

    item.refresh_from_db()
    assert item.kind == AgendaItem.Kind.IMPLEMENTATION_REVIEW


def test_one_member_attending_twice_is_a_formset_error(client, secretariat):
    meeting = factories.MeetingFactory()
    member = factories.MemberFactory(committee=meeting.committee)
    data = _meeting_data(meeting) | _management("attendances", total=2)
    for index in range(2):
        prefix = f"attendances-{index}-"
        data |= {
            f"{prefix}id": "",
            f"{prefix}meeting": meeting.pk,
            f"{prefix}member": member.pk,
            f"{prefix}status": Attendance.Status.PRESENT,
            f"{prefix}note": "",
        }

    response = client.post(_url(Meeting, "change", meeting.pk), data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for member." in response.text
    assert not meeting.attendances.exists()


def test_attendance_recorded_again_is_a_form_error(client, secretariat):
    existing = factories.AttendanceFactory()
    data = {
        "meeting": existing.meeting_id,
        "member": existing.member_id,
        "status": Attendance.Status.REMOTE,
        "note": "",
    }

    response = client.post(_url(Attendance, "add"), data)

    assert response.status_code == 200
    assert (
        _constraint_message(Attendance, "attendance_once_per_member_and_meeting") in response.text
    )
    assert Attendance.objects.count() == 1


def _pledge_data(pledge, **changes):
    return {
        "committee": pledge.committee_id,
        "agreement": pledge.agreement_id or "",
        "agenda_item": pledge.agenda_item_id or "",
        "number": pledge.number,
        **_in_every_language("title", pledge.title),
        **_in_every_language("description"),
        "responsible_party": pledge.responsible_party_id or "",
        "lead_organization": "",
        "counterpart_organization": "",
        "focal_point": "",
        "counterpart_focal_point": "",
        "sector": pledge.sector_id,
        "due_on": pledge.due_on.isoformat(),
        "status": pledge.status,
        "progress": pledge.progress,
        "indicator": "",
        "indicator_unit": "",
        "baseline_value": "",
        "baseline_year": "",
        "target_value": "",
        "target_on": "",
        "version": pledge.version,  # as the change page shows it
        **_management("updates", total=0, initial=pledge.updates.count()),
        **changes,
    }


def test_pledge_progress_above_100_is_a_form_error(client, secretariat):
    pledge = factories.PledgeFactory(progress=20)

    response = client.post(_url(Pledge, "change", pledge.pk), _pledge_data(pledge, progress=150))

    assert response.status_code == 200
    assert "progress" in response.context["adminform"].form.errors
    assert "less than or equal to 100" in response.text
    pledge.refresh_from_db()
    assert pledge.progress == 20


def test_pledge_taking_a_number_of_its_agreement_is_a_form_error(client, secretariat):
    first = factories.PledgeFactory(number=1)
    second = factories.PledgeFactory(agreement=first.agreement, number=2)

    response = client.post(_url(Pledge, "change", second.pk), _pledge_data(second, number=1))

    assert response.status_code == 200
    assert _constraint_message(Pledge, "pledge_number_unique_per_agreement") in response.text
    second.refresh_from_db()
    assert second.number == 2


def test_pledge_taking_a_number_of_its_agenda_item_is_a_form_error(client, secretariat):
    # The uniqueness per agenda item is conditional (only without an agreement): the form
    # checks it against the database as well.
    item = factories.AgendaItemFactory()
    first = factories.PledgeFactory(
        agreement=None, agenda_item=item, committee=item.meeting.committee, number=1
    )
    data = _pledge_data(first, number=1)

    response = client.post(_url(Pledge, "add"), data)

    assert response.status_code == 200
    assert _constraint_message(Pledge, "pledge_number_unique_per_agenda_item") in response.text
    assert Pledge.objects.count() == 1


def _agreement_data(agreement, **changes):
    return {
        "committee": agreement.committee_id,
        "kind": agreement.kind,
        "reference": agreement.reference,
        **_in_every_language("title", agreement.title),
        **_in_every_language("summary"),
        "meeting": "",
        "signed_on": agreement.signed_on.isoformat(),
        "signed_at": "",
        "entry_into_force_on": "",
        "expires_on": "",
        "authentic_languages": ["en", "ru"],
        **_management("pledges", initial=agreement.pledges.count()),
        **changes,
    }


def _pledge_rows(agreement, numbers, progress=0):
    sector = factories.SectorFactory()
    data = _management("pledges", total=len(numbers))
    for index, number in enumerate(numbers):
        prefix = f"pledges-{index}-"
        data |= {
            f"{prefix}id": "",
            f"{prefix}agreement": agreement.pk,
            f"{prefix}number": number,
            **_in_every_language("title", f"Pledge {index}", prefix=prefix),
            f"{prefix}responsible_party": "",
            f"{prefix}sector": sector.pk,
            f"{prefix}due_on": "",
            f"{prefix}status": Pledge.Status.NOT_STARTED,
            f"{prefix}progress": progress,
        }
    return data


def test_two_pledges_with_one_number_in_an_agreement_is_a_formset_error(client, secretariat):
    agreement = factories.AgreementFactory()
    data = _agreement_data(agreement) | _pledge_rows(agreement, [3, 3])

    response = client.post(_url(Agreement, "change", agreement.pk), data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for number." in response.text
    assert not agreement.pledges.exists()


def test_pledge_progress_above_100_in_the_agreement_is_a_form_error(client, secretariat):
    agreement = factories.AgreementFactory()
    data = _agreement_data(agreement) | _pledge_rows(agreement, [1], progress=150)

    response = client.post(_url(Agreement, "change", agreement.pk), data)

    assert response.status_code == 200
    assert "less than or equal to 100" in response.text
    assert not agreement.pledges.exists()


def test_pledges_added_in_an_agreement_belong_to_its_committee(client, secretariat):
    agreement = factories.AgreementFactory()
    data = _agreement_data(agreement) | _pledge_rows(agreement, [1, 2])

    response = client.post(_url(Agreement, "change", agreement.pk), data)

    assert response.status_code == 302
    assert list(agreement.pledges.values_list("number", "committee")) == [
        (1, agreement.committee_id),
        (2, agreement.committee_id),
    ]


# Pledge updates are append-only: staff add them under their own name, nobody edits them.


def test_staff_add_a_pledge_update_under_their_own_name(client, secretariat):
    pledge = factories.PledgeFactory()
    someone_else = factories.UserFactory(username="torebayev")
    data = {
        "pledge": pledge.pk,
        "author": someone_else.pk,  # not a field of the form: ignored
        "status": Pledge.Status.AT_RISK,
        "progress": 40,
        "indicator_value": "",
        "period_start": "",
        "period_end": "",
        "note": "Customs clearance is slower than planned.",
    }

    response = client.post(_url(PledgeUpdate, "add"), data)

    assert response.status_code == 302
    update = PledgeUpdate.objects.get()
    assert update.author == secretariat
    assert update.note == "Customs clearance is slower than planned."
    pledge.refresh_from_db()
    assert (pledge.status, pledge.progress) == (Pledge.Status.AT_RISK, 40)


def test_pledge_update_progress_above_100_is_a_form_error(client, secretariat):
    pledge = factories.PledgeFactory()
    data = {"pledge": pledge.pk, "status": Pledge.Status.IN_PROGRESS, "progress": 150}

    response = client.post(_url(PledgeUpdate, "add"), data)

    assert response.status_code == 200
    assert "less than or equal to 100" in response.text
    assert not PledgeUpdate.objects.exists()


def test_staff_can_read_but_not_change_or_delete_a_pledge_update(client, secretariat):
    update = factories.PledgeUpdateFactory(note="As reported.")
    change_url = _url(PledgeUpdate, "change", update.pk)

    response = client.get(change_url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert response.context["has_delete_permission"] is False

    response = client.post(change_url, {"note": "Rewritten.", "progress": 90})
    assert response.status_code == 403
    assert client.get(_url(PledgeUpdate, "delete", update.pk)).status_code == 403
    assert client.post(_url(PledgeUpdate, "delete", update.pk), {"post": "yes"}).status_code == 403
    changelist = client.get(_url(PledgeUpdate, "changelist"))
    assert "delete_selected" not in changelist.text

    update.refresh_from_db()
    assert (update.note, update.progress) == ("As reported.", 10)


def test_pledge_page_lists_updates_read_only(client, secretariat):
    update = factories.PledgeUpdateFactory(note="Site visit done.")

    response = client.get(_url(Pledge, "change", update.pledge_id))

    inline = next(
        formset
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.model is PledgeUpdate
    )
    assert not inline.has_add_permission
    assert not inline.has_change_permission
    assert not inline.has_delete_permission
    assert "Site visit done." in response.text


def test_the_pledge_list_packs_reference_title_committee_and_sector_in_one_column(
    client, secretariat
):
    title = (
        "Allocate space at Khorgos port for Afghan goods, with warehouses, customs posts "
        "and rail sidings"
    )
    pledge = factories.PledgeFactory(title=title, progress=35, due_on=datetime.date(2026, 11, 24))
    factories.PledgeUpdateFactory(pledge=pledge)

    page = client.get(_url(Pledge, "changelist")).text

    cell = re.search(r'<th class="field-pledge_display">(.*?)</th>', page, re.S).group(1)
    assert f'<bdi class="pledge-ref">{pledge.reference}</bdi>' in cell
    # The start of the title, cut between words; the whole of it on hovering.
    assert ">Allocate space at Khorgos port for Afghan goods, with warehouses…<" in cell
    assert f'title="{title}"' in cell
    assert f"<bdi>{pledge.committee.short_name}</bdi> · {pledge.sector.name}" in cell
    # One column fewer per fact folded in; short dates; progress as a percentage.
    assert 'class="field-title' not in page
    assert 'class="field-committee_name' not in page
    assert 'class="field-sector' not in page
    assert '<td class="field-due"><span class="date-part">24 Nov 2026</span></td>' in page
    assert '<td class="field-progress_display">35 %</td>' in page
    assert "css/admin.css" in page


# Minutes: the workflow (circulate, approve, re-open) runs through its service; approved
# minutes lock the session.


def _minutes_data(minutes, **changes):
    return {
        "next_session_en": "",
        "done_at_en": "Kabul",
        "done_on": "2026-05-20",
        "original_count": 2,
        "authentic_languages": ["fa", "kk", "ru"],
        "prevailing_language": "ru",
        "version": minutes.version,  # as the change page shows it
        **_management("circulations", initial=minutes.circulations.count()),
        **_management("comments", initial=minutes.comments.count()),
        **_management("approvals", initial=minutes.approvals.count()),
        **_management("reopenings", initial=minutes.reopenings.count()),
        **changes,
    }


def _approved_minutes(approver, **kwargs):
    return factories.MinutesFactory(
        status=Minutes.Status.APPROVED,
        approved_at=timezone.now(),
        approved_by=approver,
        pdf_sha256="a" * 64,
        **kwargs,
    )


def test_minutes_text_is_edited_but_not_their_status(client, secretariat):
    minutes = factories.MinutesFactory()

    response = client.post(
        _url(Minutes, "change", minutes.pk),
        _minutes_data(minutes, status=Minutes.Status.APPROVED, approved_by=secretariat.pk),
    )

    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.authentic_languages == ["fa", "kk", "ru"]
    assert (minutes.status, minutes.approved_by) == (Minutes.Status.DRAFT, None)


def test_approved_minutes_are_read_only(client, secretariat):
    minutes = _approved_minutes(secretariat)
    url = _url(Minutes, "change", minutes.pk)

    assert client.get(url).status_code == 200
    assert client.post(url, _minutes_data(minutes, done_at="Almaty")).status_code == 403
    assert client.post(_url(Minutes, "delete", minutes.pk), {"post": "yes"}).status_code == 403
    minutes.refresh_from_db()
    assert minutes.done_at == ""


def test_approved_minutes_lock_the_meeting_its_agenda_and_attendance(client, secretariat):
    meeting = factories.MeetingFactory()
    item = factories.AgendaItemFactory(meeting=meeting)
    attendance = factories.AttendanceFactory(meeting=meeting)
    _approved_minutes(secretariat, meeting=meeting)

    response = client.get(_url(Meeting, "change", meeting.pk))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    for inline in response.context["inline_admin_formsets"]:
        assert not inline.has_add_permission
        assert not inline.has_change_permission
        assert not inline.has_delete_permission
    data = _meeting_data(meeting, city="Almaty")
    assert client.post(_url(Meeting, "change", meeting.pk), data).status_code == 403
    assert client.post(_url(Meeting, "delete", meeting.pk), {"post": "yes"}).status_code == 403
    for row in (item, attendance):
        assert client.post(_url(type(row), "change", row.pk), {}).status_code == 403
        assert client.post(_url(type(row), "delete", row.pk), {"post": "yes"}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.city == "Kabul"


def test_reopening_approved_minutes_is_recorded_and_unlocks_them(client, secretariat):
    minutes = _approved_minutes(secretariat)

    response = client.post(
        _url(MinutesReopening, "add"), {"minutes": minutes.pk, "reason": "Wrong date."}
    )

    assert response.status_code == 302
    reopening = MinutesReopening.objects.get()
    assert (reopening.reopened_by, reopening.reason) == (secretariat, "Wrong date.")
    assert reopening.previous_pdf_sha256 == "a" * 64
    minutes.refresh_from_db()
    assert minutes.status != Minutes.Status.APPROVED
    assert client.get(_url(MinutesReopening, "change", reopening.pk)).status_code == 200
    assert client.post(_url(MinutesReopening, "change", reopening.pk), {}).status_code == 403
    delete_url = _url(MinutesReopening, "delete", reopening.pk)
    assert client.post(delete_url, {"post": "yes"}).status_code == 403


def test_draft_minutes_cannot_be_reopened(client, secretariat):
    minutes = factories.MinutesFactory()

    response = client.post(
        _url(MinutesReopening, "add"), {"minutes": minutes.pk, "reason": "Why not."}
    )

    assert response.status_code == 200
    assert "Only approved minutes can be re-opened." in response.text
    assert not MinutesReopening.objects.exists()


def test_pledge_review_taking_a_used_position_is_a_form_error(client, secretariat):
    first = factories.PledgeReviewFactory(position=1)
    second = factories.PledgeReviewFactory(agenda_item=first.agenda_item, position=2)

    response = client.post(
        _url(PledgeReview, "change", second.pk), {"position": 1, "remarks_en": "Noted."}
    )

    assert response.status_code == 200
    message = _constraint_message(PledgeReview, "pledge_review_position_unique_per_item")
    assert message in response.text
    second.refresh_from_db()
    assert (second.position, second.remarks) == (2, "")


def test_pledge_review_remarks_are_written_until_the_minutes_are_approved(client, secretariat):
    review = factories.PledgeReviewFactory(position=1)
    url = _url(PledgeReview, "change", review.pk)

    response = client.post(url, {"position": 1, "remarks_en": "The Parties noted progress."})

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.remarks == "The Parties noted progress."
    _approved_minutes(secretariat, meeting=review.agenda_item.meeting)
    assert client.post(url, {"position": 1, "remarks_en": "Changed."}).status_code == 403


def test_party_taking_a_used_country_code_is_a_form_error(client, secretariat):
    factories.PartyFactory(country_code="AF")
    data = {
        "name_en": "Islamic Emirate",
        "short_name": "IEA",
        "kind": "state",
        "country_code": "AF",
        "government_name_en": "",
        **_management("organizations"),
    }

    response = client.post(_url(Party, "add"), data)

    assert response.status_code == 200
    assert _constraint_message(Party, "party_country_code_unique") in response.text


def test_staff_revoke_a_calendar_feed_but_cannot_change_it(client, secretariat):
    token = _calendar_token()

    assert client.post(_url(CalendarToken, "change", token.pk), {}).status_code == 403
    response = client.post(_url(CalendarToken, "delete", token.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not CalendarToken.objects.exists()


def test_agreement_with_pledges_keeps_its_committee(client, secretariat):
    pledge = factories.PledgeFactory()
    agreement = pledge.agreement
    data = _agreement_data(agreement, committee=factories.CommitteeFactory().pk)

    response = client.post(_url(Agreement, "change", agreement.pk), data)

    assert response.status_code == 200
    assert "committee" in response.context["adminform"].form.errors


def test_dari_and_pashto_inputs_are_right_to_left(client, secretariat):
    item = factories.AgendaItemFactory()

    page = client.get(_url(AgendaItem, "change", item.pk)).text

    directions = {"en": "ltr", "fa": "rtl", "ps": "rtl", "ru": "ltr", "kk": "ltr"}
    for code, direction in directions.items():
        tag = re.search(rf'<input[^>]*name="title_{code}"[^>]*>', page).group()
        assert f'lang="{code}"' in tag
        assert f'dir="{direction}"' in tag


def test_meeting_inlines_offer_only_the_committee_members(client, secretariat):
    meeting = factories.MeetingFactory()
    ours = factories.MemberFactory(committee=meeting.committee, full_name="Abdul Azizi")
    factories.MemberFactory(full_name="Someone Elsewhere")

    response = client.get(_url(Meeting, "change", meeting.pk))

    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Attendance
    )
    offered = [label for value, label in formset.empty_form.fields["member"].choices if value]
    assert offered == [f"Abdul Azizi ({ours.party.short_name})"]


def test_the_admin_says_whose_it_is_and_names_every_section_for_people(client, secretariat):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["site_header"] == "Joint Committee Portal: the secretariat's records"
    names = {app["name"] for app in response.context["app_list"]}
    assert {
        "Sign-in attempts",
        "Second factor: authenticator apps",
        "Second factor: recovery codes",
        "History of changes",
        "Background tasks",
        "Documents made by the worker",
    } <= names
    # No section named after a package ("Axes", "Otp_Totp", "Pghistory", ...).
    assert not [name for name in names if "_" in name or name.lower() in ("axes", "pghistory")]


def test_the_admin_greets_staff_by_their_full_name(client, secretariat):
    secretariat.first_name, secretariat.last_name = "Committee", "Secretariat"
    secretariat.save()
    page = client.get(reverse("admin:index")).content.decode()
    assert "Welcome, <strong>Committee Secretariat</strong>." in page


@pytest.mark.parametrize("language", ["en", "ru", "fa"])
def test_a_long_lists_action_check_box_is_djangos_own(world, language):
    """ListCheckboxMixin writes the check box without Django's widget template, as Django
    writes it: the admin's script finds it by its name and class, and a screen reader reads
    its label in the reader's language."""
    pledge_admin = admin.site._registry[Pledge]
    pledge = world.kz_pledge
    with translation.override(language):
        ours = pledge_admin.action_checkbox(pledge)
        djangos = admin.ModelAdmin.action_checkbox(pledge_admin, pledge)
    assert ours == djangos
    assert 'class="action-select"' in ours
