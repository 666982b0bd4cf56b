"""No lost updates: two people edit one record, the second save is refused with what changed
meanwhile and keeps its input; a form sent without its version is refused; every write counts
the version up, bulk edits included."""

import datetime
import uuid

import pytest
from django.contrib import admin
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from committee.agreements.models import Pledge, PledgeUpdate
from committee.agreements.services import pledge_update_post
from committee.core.versioning import (
    MISSING_VERSION,
    VersionConflict,
    Versioned,
    VersionedModelForm,
)
from committee.meetings import services as meeting_services
from committee.meetings.models import AgendaItem, Meeting, Minutes
from tests import factories
from tests.browser_form import form_as_sent
from tests.test_admin import MAKERS
from tests.test_history import LANGUAGES, management_form, pledge_form, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def chiefs(db):
    """Two secretariat colleagues, each in a browser of their own, both in the admin."""
    alice = factories.UserFactory(username="alice", is_staff=True, is_superuser=True)
    bob = factories.UserFactory(username="bob", is_staff=True, is_superuser=True)
    return sign_in(Client(), alice), sign_in(Client(), bob)


def test_the_second_of_two_admin_edits_of_a_pledge_is_refused_and_keeps_its_input(chiefs, world):
    alice, bob = chiefs
    pledge = world.af_pledge
    change_url = reverse("admin:agreements_pledge_change", args=[pledge.pk])
    alice_form, bob_form = pledge_form(alice, pledge), pledge_form(bob, pledge)

    response = alice.post(change_url, {**alice_form, "status": "at_risk", "progress": 20})
    assert response.status_code == 302

    response = bob.post(change_url, {**bob_form, "progress": 75, "title_fa": "صادرات میوه"})
    assert response.status_code == 200
    form = response.context["adminform"].form
    message = " ".join(form.non_field_errors())
    assert "changed by alice" in message
    assert "Status: Not started → At risk" in message
    assert "Progress (%): 0 → 20" in message
    # Bob's input is still in the form, and nothing of it is saved.
    assert 'name="progress" value="75"' in response.text
    assert "صادرات میوه" in response.text
    pledge.refresh_from_db()
    assert (pledge.status, pledge.progress, pledge.title_fa) == ("at_risk", 20, None)

    # Having read what changed, Bob keeps Alice's status and saves his progress again.
    assert form.data["version"] == pledge.version
    response = bob.post(change_url, {**form.data.dict(), "status": "at_risk"})
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert (pledge.status, pledge.progress, pledge.title_fa) == ("at_risk", 75, "صادرات میوه")


def meeting_form(client, meeting):
    response = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    version = response.context["adminform"].form.initial["version"]
    starts = timezone.localtime(meeting.starts_at, meeting.zone)
    ends = timezone.localtime(meeting.ends_at, meeting.zone)
    return {
        "committee": meeting.committee_id,
        "number": meeting.number,
        "title_en": meeting.title,
        "status": meeting.status,
        "format": meeting.format,
        "starts_at_0": starts.date().isoformat(),
        "starts_at_1": starts.strftime("%H:%M:%S"),
        "ends_at_0": ends.date().isoformat(),
        "ends_at_1": ends.strftime("%H:%M:%S"),
        "time_zone": meeting.time_zone,
        "venue_en": meeting.venue,
        "city_en": meeting.city,
        "host_party": "",
        "version": version,
        **management_form("agenda_items"),
        **management_form("attendances"),
        **management_form("minutes"),
    }


def test_the_second_of_two_admin_edits_of_a_meeting_is_refused_and_keeps_its_input(chiefs, world):
    alice, bob = chiefs
    meeting = factories.MeetingFactory(committee=world.committee, city="Kabul")
    change_url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    alice_form, bob_form = meeting_form(alice, meeting), meeting_form(bob, meeting)

    assert alice.post(change_url, {**alice_form, "city_en": "Almaty"}).status_code == 302
    response = bob.post(change_url, {**bob_form, "venue_en": "Palace of Independence"})

    assert response.status_code == 200
    message = " ".join(response.context["adminform"].form.non_field_errors())
    assert "City [en]: Kabul → Almaty" in message
    assert 'value="Palace of Independence"' in response.text
    meeting.refresh_from_db()
    assert (meeting.city, meeting.venue) == ("Almaty", "")


def test_an_agenda_item_row_of_the_meeting_page_is_checked_too(chiefs, world):
    _alice, bob = chiefs
    item = factories.AgendaItemFactory(meeting__committee=world.committee, title_en="Trade")
    meeting = item.meeting
    change_url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = meeting_form(bob, meeting) | management_form("agenda_items", initial=1)
    row = {
        "agenda_items-0-id": item.pk,
        "agenda_items-0-meeting": meeting.pk,
        "agenda_items-0-position": item.position,
        "agenda_items-0-presenter": "",
        "agenda_items-0-sector": "",
        "agenda_items-0-outcome": "agreed",
        "agenda_items-0-version": item.version,
        **{f"agenda_items-0-title_{code}": "" for code in LANGUAGES},
        "agenda_items-0-title_en": "Trade and transit",
    }
    item.outcome = AgendaItem.Outcome.NOTED
    item.save()  # alice, on the item's own page

    response = bob.post(change_url, data | row)

    assert response.status_code == 200
    assert "Outcome: Not yet discussed → Noted" in response.text
    item.refresh_from_db()
    assert (item.outcome, item.title_en) == ("noted", "Trade")


def test_an_agenda_item_added_on_the_meeting_page_starts_at_version_1(chiefs, world):
    alice, _bob = chiefs
    meeting = factories.MeetingFactory(committee=world.committee)
    data = meeting_form(alice, meeting) | management_form("agenda_items", initial=0)
    row = {
        "agenda_items-TOTAL_FORMS": "1",
        "agenda_items-0-id": "",
        "agenda_items-0-meeting": meeting.pk,
        "agenda_items-0-position": "1",
        "agenda_items-0-presenter": "",
        "agenda_items-0-sector": "",
        "agenda_items-0-outcome": "pending",
        "agenda_items-0-version": "",  # as the "Add another" row posts it
        **{f"agenda_items-0-title_{code}": "" for code in LANGUAGES},
        "agenda_items-0-title_en": "Any other business",
    }

    response = alice.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), data | row)

    assert response.status_code == 302
    assert meeting.agenda_items.get().version == 1


# The check cannot be skipped: every form of a versioned record, in the admin and in the
# portal, refuses a change sent without the version it started from (or with one the record
# never had), and saves nothing.

VERSIONED_ADMINS = [
    model_admin
    for model, model_admin in admin.site._registry.items()
    if issubclass(model, Versioned)
]
VERSIONED_INLINES = [
    (model_admin, inline)
    for model_admin in admin.site._registry.values()
    for inline in model_admin.inlines
    if issubclass(inline.model, Versioned)
]
# Not a version a form of the portal can have shown: none, empty, not a whole number, below
# 1, beyond the column, and (as "next") one above the record's own.
BAD_VERSIONS = [None, "", "abc", "1.0", "0", "-1", "٢", "2147483648", "next"]


def _label(model_admin):
    return model_admin.model._meta.label


def _version_now(obj):
    return type(obj)._base_manager.values_list("version", flat=True).get(pk=obj.pk)


def _change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def _admin_form(client, obj):
    """The record's change form, as the browser sends it."""
    page = client.get(_change_url(obj))
    assert page.status_code == 200
    return form_as_sent(page.text, f"{obj._meta.model_name}_form")


def _with_version(data, name, sent, obj):
    data = dict(data)
    if sent is None:
        del data[name]
    else:
        data[name] = str(_version_now(obj) + 1) if sent == "next" else sent
    return data


def test_every_admin_form_of_a_versioned_record_checks_the_version():
    assert {type(model_admin).__name__ for model_admin in VERSIONED_ADMINS} >= {
        "PledgeAdmin",
        "MeetingAdmin",
        "AgendaItemAdmin",
        "MinutesAdmin",
    }
    for model_admin in VERSIONED_ADMINS:
        assert issubclass(model_admin.form, VersionedModelForm), model_admin
    for model_admin, inline in VERSIONED_INLINES:
        assert issubclass(inline.form, VersionedModelForm), (model_admin, inline)


@pytest.mark.parametrize("model_admin", VERSIONED_ADMINS, ids=_label)
def test_an_admin_form_sent_as_shown_saves(client, secretariat, model_admin):
    obj = MAKERS[model_admin.model]()
    data = _admin_form(client, obj)
    assert data["version"] == [str(obj.version)]

    response = client.post(_change_url(obj), data)

    assert response.status_code == 302
    assert _version_now(obj) == obj.version + 1


@pytest.mark.parametrize("sent", BAD_VERSIONS)
@pytest.mark.parametrize("model_admin", VERSIONED_ADMINS, ids=_label)
def test_an_admin_form_without_its_version_is_refused(client, secretariat, model_admin, sent):
    obj = MAKERS[model_admin.model]()
    data = _with_version(_admin_form(client, obj), "version", sent, obj)

    response = client.post(_change_url(obj), data)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.non_field_errors()) == [str(MISSING_VERSION)]
    assert escape(str(MISSING_VERSION)) in response.text
    assert _version_now(obj) == obj.version  # nothing saved


@pytest.mark.parametrize("sent", [None, "abc", "next"])
@pytest.mark.parametrize(
    ("model_admin", "inline"),
    VERSIONED_INLINES,
    ids=lambda item: item.__name__ if isinstance(item, type) else _label(item),
)
def test_an_inline_row_without_its_version_is_refused(
    client, secretariat, model_admin, inline, sent
):
    row = MAKERS[inline.model]()
    fk = next(
        field
        for field in inline.model._meta.fields
        if field.is_relation and field.related_model is model_admin.model
    )
    parent = getattr(row, fk.name)
    prefix = fk.remote_field.get_accessor_name(model=inline.model).replace("+", "")
    data = _admin_form(client, parent)
    assert data[f"{prefix}-0-id"] == [str(row.pk)]
    assert data[f"{prefix}-0-version"] == [str(row.version)]
    data = _with_version(data, f"{prefix}-0-version", sent, row)

    response = client.post(_change_url(parent), data)

    assert response.status_code == 200
    assert escape(str(MISSING_VERSION)) in response.text
    assert _version_now(row) == row.version
    if isinstance(parent, Versioned):
        assert _version_now(parent) == parent.version


@pytest.mark.parametrize("sent", BAD_VERSIONS)
def test_a_portal_update_without_the_version_seen_is_refused(client, world, sent):
    pledge = world.af_pledge
    data = _with_version(form_data(1), "pledge_version", sent, pledge)
    sign_in(client, world.azizi)

    response = client.post(pledge.get_absolute_url(), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not PledgeUpdate.objects.filter(pledge=pledge).exists()
    assert _version_now(pledge) == pledge.version


# Every write counts the version up: saves, services, bulk edits.


def test_each_save_and_each_bulk_update_counts_the_version_up(world):
    pledge = world.af_pledge
    assert pledge.version == 1
    pledge.progress = 10
    pledge.save()
    assert pledge.version == 2  # read back from the database
    pledge.save(update_fields=["progress"])
    assert pledge.version == 3
    Pledge.objects.filter(pk=pledge.pk).update(status="at_risk")
    assert Pledge.objects.get(pk=pledge.pk).version == 4


def test_saving_a_stale_instance_is_refused_and_changes_nothing(world):
    pledge = world.af_pledge
    stale = Pledge.objects.get(pk=pledge.pk)
    pledge.progress = 40
    pledge.save()
    events_before = Pledge.pgh_event_model.objects.filter(pgh_obj_id=pledge.pk).count()

    stale.progress = 90
    with pytest.raises(VersionConflict, match="changed by someone else"), transaction.atomic():
        stale.save()

    assert stale.version == 1
    fresh = Pledge.objects.get(pk=pledge.pk)
    assert (fresh.progress, fresh.version) == (40, 2)
    assert Pledge.pgh_event_model.objects.filter(pgh_obj_id=pledge.pk).count() == events_before


def test_posting_an_update_counts_the_pledge_version_up(world):
    pledge_update_post(
        pledge=world.af_pledge,
        author=world.azizi,
        status="in_progress",
        progress=30,
        submission_key=uuid.uuid4(),
        pledge_version=1,
    )
    assert Pledge.objects.get(pk=world.af_pledge.pk).version == 2


def test_the_minutes_workflow_counts_the_minutes_version_up(world):
    minutes = factories.MinutesFactory(meeting__committee=world.committee)
    circulation = meeting_services.minutes_circulate(minutes=minutes, user=world.staff)
    assert circulation.minutes.version == 2
    assert Minutes.objects.get(pk=minutes.pk).version == 2


def test_an_approved_session_stays_locked_whatever_the_version(world):
    # The lock of approved minutes fires before the version trigger: it still refuses.
    meeting = factories.MeetingFactory(committee=world.committee)
    factories.MinutesFactory(
        meeting=meeting,
        status=Minutes.Status.APPROVED,
        approved_at=timezone.now(),
        approved_by=world.staff,
    )
    meeting.city = "Almaty"
    with pytest.raises(IntegrityError, match="approved"), transaction.atomic():
        meeting.save()
    assert Meeting.objects.get(pk=meeting.pk).version == 1


# The portal's update form: an update written against an older state is not posted.


def form_data(pledge_version, **overrides):
    return {
        "status": "in_progress",
        "progress": "35",
        "note": "Lists of exporters sent.",
        "submission_key": str(uuid.uuid4()),
        "pledge_version": pledge_version,
        **overrides,
    }


def test_an_update_posted_after_another_one_is_refused_and_keeps_its_input(client, world):
    pledge = world.af_pledge
    page = sign_in(client, world.azizi).get(pledge.get_absolute_url())
    assert 'name="pledge_version" value="1"' in page.text
    colleague = sign_in(Client(), world.staff)
    colleague.post(pledge.get_absolute_url(), form_data(1, status="at_risk", progress="20"))

    response = client.post(pledge.get_absolute_url(), form_data(1, note="Exporters listed."))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Status: Not started → At risk" in text
    assert "Exporters listed." in text  # the note is kept
    assert 'name="pledge_version" value="2"' in text
    assert PledgeUpdate.objects.filter(pledge=pledge).count() == 1
    pledge.refresh_from_db()
    assert (pledge.status, pledge.progress) == ("at_risk", 20)

    # Posting again after reading goes through.
    again = {**response.context["form"].data}
    response = client.post(pledge.get_absolute_url(), again)
    assert response.status_code == 302
    assert PledgeUpdate.objects.filter(pledge=pledge).count() == 2


def test_a_double_submit_is_still_one_update_not_a_conflict(client, world):
    sign_in(client, world.azizi)
    data = form_data(1)
    client.post(world.af_pledge.get_absolute_url(), data)

    response = client.post(world.af_pledge.get_absolute_url(), data, follow=True)

    assert "This update had already been recorded." in response.content.decode()
    assert PledgeUpdate.objects.filter(pledge=world.af_pledge).count() == 1


def test_a_version_from_the_future_is_refused_as_well(world):
    # Nobody can announce a version the row does not have: only the current one is written.
    meeting = factories.MeetingFactory(committee=world.committee)
    meeting.version = 7
    meeting.ends_at += datetime.timedelta(hours=1)
    with pytest.raises(VersionConflict), transaction.atomic():
        meeting.save()
