"""The signed-in reader kept between requests (committee/members/backends.py): read from the
database once while nothing of it changes, and read anew at the first request after any
change of the login or its memberships, so that a new password, a deactivation, a lost role
or a membership ended holds at once.

Transactional: the data version moves on at commit, as in production; inside a transaction
nothing is kept (the other tests' requests all run inside one).
"""

import importlib

import pytest
from django.apps import apps as installed_apps
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from committee.core import freshness
from committee.members.backends import KeptReaderBackend
from committee.members.models import READER_COLUMNS, Member, User
from tests import factories
from tests.conftest import World, force_login

pytestmark = pytest.mark.django_db(transaction=True)

VERIFY = "/verify/"  # the lightest signed-in page


@pytest.fixture
def world(transactional_db):
    return World()


def queries_of(client, url: str, status: int = 200) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status
    return [query["sql"] for query in queries.captured_queries]


def reads(sqls: list[str], table: str) -> int:
    return sum(f'FROM "{table}"' in sql or f"FROM {table} " in sql for sql in sqls)


def test_a_reader_is_read_once_while_nothing_of_it_changes(client, world):
    force_login(client, world.azizi)
    first = queries_of(client, VERIFY)
    again = queries_of(client, VERIFY)
    assert reads(first, "members_user") == 1
    assert reads(first, "members_member") == 1
    assert reads(again, "members_user") == 0
    assert reads(again, "members_member") == 0
    assert len(again) < len(first)


@pytest.mark.parametrize("url", [VERIFY, "/", "/pledges/"])
def test_a_request_reads_the_data_version_once(client, world, url):
    force_login(client, world.azizi)
    for _ in range(2):
        assert reads(queries_of(client, url), "core_dataversion") == 1


def test_a_signed_in_request_reads_the_data_version_with_its_session(client, world):
    force_login(client, world.azizi)
    queries_of(client, VERIFY)
    sqls = queries_of(client, VERIFY)
    assert len(sqls) == 1
    assert 'FROM "django_session"' in sqls[0]
    assert "core_dataversion" in sqls[0]


def test_a_password_changed_elsewhere_signs_the_kept_reader_out(client, world):
    force_login(client, world.azizi)
    queries_of(client, VERIFY)
    azizi = User.objects.get(pk=world.azizi.pk)  # on another device
    azizi.set_password("a-new-and-long-passphrase")
    azizi.save()
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_password_changed_here_keeps_this_session_and_ends_the_others(world):
    """As without keeping (tests/test_sign_in.py), with both readers kept first."""
    world.azizi.set_password("the-old-passphrase-2026")
    world.azizi.save()
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        force_login(client, world.azizi)
        queries_of(client, VERIFY)
        queries_of(client, VERIFY)
    response = here.post(
        "/accounts/password_change/",
        {
            "old_password": "the-old-passphrase-2026",
            "new_password1": "a-new-passphrase-for-2027",
            "new_password2": "a-new-passphrase-for-2027",
        },
    )
    assert response.status_code == 302
    assert here.get(VERIFY).status_code == 200
    assert elsewhere.get(VERIFY).status_code == 302


@pytest.mark.parametrize(
    "change",
    [{"is_active": False}, {"is_staff": False}],
    ids=["deactivated", "no-longer-secretariat"],
)
def test_a_login_changed_in_the_admin_holds_at_its_next_request(client, world, change):
    force_login(client, world.staff)
    assert client.get("/admin/").status_code == 200
    User.objects.filter(pk=world.staff.pk).update(**change)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_deleted_login_is_signed_out_at_its_next_request(client, world):
    newcomer = factories.UserFactory(username="newcomer")
    factories.MemberFactory(committee=world.committee, party=world.af, user=newcomer)
    force_login(client, newcomer)
    queries_of(client, VERIFY)
    newcomer.delete()
    response = client.get(VERIFY)
    assert response.status_code == 302


def test_a_lost_membership_holds_at_the_next_request(client, world):
    force_login(client, world.azizi)
    pledge = f"/pledges/{world.af_pledge.pk}/"
    queries_of(client, pledge)
    Member.objects.filter(user=world.azizi).update(is_active=False)
    queries_of(client, pledge, status=404)


def test_a_language_chosen_on_another_device_holds_at_the_next_request(client, world):
    force_login(client, world.azizi)
    assert 'lang="en"' in client.get(VERIFY).content.decode()
    User.objects.filter(pk=world.azizi.pk).update(language="kk")
    assert 'lang="kk"' in client.get(VERIFY).content.decode()


def test_each_request_gets_its_own_copy_of_the_kept_reader(world):
    backend = KeptReaderBackend()
    first = backend.get_user(world.azizi.pk)
    first.first_name = "Changed in one request"
    with CaptureQueriesContext(connection) as queries:
        second = backend.get_user(world.azizi.pk)
    assert second is not first
    assert second.first_name == "Nooruddin"
    # Outside a request each call reads the data version: only that.
    assert [query["sql"] for query in queries.captured_queries] == [freshness.VERSION_SQL]


def test_nothing_is_kept_without_a_data_version(world):
    """Inside a transaction (every other test's requests) the reader is read each time."""
    with transaction.atomic():
        assert freshness.data_version() is None
        with CaptureQueriesContext(connection) as queries:
            KeptReaderBackend().get_user(world.azizi.pk)
            KeptReaderBackend().get_user(world.azizi.pk)
    assert sum('FROM "members_user"' in q["sql"] for q in queries.captured_queries) == 2


def test_every_column_of_a_login_but_its_last_sign_in_moves_the_version_on():
    columns = {
        field.column
        for field in get_user_model()._meta.concrete_fields
        if field.column not in ("id", "last_login")
    }
    assert set(READER_COLUMNS) == columns


def test_a_session_signed_in_before_the_kept_reader_stays_signed_in(client, world):
    """Members' migration 0011 renames the backend that sessions signed in before it name."""
    upgrade = importlib.import_module(
        "committee.members.migrations.0011_sessions_name_kept_reader_backend"
    )
    force_login(client, world.azizi)
    store = SessionStore(client.session.session_key)
    store[BACKEND_SESSION_KEY] = upgrade.BEFORE
    store.save()
    assert client.get(VERIFY).status_code == 302  # the old name is no backend any more
    force_login(client, world.azizi)
    store = SessionStore(client.session.session_key)
    store[BACKEND_SESSION_KEY] = upgrade.BEFORE
    store.save()
    upgrade.name_the_kept_reader_backend(installed_apps, None)
    assert client.get(VERIFY).status_code == 200
    assert SessionStore(store.session_key)[BACKEND_SESSION_KEY] == upgrade.NOW
