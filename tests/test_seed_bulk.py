"""`manage.py seed_bulk`: the large data set the benchmark runs on, here at 200 pledges.

Every count follows the number of pledges; every row passes the models' rules (the database's
constraints and the rules clean() adds); the history triggers recorded each row; the seeded
logins sign in, staff with their second factor; a database that holds data is refused.
"""

import io
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Count, F, OuterRef, Subquery

from committee.accounts.totp import current_code, hex_from_base32
from committee.agreements.bulk.plan import Plan
from committee.agreements.models import Agreement, Pledge, PledgeUpdate
from committee.meetings.models import AgendaItem, Attendance, Meeting, Minutes
from committee.meetings.session_lock import LOCKED_MESSAGE
from committee.members.models import Committee, Member, User

PASSWORD = "seeded-logins-password-2026"
TOTP_KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PLEDGES = 200


def seed(pledges=PLEDGES, **options):
    out = io.StringIO()
    call_command(
        "seed_bulk", pledges=pledges, password=PASSWORD, totp_key=TOTP_KEY, stdout=out, **options
    )
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed()


def test_every_count_follows_the_number_of_pledges():
    default = Plan(10_000).counts()
    assert default == {
        "committees": 3,
        "meetings": 60,
        "agenda items": 3_000,
        "agreements": 300,
        "pledges": 10_000,
        "updates": 100_000,
        "members": 600,
    }
    double = Plan(20_000).counts()
    assert {name: double[name] / count for name, count in default.items()} == {
        **dict.fromkeys(default, 2.0),
        "committees": 1.0,
    }


def test_the_data_set_is_seeded_in_proportion(seeded):
    plan = Plan(PLEDGES)
    assert {
        "committees": Committee.objects.count(),
        "meetings": Meeting.objects.count(),
        "agenda items": AgendaItem.objects.count(),
        "agreements": Agreement.objects.count(),
        "pledges": Pledge.objects.count(),
        "updates": PledgeUpdate.objects.count(),
        "members": Member.objects.count(),
    } == plan.counts()
    assert plan.counts()["agenda items"] == 60  # 3,000 per 10,000 pledges
    assert plan.counts()["agreements"] == 6
    # A login per member, but one for the official on every committee; three secretariats.
    assert User.objects.filter(is_staff=False).count() == plan.members - 2
    assert User.objects.filter(is_staff=True).count() == 3
    assert Member.objects.filter(user__username="af-official").count() == 3
    # Each committee: sessions with approved minutes, a recent draft, a planned one.
    for committee in Committee.objects.all():
        meetings = committee.meetings.order_by("number")
        assert [m.status for m in meetings][-1] == Meeting.Status.PLANNED
        assert meetings[len(meetings) - 2].minutes.status == Minutes.Status.DRAFT
        assert meetings.first().minutes.status == Minutes.Status.APPROVED
    # Every text in all five languages.
    pledge = Pledge.objects.first()
    assert all(getattr(pledge, f"title_{code}") for code in ("en", "fa", "ps", "ru", "kk"))
    # The part timings.
    for part in ("logins and members", "pledges", "updates", "total"):
        assert re.search(rf"^{part} .* \d+\.\d\d", seeded, re.MULTILINE), part


def test_the_history_triggers_recorded_every_row(seeded):
    for model in (Member, Meeting, AgendaItem, Attendance, Agreement, Pledge, PledgeUpdate):
        events = model.pgh_event_model.objects.filter(pgh_label="insert")
        assert events.count() == model.objects.count() > 0, model.__name__


def test_every_row_passes_the_models_rules(seeded):
    """clean() and every constraint, for 40 seeded rows of each model, spread over the table:
    only the rows of sessions whose minutes are approved answer that they are locked, as they
    should."""
    for model in apps.get_models():
        if model._meta.app_label not in ("members", "meetings", "agreements"):
            continue
        if model.__name__.endswith("Event"):
            continue
        keys = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
        sample = keys[:: max(1, len(keys) // 40)]
        for row in model._base_manager.filter(pk__in=sample):
            try:
                row.full_clean()
            except ValidationError as error:
                messages = error.messages
            else:
                continue
            # Records of approved sessions are locked: their clean() says so, and only that.
            assert messages == [str(LOCKED_MESSAGE)], (model.__name__, row.pk, messages)
            assert Minutes.objects.filter(
                meeting=getattr(row, "meeting_id", None) or row.pk,
                status=Minutes.Status.APPROVED,
            ).exists()


def test_pledges_stand_as_their_last_update_says(seeded):
    last = PledgeUpdate.objects.filter(pledge=OuterRef("pk")).order_by("-created_at", "-pk")
    pledges = Pledge.objects.annotate(
        update_count=Count("updates"),
        last_status=Subquery(last.values("status")[:1]),
        last_progress=Subquery(last.values("progress")[:1]),
        last_value=Subquery(last.values("indicator_value")[:1]),
    )
    assert pledges.filter(update_count=50).exists()
    for pledge in pledges:
        if pledge.update_count:
            assert (pledge.status, pledge.progress) == (pledge.last_status, pledge.last_progress)
            assert pledge.current_value == pledge.last_value
        else:
            assert (pledge.status, pledge.progress) == (Pledge.Status.NOT_STARTED, 0)
    # Authors report for their delegation on the pledge's committee (the secretariat for none),
    # and only on their own delegation's and joint pledges.
    members = {(m.user_id, m.committee_id): m for m in Member.objects.all()}
    updates = PledgeUpdate.objects.select_related("pledge", "author")
    for update in updates.filter(author__is_staff=False):
        member = members[update.author_id, update.pledge.committee_id]
        assert update.author_party_id == member.party_id
        assert member.role != Member.Role.OBSERVER
        assert update.pledge.responsible_party_id in (None, member.party_id)
    assert not updates.filter(author__is_staff=True, author_party__isnull=False).exists()
    # Focal points and organizations are on the right side.
    assert not Pledge.objects.exclude(focal_point__party=F("lead_organization__party")).exists()
    assert not Pledge.objects.filter(
        counterpart_focal_point__party=F("focal_point__party")
    ).exists()


def test_the_seeded_logins_sign_in(seeded, client):
    response = client.post("/accounts/login/", {"username": "af-official", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200

    client.logout()
    response = client.post(
        "/accounts/login/", {"username": "secretariat-1", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    code = current_code(hex_from_base32(TOTP_KEY))
    response = client.post("/accounts/verify/", {"code": code, "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/agreements/pledge/").status_code == 200


def test_a_database_with_data_is_refused_unless_asked(seeded):
    with pytest.raises(CommandError, match=r"already holds data .*--flush.*--force"):
        seed(pledges=20)
    assert Pledge.objects.count() == PLEDGES

    seed(pledges=20, force=True)
    assert Pledge.objects.count() == PLEDGES + 20
    assert User.objects.filter(username="b2-af-official").exists()
    assert Committee.objects.count() == 6

    seed(pledges=20, flush=True)
    assert Pledge.objects.count() == 20
    assert Committee.objects.count() == 3


def test_a_weak_password_is_refused_before_anything_is_written(db):
    with pytest.raises(CommandError, match=r"password .* refused"):
        call_command("seed_bulk", pledges=20, password="short", stdout=io.StringIO())
    assert not Pledge.objects.exists()
