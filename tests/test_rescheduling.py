"""A moved deadline keeps the one first agreed, says who moved it, when and why."""

import csv
import datetime
import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from committee.agreements.models import Pledge
from tests import factories
from tests.test_admin import _agreement_data, _in_every_language, _management, _pledge_data, _url

pytestmark = pytest.mark.django_db

FIRST = datetime.date(2026, 3, 1)
LATER = datetime.date(2026, 6, 30)
LATEST = datetime.date(2026, 9, 30)


def _moved(pledge, due_on, **fields):
    pledge = Pledge.objects.get(pk=pledge.pk)
    pledge.due_on = due_on
    for name, value in fields.items():
        setattr(pledge, name, value)
    pledge.save()
    return Pledge.objects.get(pk=pledge.pk)


def test_a_new_pledge_and_a_first_due_date_are_not_rescheduling():
    pledge = factories.PledgeFactory(due_on=None)
    assert not pledge.rescheduled
    pledge = _moved(pledge, FIRST)
    assert not pledge.rescheduled
    assert pledge.original_due_on is None
    assert pledge.rescheduling_note == ""


def test_a_moved_due_date_keeps_the_first_one_through_later_moves():
    pledge = factories.PledgeFactory(due_on=FIRST)
    before = timezone.now()
    pledge = _moved(pledge, LATER)
    assert pledge.rescheduled
    assert pledge.original_due_on == FIRST
    assert pledge.due_moved_at >= before

    pledge = _moved(pledge, LATEST)
    assert (pledge.due_on, pledge.original_due_on) == (LATEST, FIRST)


def test_moved_back_to_the_first_due_date_the_pledge_is_on_time_again():
    pledge = factories.PledgeFactory(due_on=FIRST)
    pledge = _moved(pledge, LATER, due_moved_reason="Extended by the second session.")
    pledge = _moved(pledge, FIRST)
    assert not pledge.rescheduled
    assert (pledge.due_moved_at, pledge.due_moved_by, pledge.due_moved_reason) == (None, None, "")


def test_saving_other_fields_does_not_reschedule():
    pledge = factories.PledgeFactory(due_on=FIRST)
    pledge.progress = 40
    pledge.due_on = LATER  # not among the fields saved
    pledge.save(update_fields=["progress"])
    assert not Pledge.objects.get(pk=pledge.pk).rescheduled

    pledge = Pledge.objects.get(pk=pledge.pk)
    pledge.due_on = LATER
    pledge.save(update_fields=["due_on"])
    assert Pledge.objects.get(pk=pledge.pk).original_due_on == FIRST


@pytest.mark.parametrize(
    "fields",
    [
        {"original_due_on": FIRST},  # no time of the move
        {"due_moved_at": datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC)},  # no original
        {"due_moved_reason": "Why not"},  # a reason for no move
        {  # "moved" to the date it had
            "original_due_on": LATER,
            "due_moved_at": datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
        },
    ],
)
def test_the_database_refuses_half_a_rescheduling(fields):
    pledge = factories.PledgeFactory(due_on=LATER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.filter(pk=pledge.pk).update(**fields)


def test_staff_moving_a_due_date_in_the_admin_are_named(client, secretariat):
    pledge = factories.PledgeFactory(due_on=FIRST)
    response = client.post(
        _url(Pledge, "change", pledge.pk),
        _pledge_data(
            pledge, due_on=LATER.isoformat(), due_moved_reason="Extended by the second session."
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    pledge.refresh_from_db()
    assert (pledge.original_due_on, pledge.due_on) == (FIRST, LATER)
    assert pledge.due_moved_by == secretariat
    assert pledge.due_moved_reason == "Extended by the second session."

    page = client.get(_url(Pledge, "change", pledge.pk)).content.decode()
    assert "Rescheduled from 1 March 2026, by" in page


def test_staff_moving_due_dates_in_the_agreement_page_are_named(client, secretariat):
    pledge = factories.PledgeFactory(due_on=FIRST)
    agreement = pledge.agreement
    prefix = "pledges-0-"
    data = _agreement_data(agreement) | {
        **_management("pledges", total=1, initial=1),
        f"{prefix}id": pledge.pk,
        f"{prefix}agreement": agreement.pk,
        f"{prefix}number": pledge.number,
        **_in_every_language("title", pledge.title, prefix),
        f"{prefix}sector": pledge.sector_id,
        f"{prefix}due_on": LATER.isoformat(),
        f"{prefix}status": pledge.status,
        f"{prefix}progress": pledge.progress,
        f"{prefix}version": pledge.version,
        f"{prefix}responsible_party": "",
    }
    response = client.post(_url(type(agreement), "change", agreement.pk), data)
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert (pledge.original_due_on, pledge.due_moved_by) == (FIRST, secretariat)


def test_a_reason_without_a_move_is_an_error_next_to_the_field(client, secretariat):
    pledge = factories.PledgeFactory(due_on=FIRST)
    response = client.post(
        _url(Pledge, "change", pledge.pk), _pledge_data(pledge, due_moved_reason="Extended.")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["due_moved_reason"] == [
        "Say why only when the due date moves away from the one first agreed."
    ]


def test_the_pledge_page_says_the_deadline_moved_who_moved_it_and_why(client, world, sign_in):
    pledge = world.joint_pledge
    pledge = _moved(
        pledge,
        pledge.due_on + datetime.timedelta(days=90),
        due_moved_by=world.staff,
        due_moved_reason="Extended by the second session.",
    )
    original = pledge.original_due_on
    sign_in(world.azizi)
    page = client.get(reverse("pledges:detail", args=[pledge.pk])).content.decode()
    assert "Rescheduled" in page
    assert (
        f"Rescheduled from {original.day} {original:%B %Y}, by <bdi>{world.staff}</bdi> on" in page
    )
    assert 'Reason: <bdi dir="auto">Extended by the second session.</bdi>' in page


def test_a_name_and_reason_typed_with_markup_print_as_typed(client, world, sign_in):
    world.staff.first_name, world.staff.last_name = "<b>Amina</b>", "Azizi"
    world.staff.save()
    _moved(
        world.joint_pledge,
        LATEST,
        due_moved_by=world.staff,
        due_moved_reason="<script>alert(1)</script>",
    )
    sign_in(world.azizi)
    page = client.get(reverse("pledges:detail", args=[world.joint_pledge.pk])).content.decode()
    assert "<bdi>&lt;b&gt;Amina&lt;/b&gt; Azizi</bdi>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_the_export_keeps_the_original_due_date(client, world, sign_in):
    pledge = _moved(world.joint_pledge, LATEST)
    sign_in(world.azizi)
    response = client.get("/pledges/export.csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    column = rows[0].index("Original due date")
    exported = {row[0]: row[column] for row in rows[1:]}
    assert exported[pledge.reference] == pledge.original_due_on.isoformat()
    assert exported[world.af_pledge.reference] == ""


def test_the_tracker_and_dashboard_mark_a_rescheduled_pledge(client, world, sign_in):
    pledge = _moved(world.af_pledge, world.af_pledge.due_on + datetime.timedelta(days=5))
    first = pledge.original_due_on
    sign_in(world.azizi)
    for url in ("/pledges/", "/"):
        page = client.get(url).content.decode()
        row = page.split(pledge.get_absolute_url(), 1)[1].split("</tr>", 1)[0]
        assert "rescheduled, first due" in row, url
        assert f"{first.day} {first:%b %Y}" in row, url
        other = page.split(world.joint_pledge.get_absolute_url(), 1)[1].split("</tr>", 1)[0]
        assert "rescheduled" not in other, url


def test_the_implementation_report_shows_the_first_due_date(client, world, sign_in):
    pledge = _moved(world.joint_pledge, LATEST)
    first = pledge.original_due_on
    sign_in(world.azizi)
    page = client.get("/reports/implementation/").content.decode()
    row = page.split(f"<bdi>{pledge.reference}</bdi>", 1)[1].split("</tr>", 1)[0]
    assert "rescheduled, first due" in row
    assert f"{first.day} {first:%b %Y}" in row
