"""The tracker's exports at a large committee's scale: streamed as they are written, the same
columns and values as before, and as many queries for two hundred pledges as for ten.
(What an export holds for each filter is tested with the tracker: test_pledge_tracker.py.)"""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.db.models import Max
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committee.agreements import exports
from committee.agreements.models import Pledge
from tests import factories
from tests.conftest import force_login

CSV = "/pledges/export.csv"
XLSX = "/pledges/export.xlsx"


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def add_pledges(world, count: int) -> None:
    """`count` more pledges of the world's agreement, each with two updates."""
    today = timezone.localdate()
    # After the highest number yet: the factories' numbers climb through the whole run.
    first = (Pledge.objects.aggregate(Max("number"))["number__max"] or 0) + 1
    pledges = Pledge.objects.bulk_create(
        Pledge(
            committee=world.committee,
            agreement=world.agreement,
            number=first + n,
            title=f"Bulk pledge {n}",
            sector=world.sector,
            responsible_party=world.af if n % 2 else None,
            due_on=today + datetime.timedelta(days=n - count // 2),
            progress=n % 101,
        )
        for n in range(count)
    )
    for pledge in pledges:
        for note in ("First report", "Second report"):
            factories.PledgeUpdateFactory(pledge=pledge, author=world.azizi, note=note)


@pytest.mark.parametrize(
    ("url", "kind"), [(CSV, StreamingHttpResponse), (XLSX, FileResponse)], ids=["csv", "xlsx"]
)
def test_an_export_is_streamed_not_held_whole(client, world, url, kind):
    client.force_login(world.azizi)
    response = client.get(url)
    assert response.status_code == 200
    assert isinstance(response, kind)
    assert response.streaming
    # The same name as ever, and never kept by a browser or a proxy (no_store_middleware
    # applies to streamed responses too).
    extension = url.rsplit(".", 1)[1]
    assert response["Content-Disposition"] == (
        f'attachment; filename="pledges-{timezone.localdate():%Y-%m-%d}.{extension}"'
    )
    assert {"no-store", "private"} <= {d.strip() for d in response["Cache-Control"].split(",")}


def test_the_csv_rows_say_what_the_pledges_say(client, world):
    factories.PledgeUpdateFactory(
        pledge=world.kz_pledge, author=world.torebayev, note="Land allotted at Khorgos."
    )
    client.force_login(world.azizi)
    rows = csv_rows(client.get(CSV).getvalue())
    assert rows[0] == exports.headings()
    by_title = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_title) == {
        world.af_pledge.title,
        world.kz_pledge.title,
        world.joint_pledge.title,
    }
    khorgos = by_title[world.kz_pledge.title]
    assert khorgos["Reference"] == world.kz_pledge.reference == f"AF-KZ/1 §{world.kz_pledge.number}"
    assert khorgos["Agreement"] == str(world.agreement)
    assert khorgos["Responsible party"] == "Kazakhstan"
    assert khorgos["Sector"] == "Trade"
    assert khorgos["Due date"] == world.kz_pledge.due_on.isoformat()
    assert khorgos["Status"] == "Not started"
    assert khorgos["Overdue"] == "yes"
    assert khorgos["Last update"] == timezone.localdate().isoformat()
    assert khorgos["Last update note"] == "Land allotted at Khorgos."
    joint = by_title[world.joint_pledge.title]
    assert joint["Responsible party"] == "Joint"
    assert (joint["Baseline"], joint["Target"], joint["Overdue"]) == ("1.00", "3.00", "")
    assert joint["Last update"] == joint["Last update note"] == ""


def test_the_xlsx_rows_say_what_the_pledges_say_with_dates_and_numbers_as_such(client, world):
    client.force_login(world.azizi)
    rows = xlsx_rows(client.get(XLSX).getvalue())
    assert list(rows[0]) == exports.headings()
    joint = next(
        dict(zip(rows[0], row, strict=True))
        for row in rows[1:]
        if row[1] == world.joint_pledge.title
    )
    assert joint["Reference"] == world.joint_pledge.reference
    assert joint["Due date"].date() == world.joint_pledge.due_on
    assert (joint["Baseline"], joint["Target"], joint["Progress (%)"]) == (1, 3, 0)
    assert joint["Indicator"] == "Annual bilateral trade"


def test_an_export_is_in_the_readers_language(client, world):
    Pledge.objects.filter(pk=world.af_pledge.pk).update(title_fa="صادرات میوه خشک")
    world.azizi.language = "fa"
    world.azizi.save(update_fields=["language"])
    client.force_login(world.azizi)
    rows = csv_rows(client.get(CSV).getvalue())
    titles = {row[1] for row in rows[1:]}
    # A title in Dari where there is one; the English one stands in where there is none.
    assert "صادرات میوه خشک" in titles
    assert world.kz_pledge.title in titles
    assert rows[0][0] != "Reference"  # the headings are in Dari too
    xlsx = xlsx_rows(client.get(XLSX).getvalue())
    assert {row[1] for row in xlsx[1:]} == titles


@pytest.mark.parametrize("url", [CSV, XLSX], ids=["csv", "xlsx"])
def test_an_export_runs_as_many_queries_for_two_hundred_pledges_as_for_ten(client, world, url):
    force_login(client, world.azizi)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            content = response.getvalue()  # a streamed body reads the database as it is sent
        assert response.status_code == 200
        rows = csv_rows(content) if url == CSV else xlsx_rows(content)
        return len(queries), len(rows) - 1

    add_pledges(world, 7)
    few, listed = count()
    assert listed == 10
    add_pledges(world, 190)
    many, listed = count()
    assert listed == 200
    assert many == few
