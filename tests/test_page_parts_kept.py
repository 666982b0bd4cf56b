"""Rendered page parts kept between requests (committee/core/freshness.py): served again only
while nothing they show has changed, to the same reader, in the same language.

Transactional: the data version moves on at commit, as in production, and nothing is kept
inside a transaction (the other tests' pages all run inside one, and keep nothing).
"""

import datetime
import re

import pgtrigger
import pytest
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committee.agreements.models import Agreement, Pledge, PledgeUpdate
from committee.core import freshness
from committee.meetings.models import AgendaItem, Meeting, Sector
from committee.members.models import Committee, Member, Organization, Party, User
from tests import factories
from tests.conftest import World, force_login

pytestmark = pytest.mark.django_db(transaction=True)

TRACKER = "/pledges/"
DASHBOARD = "/"


@pytest.fixture
def world(transactional_db):
    return World()


def get(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def without_secrets(page: str) -> str:
    """The page without what differs at every request: the CSRF token, the script nonce, the
    update form's key against double submission."""
    page = re.sub(r'name="(csrfmiddlewaretoken|submission_key)" value="[^"]*"', "", page)
    return re.sub(r'nonce="[^"]*"', "", page)


def pledge_url(pledge) -> str:
    return f"/pledges/{pledge.pk}/"


@pytest.mark.parametrize("url", [TRACKER, DASHBOARD, "pledge"])
def test_a_page_read_again_unchanged_is_served_from_its_kept_parts(client, world, url):
    url = pledge_url(world.joint_pledge) if url == "pledge" else url
    force_login(client, world.azizi)
    first, made = get(client, url)
    again, kept = get(client, url)
    assert without_secrets(again) == without_secrets(first)
    assert kept < made <= 12


def test_nothing_is_kept_inside_a_transaction(world):
    world.af_pledge.save()  # a change committed: the version exists
    assert freshness.data_version() is not None
    with transaction.atomic():
        assert freshness.data_version() is None


def test_a_change_moves_the_version_on_at_commit_once(world):
    before = freshness.data_version()
    with transaction.atomic():
        Pledge.objects.update(progress=F("progress"))
        Sector.objects.update(name=F("name"))
        assert freshness.data_version() is None  # (inside: not read)
        with connection.cursor() as cursor:
            cursor.execute("SELECT value FROM core_dataversion")
            (inside,) = cursor.fetchone()
    after = freshness.data_version()
    epoch, value = after.split(".")
    assert before.split(".") == [epoch, str(inside)]
    assert int(value) == inside + 1


WATCHED = [
    Pledge,
    PledgeUpdate,
    Agreement,
    AgendaItem,
    Meeting,
    Sector,
    Committee,
    Party,
    Organization,
    Member,
]


def test_the_watched_tables_are_those_with_the_trigger():
    """A model that gets data_changed() is checked below; one listed here has it."""
    with_trigger = {
        model for model, trigger in pgtrigger.registered() if trigger.name == "data_changed"
    }
    assert with_trigger == {*WATCHED, User}


@pytest.mark.parametrize("model", WATCHED, ids=lambda model: model.__name__)
def test_a_change_of_any_record_kept_parts_show_moves_the_version_on(world, model):
    factories.AgendaItemFactory()  # every watched table has a row
    factories.PledgeUpdateFactory(pledge=world.af_pledge, author=world.azizi)
    factories.OrganizationFactory(party=world.af)
    before = freshness.data_version()
    # A bulk update, as the admin's actions and data fixes write: no signal is sent.
    assert model.objects.filter(pk=model.objects.first().pk).update(id=F("id")) == 1
    assert freshness.data_version() != before


def test_a_login_moves_the_version_on_by_its_name_not_by_signing_in(client, world):
    before = freshness.data_version()
    force_login(client, world.azizi)  # writes last_login
    assert freshness.data_version() == before
    User.objects.filter(pk=world.azizi.pk).update(last_name="Azizy")
    assert freshness.data_version() != before


def test_the_committees_parties_move_the_version_on(world):
    before = freshness.data_version()
    world.other_committee.parties.add(world.af)
    assert freshness.data_version() != before


def test_a_renamed_record_shows_at_once_on_a_kept_page(client, world):
    force_login(client, world.azizi)
    page, _queries = get(client, TRACKER)
    assert "Afghan exports of dried fruit" in page
    assert "Trade" in page
    Pledge.objects.filter(pk=world.af_pledge.pk).update(title_en="Afghan exports of raisins")
    Sector.objects.filter(pk=world.sector.pk).update(name_en="Commerce")
    page, _queries = get(client, TRACKER)
    assert "Afghan exports of raisins" in page
    assert "Commerce" in page
    assert ">Trade<" not in page


def test_an_update_posted_shows_at_once_on_the_pledge_page_and_the_dashboard(client, world):
    force_login(client, world.azizi)
    before, _queries = get(client, pledge_url(world.af_pledge))
    get(client, DASHBOARD)
    assert "Trucks loaded at Hairatan" not in before
    response = client.post(
        pledge_url(world.af_pledge),
        {
            "pledge_version": str(world.af_pledge.version),
            "status": Pledge.Status.IN_PROGRESS,
            "progress": "40",
            "note": "Trucks loaded at Hairatan",
            "submission_key": "0f8a4f7e-0c1e-4f43-9d0b-3d7cbe2a1f11",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    after, _queries = get(client, pledge_url(world.af_pledge))
    assert "Trucks loaded at Hairatan" in after
    dashboard, _queries = get(client, DASHBOARD)
    assert "Trucks loaded at Hairatan" in dashboard


def test_a_kept_part_is_the_readers_own(client, world):
    force_login(client, world.azizi)
    mine, _queries = get(client, TRACKER)
    assert "Afghan exports of dried fruit" in mine
    client.logout()
    force_login(client, world.outsider)
    theirs, _queries = get(client, TRACKER)
    assert "Afghan exports of dried fruit" not in theirs
    assert "Another committee&#x27;s pledge" in theirs


def test_a_kept_part_is_in_the_language_it_was_made_in(client, world):
    force_login(client, world.azizi)
    english, _queries = get(client, TRACKER)
    assert "Focal point" in english
    client.post("/accounts/language/", {"language": "fa", "next": TRACKER})
    dari, _queries = get(client, TRACKER)
    assert "Focal point" not in dari
    assert 'lang="fa"' in dari


def test_a_renamed_organization_shows_at_once_in_a_kept_pledge_facts(client, world):
    ministry = factories.OrganizationFactory(party=world.af, name="Ministry of Commerce")
    Pledge.objects.filter(pk=world.af_pledge.pk).update(lead_organization=ministry)
    force_login(client, world.azizi)
    page, _queries = get(client, pledge_url(world.af_pledge))
    assert "Ministry of Commerce" in page
    Organization.objects.filter(pk=ministry.pk).update(name_en="Ministry of Industry")
    page, _queries = get(client, pledge_url(world.af_pledge))
    assert "Ministry of Industry" in page
    assert "Ministry of Commerce" not in page


def test_a_part_that_holds_until_a_time_is_not_kept_past_it(rf, world):
    """The dashboard's upcoming meetings leave it when they end, whatever else changes: its
    part says until when it holds (freshness.KEPT_UNTIL)."""
    world.af_pledge.save()  # a change committed: the version exists
    request = rf.get("/")
    request.user = world.azizi
    calls = []

    def context(until):
        def read():
            calls.append(until)
            return {freshness.KEPT_UNTIL: until}

        return read

    version = freshness.data_version()
    soon = timezone.now() + datetime.timedelta(hours=1)
    for _ in range(2):
        freshness.kept_part(
            request, "soon", version, "includes/_messages.html", context(soon), reader=()
        )
    past = timezone.now() - datetime.timedelta(seconds=1)
    for _ in range(2):
        freshness.kept_part(
            request, "past", version, "includes/_messages.html", context(past), reader=()
        )
    assert calls == [soon, past, past]


def test_a_meeting_that_ends_later_today_bounds_the_kept_dashboard(client, world):
    ends = timezone.now() + datetime.timedelta(hours=2)
    factories.MeetingFactory(
        committee=world.committee,
        starts_at=ends - datetime.timedelta(hours=8),
        ends_at=ends,
        status=Meeting.Status.PLANNED,
    )
    force_login(client, world.azizi)
    get(client, DASHBOARD)
    cache = caches[freshness.FRAGMENTS]
    # LocMemCache: the dashboard part's time of expiry (the page header is kept too).
    (expiry,) = [when for key, when in cache._expire_info.items() if ".dashboard." in key]
    assert abs(expiry - ends.timestamp()) < 5


def test_a_reader_who_leaves_a_committee_is_not_served_its_part_kept_before(client, world):
    """Leaving the committee moves the data version on, and the part is kept under what the
    permission rules decide by (rules.reader_key()) as well."""
    force_login(client, world.azizi)
    page, _queries = get(client, TRACKER)
    assert "Afghan exports of dried fruit" in page
    Member.objects.filter(user=world.azizi).update(is_active=False)
    page, _queries = get(client, TRACKER)
    assert "Afghan exports of dried fruit" not in page


def submission_keys(page: str) -> list[str]:
    return re.findall(r'name="submission_key" value="([^"]+)"', page)


def test_a_kept_update_form_gets_a_new_submission_key_at_every_request(client, world):
    force_login(client, world.azizi)
    first, _queries = get(client, pledge_url(world.af_pledge))
    again, _queries = get(client, pledge_url(world.af_pledge))
    assert len(submission_keys(first)) == len(submission_keys(again)) == 1
    assert submission_keys(first) != submission_keys(again)
    assert 'name="pledge_version"' in again


def test_an_update_form_sent_back_with_errors_shows_what_was_typed_not_the_kept_form(client, world):
    force_login(client, world.azizi)
    get(client, pledge_url(world.af_pledge))  # the form as it first shows, kept
    key = "5d9c0a52-3f0e-4a8e-9a57-0c6f1f4f2b11"
    response = client.post(
        pledge_url(world.af_pledge),
        {
            "pledge_version": str(world.af_pledge.version),
            "status": Pledge.Status.COMPLETED,
            "progress": "60",
            "note": "Half the trucks have crossed",
            "submission_key": key,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "A completed pledge is at 100 %." in page
    assert "Half the trucks have crossed" in page
    assert submission_keys(page) == [key]


ADMIN_PLEDGES = "/admin/agreements/pledge/"


def admin_rows(page: str) -> list[str]:
    return re.findall(r'name="_selected_action" value="(\d+)"', page)


def test_the_admin_pledge_list_read_again_unchanged_is_served_from_its_kept_rows(client, world):
    staff = factories.UserFactory(username="clerk", is_staff=True, is_superuser=True)
    force_login(client, staff)
    first, made = get(client, ADMIN_PLEDGES)
    again, kept = get(client, ADMIN_PLEDGES)
    assert without_secrets(again) == without_secrets(first)
    assert len(admin_rows(again)) == Pledge.objects.count()
    assert kept < made <= 12
    # A renamed pledge and a search show at once.
    Pledge.objects.filter(pk=world.kz_pledge.pk).update(title_en="Space at Altynkol port")
    renamed, _queries = get(client, ADMIN_PLEDGES)
    assert "Space at Altynkol port" in renamed
    searched, _queries = get(client, ADMIN_PLEDGES + "?q=Altynkol")
    assert admin_rows(searched) == [str(world.kz_pledge.pk)]


def test_the_admin_pledge_list_kept_follows_the_readers_permissions(client, world):
    clerk = factories.UserFactory(username="clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_pledge"))
    force_login(client, clerk)
    viewing, _queries = get(client, ADMIN_PLEDGES)
    assert admin_rows(viewing) == []  # no action without the right to delete
    clerk.user_permissions.add(Permission.objects.get(codename="delete_pledge"))
    deleting, _queries = get(client, ADMIN_PLEDGES)
    assert len(admin_rows(deleting)) == Pledge.objects.count()
