"""The outage drill (scripts/db_outage_drill.py) as part of the suite: a private embedded
PostgreSQL stopped, started and frozen under load, the portal answering 503s and recovering.
About 50 s; deselect with `-m "not drill"`."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

DRILL = Path(__file__).resolve().parent.parent / "scripts" / "db_outage_drill.py"


@pytest.mark.drill
def test_the_portal_rides_out_a_database_outage(tmp_path):
    summary = tmp_path / "drill.json"
    done = subprocess.run(
        [sys.executable, str(DRILL), "--json", str(summary)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(summary.read_text())
    assert result["failures"] == []
    assert result["stopped_503"]["count"] > 0
    assert result["stopped_503"]["max_ms"] < 1000
    assert result["recovery_seconds_after_start"] < 2
    assert result["frozen_503"]["max_ms"] < 7000
