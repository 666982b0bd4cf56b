"""`manage.py bench`: one quick run on a small seeded data set writes the JSON of issue 15,
every name there with its numbers, and prints the table. The numbers themselves are the
benchmark's business (docs/performance.md), never a timed test's."""

import io
import json

from django.core.management import call_command
from django.test import Client

from committee.agreements.models import Pledge
from portal.bench.pages import GROWTH, MEMORY, NAMES, THROUGHPUT
from portal.bench_urls import BARE_PATH

KEYS = {"queries", "median_ms", "p95_ms", "rps", "ratio_to_trivial", "peak_rss_growth_mb"}


def test_a_quick_run_writes_every_name_in_the_shape_of_the_issue(transactional_db, tmp_path):
    call_command("seed_bulk", pledges=200, password="bench-test-password-2026", verbosity=0)
    path = tmp_path / "bench.json"
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "bench",
        quick=True,
        json=path,
        duration=1,
        growth_from=20,
        stdout=out,
        stderr=err,
    )

    result = json.loads(path.read_text())
    assert set(result) == {"machine", "pages", "growth"}
    assert result["machine"]["cores"] >= 1
    assert result["machine"]["data"]["pledges"] == 200
    assert list(result["pages"]) == list(NAMES)
    for name, entry in result["pages"].items():
        assert set(entry) == KEYS, name
        assert isinstance(entry["queries"], int), name
        assert 0 < entry["median_ms"] <= entry["p95_ms"], name
        assert (entry["rps"] is not None) == (name in THROUGHPUT), name
        assert (entry["ratio_to_trivial"] is not None) == (name in THROUGHPUT), name
        assert (entry["peak_rss_growth_mb"] is not None) == (name in MEMORY), name
    pages = result["pages"]
    for name in THROUGHPUT:
        assert pages[name]["rps"] > 0, name
    assert pages["trivial"]["ratio_to_trivial"] == 1.0
    assert pages["bare"]["queries"] == 0
    assert pages["minutes_pdf_bare_weasyprint"]["queries"] == 0
    assert 0 < pages["trivial"]["queries"] < pages["tracker"]["queries"]
    assert all(pages[name]["peak_rss_growth_mb"] >= 0 for name in MEMORY)
    assert set(result["growth"]) == set(GROWTH)
    assert all(ratio > 0 for ratio in result["growth"].values())
    # Measured on the small data set, which is gone again: this database is as it was.
    assert Pledge.objects.count() == 200

    table = out.getvalue()
    for name in NAMES:
        assert f"\n{name} " in f"\n{table}", name
    assert "20 →    200" in table


def test_the_bare_view_is_not_served_without_the_bench_setting(db):
    assert Client().get(f"/{BARE_PATH}").status_code == 404
